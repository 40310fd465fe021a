import type { HeaderFacts } from "../io/read-records";
import type { Parcel } from "./parcels";
import type { OutputFormat, OutputLayout } from "../io/write-rows";
import type { CellReading } from "../run";
import type { SummarySnapshot } from "../summary";

/**
 * What a worker of the parallel `evaluate` is started with (its `workerData`): how to build the
 * command's policy as the main thread built it (the same arguments through the same code), how to
 * read cells, and how to write rows. Plain data: it is copied to the worker.
 *
 * @example
 * ```ts
 * const init: WorkerInit = { policy: "softone-se", closures: [], files: {}, reading: {}, now: Date.now(), format: "csv", escapeFormulas: true, terminal: false, layout: BASE_LAYOUT, header };
 * ```
 */
export interface WorkerInit {
  /** The command's `<policy>` argument: a built-in id or a .json spec. */
  readonly policy: string;
  /** Its `--closures` feeds. */
  readonly closures: readonly string[];
  /**
   * The text of every input file the main thread read (the `.json` policy, the feeds), by path: the
   * worker builds the policy from these rather than read the files again, which may have changed.
   */
  readonly files: Readonly<Record<string, string>>;
  /** How cells are read (the date format already settled: the user's, else the profile's; the headers for row errors). */
  readonly reading: CellReading;
  readonly now: number;
  readonly format: OutputFormat;
  readonly escapeFormulas: boolean;
  /** The output is a terminal: cells are written escaped, as the main thread's writer would. */
  readonly terminal: boolean;
  readonly layout: OutputLayout;
  readonly header: HeaderFacts;
}

/**
 * What the main thread posts to a worker: a parcel of rows, or `finish` once every parcel is done
 * (the worker answers with its summary counts).
 *
 * @example
 * ```ts
 * worker.postMessage({ parcel } satisfies ToWorker);
 * ```
 */
export type ToWorker = { readonly parcel: Parcel } | { readonly finish: true };

/**
 * A worker's answer for one parcel: its rows as the output's writer would write them (no header,
 * no JSON framing), encoded as UTF-8 in the worker and posted as a transferred buffer (encoding a
 * parcel's text costs as much as evaluating a tenth of it, and posting the text as a string cost
 * a copy more), how many rows, and the ids of the policies that judged rows of it
 * for the first time in that parcel, in order (the summary lists policies where their first row is);
 * or the error that stopped it (`usage`: a `UsageError`, which the command reports as such). A
 * worker counts its rows for the summary as it goes and posts the counts once, when told to
 * finish: the counts of a parcel (histograms of 120 000 minutes per priority) would cost more to
 * post than its rows.
 *
 * @example
 * ```ts
 * const done: ParcelResult = { seq: 0, bytes: Buffer.from("T-1,…\n"), rows: 1, policies: ["softone-se"] };
 * ```
 */
export type ParcelResult =
  | { readonly seq: number; readonly bytes: Uint8Array; readonly rows: number; readonly policies: readonly string[] }
  | {
      readonly seq: number;
      readonly error: { readonly usage: boolean; readonly message: string; readonly stack?: string };
    };

/** A worker's summary counts, its answer to `finish`. */
export interface WorkerSummary {
  readonly summary: SummarySnapshot;
}
