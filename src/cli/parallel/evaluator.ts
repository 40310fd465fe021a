import { Writable } from "node:stream";
import type { Policy } from "../../clock/policy";
import { RowWriter } from "../io/write-rows";
import { rowPolicies, UsageError } from "../load";
import { BATCH_ROWS, evaluateRecords, type RowPolicies } from "../run";
import { SummaryByPolicy, type SummarySnapshot } from "../summary";
import { parcelRecords, Utf8Bytes, type Parcel } from "./parcels";
import type { ParcelResult, WorkerInit } from "./protocol";

/**
 * The answer for a parcel that `error` stopped: a `UsageError` stays one for the main thread.
 *
 * @example
 * ```ts
 * port.postMessage(failedParcel(parcel.seq, new UsageError("cannot read closures.ics")));
 * ```
 */
export function failedParcel(seq: number, e: unknown): ParcelResult {
  const error = e instanceof Error ? e : new Error(String(e));
  return {
    seq,
    error: {
      usage: error instanceof UsageError,
      message: error.message,
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    },
  };
}

/**
 * Reads, evaluates and formats parcels of rows on one thread of a parallel `evaluate` (a worker, or
 * the main thread when the workers are busy), as the serial path would: the same records, the same
 * clock, the same writer. It counts its rows for the summary as it goes ({@link ParcelEvaluator.summary}).
 *
 * @example
 * ```ts
 * const evaluator = new ParcelEvaluator(getPolicy("softone-se"), init);
 * const result = await evaluator.evaluate(parcel);
 * ```
 */
export class ParcelEvaluator {
  readonly #init: WorkerInit;
  readonly #policies: RowPolicies;
  readonly #writer: RowWriter;
  readonly #summary: SummaryByPolicy;
  /** The ids of the policies that judged a row of an earlier parcel here. */
  readonly #seen = new Set<string>();

  constructor(policy: Policy, init: WorkerInit) {
    this.#init = init;
    this.#policies = rowPolicies(policy);
    // The writer only formats: the text goes to the output's own writer.
    const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
    this.#writer = new RowWriter(nowhere, init.format, policy.calendar, {
      escapeFormulas: init.escapeFormulas,
      terminal: init.terminal,
      layout: init.layout,
    });
    this.#summary = new SummaryByPolicy(policy);
  }

  /** A parcel's rows as the output's bytes, or the error that stopped them. */
  async evaluate(parcel: Parcel): Promise<ParcelResult> {
    try {
      const firstSeen: string[] = [];
      const out = new Utf8Bytes(parcel.lines.length * 160);
      let written = 0;
      const { rows } = await evaluateRecords(
        this.#policies,
        parcelRecords(parcel, this.#init.header, BATCH_ROWS),
        this.#init.now,
        (outcomes) => {
          for (const row of outcomes) {
            const id = row.judgedBy?.id;
            if (id !== undefined && !this.#seen.has(id)) {
              this.#seen.add(id);
              firstSeen.push(id);
            }
            this.#summary.add(row);
          }
          if (outcomes.length === 0) return;
          // A parcel is evaluated a batch at a time; its batches' texts are one text of rows.
          if (written > 0) out.append(this.#writer.textSeparator);
          out.append(this.#writer.format(outcomes));
          written += outcomes.length;
        },
        this.#init.reading,
      );
      return { seq: parcel.seq, bytes: out.bytes(), rows, policies: firstSeen };
    } catch (e) {
      return failedParcel(parcel.seq, e);
    }
  }

  /** What this thread has counted for the summary. */
  summary(): SummarySnapshot {
    return this.#summary.snapshot();
  }
}
