import type { Calendar } from "../calendar/calendar";
import { replayShared } from "./replay-threads";
import type { AcrossBatch } from "./across";
import { BatchWriter, EvaluationBatch } from "./batch";
import { BatchMemory } from "./batch-memory";
import type { TicketEvaluation } from "./evaluate";
import { withoutColumnArena, type EvaluationSettings } from "./result";
import { compileAlerts, type AlertThreshold, type CompiledAlert } from "../policy/alerts";
import { explainTarget, type TargetExplanation } from "./explain";
import { explainTicket, type ExplainedTicketEvaluation } from "./explain-ticket";
import { evaluateTicket, withPipeline, type TicketPipeline } from "./pipeline";
import type { Ticket } from "./ticket";
import { SlaClockError, optionsObject, showValue } from "../errors";
import { describe, toEpochMs, type InstantInput } from "../time/instant";
import { PolicyRules, type PriorityInfo } from "../policy/rules";
import type { KnownPriority, Metric, PolicySpec, PriorityId } from "../policy/spec";
import { targetDeadline, targetEarliest, type CompiledTarget, type Target } from "../policy/target";
import { inSupportedRange } from "../time/range";

/**
 * Which target {@link Policy.deadline} looks up.
 *
 * @example
 * ```ts
 * const opts: DeadlineOptions = { priority: 3, metric: "resolution" };
 * ```
 */
export interface DeadlineOptions<T = PriorityId> {
  readonly priority: T;
  /** Default `"response"`. */
  readonly metric?: Metric;
}

/**
 * When a window target opens and closes; for other kinds `earliest` is `null`.
 *
 * @example
 * ```ts
 * const w: DueWindow = { earliest: new Date("2026-05-02T09:00:00Z"), deadline: new Date("2026-10-02T09:00:00Z") };
 * ```
 */
export interface DueWindow {
  readonly earliest: Date | null;
  readonly deadline: Date | null;
}

/**
 * Options of {@link Policy.evaluate}.
 *
 * @example
 * ```ts
 * const opts: EvaluateOptions = { atRiskThreshold: 0.5 };
 * ```
 */
export interface EvaluateOptions {
  /** Fraction of a target from which a running metric is at risk; default the policy's (0.75). */
  readonly atRiskThreshold?: number;
  /**
   * The alert thresholds to report (see {@link AlertThreshold}); default the policy's `alerts`,
   * or `[atRiskThreshold]` when it has none.
   */
  readonly alerts?: readonly AlertThreshold[];
  /**
   * Move every alert instant at which the calendar is closed (a closing instant included) to the
   * next opening, so that nobody is paged at night. Deadlines and breach instants do not move.
   * Default `false`.
   */
  readonly inOpenHours?: boolean;
  /**
   * `true`: also explain the result (`explanation`: per metric, the time that counted, the pauses,
   * the priority changes and the breach). Only {@link Policy.evaluate} explains; it costs a second
   * pass over the ticket, so leave it out in bulk.
   */
  readonly explain?: boolean;
}

/**
 * Options of {@link Policy.evaluateMany} and {@link evaluateAcross}: those of `evaluate`, and the
 * batch whose memory to write into.
 *
 * @example
 * ```ts
 * let batch = policy.evaluateMany(queue(), Date.now());
 * // a minute later: the same queue again, written into the memory of the batch before
 * batch = policy.evaluateMany(queue(), Date.now(), { reuse: batch });
 * ```
 */
export interface BatchOptions extends EvaluateOptions {
  /**
   * A batch you no longer need (from `evaluateMany`, or the whole result of `evaluateAcross`):
   * the call writes its columns and records into that batch's memory instead of new memory. A
   * million tickets take 100–300 MB of columns; memory the process has touched before is much
   * cheaper to write than new memory (docs/performance.md, "Evaluating the same queue again"). The
   * batch given is spent: its
   * columns, `priorityRank`, `nextAlertAt`, `get` and iteration throw `BATCH_REUSED`, and arrays
   * taken from it before are not its values any more: the new batch's where it took their memory,
   * stale ones where it did not. Copy what you keep with `slice()` or `Float64Array.from`: a
   * large column is shared memory, and `structuredClone` of it shares that memory rather than
   * copying it (docs/performance.md, "New memory for batches"). Its `ids`, `failures`, `length`
   * and `now` stay as they were. The new batch keeps only the memory it used; the rest is let go.
   */
  readonly reuse?: EvaluationBatch | AcrossBatch;
}

/** Reads a policy's private rules (`undefined` for an object that is not a policy); set by the class. */
let readRules: (value: object) => PolicyRules | undefined;

/**
 * The compiled rules of a policy, for the library's own modules. They are a private field, not a
 * property: presets are shared by every caller in the process, so nothing a caller can reach may
 * change them.
 * @internal
 */
export function rulesOf(policy: Policy): PolicyRules {
  const rules = typeof policy === "object" && policy !== null ? readRules(policy) : undefined;
  if (rules === undefined) {
    throw new SlaClockError("INVALID_ARGUMENT", "policy: expected a Policy from getPolicy or definePolicy", {
      value: policy,
      path: "policy",
    });
  }
  return rules;
}

/**
 * An immutable support contract: a calendar, a priority table with a target per metric, and the
 * ticket clock. Get a built-in one with `getPolicy(id)` or define your own with
 * {@link definePolicy}.
 *
 * @example
 * ```ts
 * import { getPolicy } from "sla-clock";
 * const policy = getPolicy("softone-se");
 * policy.deadline("2026-04-02T11:00", { priority: 3 }); // P3 response: 12 business hours → 2026-04-08 12:00 local
 * policy.deadline("2026-04-02T11:00", { priority: 1, metric: "resolution" }); // same business day → 2026-04-02 12:00
 * ```
 */
export class Policy<P extends PriorityId = PriorityId> {
  readonly id: string;
  readonly name: string;
  /** The calendar the targets count on. */
  readonly calendar: Calendar;
  /** The priority table, most urgent first. */
  readonly priorities: readonly PriorityInfo[];
  /** Fraction of a target from which a running metric counts as at risk. */
  readonly atRiskThreshold: number;
  /** The validated spec (with the calendar as a spec), frozen and JSON-serialisable. */
  readonly spec: PolicySpec;
  readonly #rules: PolicyRules;

  static {
    readRules = (value) => (#rules in value ? (value as Policy).#rules : undefined);
  }

  /** @internal Use {@link definePolicy}. */
  constructor(rules: PolicyRules) {
    // The class is exported for `instanceof` and its type; `new Policy(spec)` threw a TypeError.
    if (!(rules instanceof PolicyRules))
      throw new SlaClockError("INVALID_ARGUMENT", "Policy: make a policy with definePolicy(spec), not new Policy", {
        path: "Policy",
      });
    this.id = rules.spec.id;
    this.name = rules.spec.name;
    this.calendar = rules.calendar;
    this.priorities = rules.priorities;
    this.atRiskThreshold = rules.atRiskThreshold;
    this.spec = rules.spec;
    this.#rules = rules;
    Object.freeze(this);
  }

  /**
   * The target of a priority for a metric. Throws `UNKNOWN_PRIORITY` (listing the valid ones) or
   * `UNKNOWN_METRIC`.
   *
   * @example
   * ```ts
   * getPolicy("softone-se").target(4, "resolution"); // { kind: "window", earliest: { months: 1 }, latest: { months: 6 } }
   * ```
   */
  target<T extends PriorityId>(priority: T & KnownPriority<P, T>, metric: Metric = "response"): Target {
    const rules = this.#rules;
    return rules.entry(priority).info.targets[rules.metric(metric)];
  }

  /**
   * The deadline of a metric for a clock started at `start`, or `null` when the priority has no
   * target for it (best effort). For a window target this is the window's end.
   *
   * @example
   * ```ts
   * getPolicy("moch-extended").deadline("2026-04-02T11:00Z", { priority: 5 }); // null: best effort
   * ```
   */
  deadline<T extends PriorityId>(start: InstantInput, options: DeadlineOptions<T & KnownPriority<P, T>>): Date | null {
    const rules = this.#rules;
    const compiled = targetOf(rules, options);
    const t = targetDeadline(rules.engine, compiled, toEpochMs(start, rules.engine.zone, "start"));
    return t === null ? null : new Date(t);
  }

  /**
   * The earliest and latest instants of a target: for a window target both ends, for other kinds
   * `earliest` is `null` and `deadline` is {@link Policy.deadline}'s answer.
   *
   * @example
   * ```ts
   * getPolicy("softone-se").window("2026-01-31T10:00", { priority: 4, metric: "resolution" });
   * // { earliest: 2026-02-28 10:00 local, deadline: 2026-07-31 10:00 local }
   * ```
   */
  window<T extends PriorityId>(start: InstantInput, options: DeadlineOptions<T & KnownPriority<P, T>>): DueWindow {
    const rules = this.#rules;
    const compiled = targetOf(rules, options);
    const t = toEpochMs(start, rules.engine.zone, "start");
    const earliest = targetEarliest(rules.engine, compiled, t);
    const deadline = targetDeadline(rules.engine, compiled, t);
    return Object.freeze({
      earliest: earliest === null ? null : new Date(earliest),
      deadline: deadline === null ? null : new Date(deadline),
    });
  }

  /**
   * The ticket clock: where each metric of a ticket stands at `now` (default: the current time).
   *
   * The rules (as Zendesk, Jira Service Management and ServiceNow apply them):
   * - `response` runs from `createdAt` and stops at the first `respond` — or at a `resolve` that
   *   comes first (a ticket resolved without an answer no longer awaits one). It never restarts.
   * - `resolution` runs from `createdAt`, stops at `resolve` and runs again after `reopen`; its
   *   elapsed time keeps accumulating across the cycles.
   * - `nextReply` (when a priority gives it a target): a cycle from each `customerReply` after the
   *   response to the next `agentReply`/`respond` or `resolve`; `periodicUpdate`: a cycle from each
   *   agent reply (and `reopen`) to the next one or `resolve`. Each cycle counts from zero against
   *   the target of the priority in force; `cycles` lists them (docs/semantics.md, "Metrics and
   *   cycles"; `METRIC_TABLE` holds the start and stop events of every metric).
   * - Paused time (between `pause` and `resume`) never counts. For a business target the deadline
   *   moves by the paused business time, for a calendar target by the paused calendar time. A
   *   `resolve` ends a pause.
   * - Every target is a length counted from `createdAt`: business targets in business time; end of
   *   business day/week as the business time from `createdAt` to that instant; calendar targets and
   *   windows as elapsed time to `createdAt + duration`.
   * - On a `priority` change the new priority's target applies to the time already counted from
   *   `createdAt` (ServiceNow's "retroactive start"). If that time already exceeds the new target,
   *   the metric breaches at the change — or, when paused, at the resume (or the `resolve` that
   *   ends the pause) — even when it stops at
   *   that same instant (a target used up exactly is met by such a stop). A breach of the old
   *   target stands (from its original instant) while the new target is used up too. A metric that
   *   has stopped keeps the target it stopped under.
   * - A metric breaches at the first instant at which its clock runs with the whole target used:
   *   stopping exactly at the deadline is met; the deadline passing while paused is not a breach.
   *   `breachedAt` is reported for open tickets too.
   * - Events after `now` are ignored, so an export can be evaluated as of any past moment. Bad
   *   events (out of order, before creation, resume without pause, a second respond…) throw
   *   `INVALID_TICKET` naming the ticket and the event index; unknown priorities throw
   *   `UNKNOWN_PRIORITY`. `now` before `createdAt` is `INVALID_ARGUMENT`.
   *
   * @example
   * ```ts
   * import { getPolicy } from "sla-clock";
   * const policy = getPolicy("softone-se");
   * const result = policy.evaluate(
   *   {
   *     id: "T-1",
   *     priority: 1,
   *     createdAt: "2026-04-01T15:00",
   *     events: [
   *       { type: "pause", at: "2026-04-01T15:30" },
   *       { type: "resume", at: "2026-04-02T09:00" },
   *     ],
   *   },
   *   "2026-04-02T10:00",
   * );
   * result.response.elapsed; // 5_400_000: 30 min on Wednesday + 1 h on Thursday
   * result.response.status; // "running", at risk (75 % used)
   *
   * // With { explain: true }, also the timeline behind the numbers:
   * const explained = policy.evaluate({ id: "T-1", priority: 1, createdAt: "2026-04-01T15:00" }, "2026-04-02T10:00", { explain: true });
   * explained.explanation.response.stretches.map((s) => s.ms); // [3_600_000, 7_200_000]: Wed 15–16, Thu 08–10
   * ```
   */
  evaluate(
    ticket: Ticket,
    now: InstantInput,
    options: EvaluateOptions & { readonly explain: true },
  ): ExplainedTicketEvaluation;
  /**
   * {@link Policy.evaluate} without an explanation (the default).
   *
   * @example
   * ```ts
   * getPolicy("softone-se").evaluate({ id: "T-2", priority: 2, createdAt: "2026-04-02T09:00" }, "2026-04-02T10:00").response.elapsed; // 3_600_000
   * ```
   */
  evaluate(ticket: Ticket, now?: InstantInput, options?: EvaluateOptions): TicketEvaluation;
  /**
   * The implementation of both forms of {@link Policy.evaluate}.
   *
   * @example
   * ```ts
   * const e = getPolicy("softone-se").evaluate(ticket, "2026-04-08T10:00", { explain: true });
   * e.explanation.response.stretches; // the business time that counted, Wed 15:00–15:30, …
   * ```
   */
  evaluate(
    ticket: Ticket,
    now: InstantInput = Date.now(),
    options: EvaluateOptions = {},
  ): TicketEvaluation | ExplainedTicketEvaluation {
    const read = readOptions(options, EVALUATE_OPTIONS);
    const result = evaluateTicket(this.#rules, settingsFor(this.#rules, read), ticket, now);
    // Asked for once, with the other options: no explanation, no cost.
    return read.explain ? explainTicket(this.#rules, ticket, result) : result;
  }

  /**
   * Why a deadline is where it is: the target a priority has for a metric (its kind, its length,
   * the clause of the document it comes from where the policy states it) and the arithmetic that
   * leads to {@link Policy.deadline}: for a business target the trace of the business time
   * counted (each open stretch, and each closed or short day with its reason); for end of business
   * day or week, which day or ISO week, its closing instant and the business time up to it; for
   * calendar targets and windows, the calendar arithmetic.
   *
   * @example
   * ```ts
   * import { getPolicy } from "sla-clock";
   * const why = getPolicy("softone-se").explain("2026-04-02T11:00", { priority: 3 });
   * why.deadlineLocal; // "2026-04-08T12:00:00+02:00"
   * why.clause; // "SoftOne SLA Service & Kvalitet §4 Supportnivåer (000)"
   * why.trace?.days.map((d) => d.date); // the eve (04-02), Långfredagen … Annandag påsk (04-03 … 04-06)
   * getPolicy("softone-se").explain("2026-04-02T11:00", { priority: 1, metric: "resolution" }).rule;
   * // { kind: "endOfBusinessDay", businessDay: "2026-04-02", closesAtLocal: "2026-04-02T12:00:00+02:00", … }
   * ```
   */
  explain<T extends PriorityId>(
    start: InstantInput,
    options: DeadlineOptions<T & KnownPriority<P, T>>,
  ): TargetExplanation {
    const rules = this.#rules;
    const o = optionsObject(options, "options", '{ priority: 1, metric: "response" }', true, DEADLINE_OPTIONS);
    const metric = rules.metric(o.metric === undefined ? "response" : o.metric);
    const entry = rules.entry(o.priority as PriorityId, "options.priority");
    return explainTarget(rules, entry, metric, toEpochMs(start, rules.engine.zone, "start"));
  }

  /**
   * {@link Policy.evaluate} for a whole batch, fast enough for millions of tickets: the results are
   * kept as columns (typed arrays) in an {@link EvaluationBatch}, and `batch.get(i)` or iteration
   * gives the same objects as `evaluate`. A ticket with bad data yields a {@link TicketFailure} in
   * its place (its index, its id when readable, and the typed error); the rest of the batch goes
   * on, so `batch.length === tickets.length` always. Evaluating the same queue again and again,
   * pass the batch you no longer need as `{ reuse }` (see {@link BatchOptions.reuse}): the call
   * then writes into its memory instead of new memory.
   *
   * @example
   * ```ts
   * const batch = getPolicy("softone-se").evaluateMany(tickets, "2026-04-07T12:00");
   * for (const r of batch) {
   *   if ("error" in r) console.error(`ticket #${r.index}: ${r.error.message}`);
   *   else if (r.response.status === "breached") console.log(r.id, r.response.breachedAt);
   * }
   * // a minute later, into the same memory (`batch` is spent: reading it throws BATCH_REUSED)
   * const next = getPolicy("softone-se").evaluateMany(tickets, "2026-04-07T12:01", { reuse: batch });
   * ```
   */
  evaluateMany(
    tickets: readonly Ticket[],
    now: InstantInput = Date.now(),
    options: BatchOptions = {},
  ): EvaluationBatch {
    if (!Array.isArray(tickets)) throw new SlaClockError("INVALID_ARGUMENT", "evaluateMany: tickets must be an array");
    const list: readonly unknown[] = tickets;
    // The length when the call starts: a ticket's getter that shrinks or grows the array leaves
    // rows the batch never writes, or writes past it (a missing element is a failure in its place).
    const n = list.length;
    // A bad `now` or option throws before the batch given as `reuse` is spent.
    const rules = rulesOf(this);
    const at = toEpochMs(now, rules.engine.zone, "now");
    const read = readBatchOptions(options);
    const memory = BatchMemory.forCall(read.reuse, "options.reuse");
    const settings = settingsFor(rules, read);
    const feed = (pipeline: TicketPipeline, at: number, writer: BatchWriter): void => {
      // A large batch shares its replay with a helper thread where one can run (replay-threads.ts).
      if (replayShared(rules, settings, list, n, at, pipeline, writer)) return;
      for (let i = 0; i < n; i++) pipeline.runElement(i, list, i, at, writer);
    };
    return evaluateRows(rules, n, at, settings, feed, memory, false);
  }

  /**
   * {@link Policy.deadline} for whole arrays: `out[i]` is the deadline (epoch ms) of a clock
   * started at `starts[i]` for `priorities[i]` (or the one priority given). NaN where the priority
   * has no target or the start is NaN, fractional or out of range. An unknown priority is an
   * `UNKNOWN_PRIORITY` error naming its index.
   *
   * @example
   * ```ts
   * const starts = Float64Array.from([Date.parse("2026-04-02T09:00:00Z")]);
   * getPolicy("softone-se").deadlineMany(starts, [3]); // Float64Array [epoch ms of the P3 response deadline]
   * ```
   */
  deadlineMany(
    starts: Float64Array,
    priorities: ArrayLike<PriorityId> | PriorityId,
    metric: Metric = "response",
    out?: Float64Array,
  ): Float64Array {
    const rules = this.#rules;
    const m = rules.metric(metric);
    if (!(starts instanceof Float64Array))
      throw new SlaClockError("INVALID_ARGUMENT", "starts: expected a Float64Array of epoch milliseconds");
    const single = typeof priorities === "string" || typeof priorities === "number";
    if (!single && (typeof priorities !== "object" || priorities === null || typeof priorities.length !== "number")) {
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `priorities: expected one priority id or an array of them, got ${priorities === null ? "null" : typeof priorities}`,
        { value: priorities },
      );
    }
    if (!single && priorities.length !== starts.length) {
      throw new SlaClockError(
        "INVALID_ARGUMENT",
        `priorities: expected ${starts.length} priorities (one per start), got ${priorities.length}`,
      );
    }
    const result = out ?? new Float64Array(starts.length);
    if (!(result instanceof Float64Array) || result.length < starts.length) {
      throw new SlaClockError("INVALID_ARGUMENT", `out: expected a Float64Array of at least ${starts.length} elements`);
    }
    // Every priority is looked up before anything is written: `out` may be `starts` itself, and an
    // unknown priority found half-way left the starts before it overwritten with deadlines.
    const targets = new Map<PriorityId, CompiledTarget>();
    const targetAt = (i: number): CompiledTarget => {
      const p = single ? priorities : (priorities[i] as PriorityId);
      let target = targets.get(p);
      if (target === undefined) {
        target = rules.entry(p, `priorities[${i}]`).compiled[m];
        targets.set(p, target);
      }
      return target;
    };
    for (let i = 0; i < (single ? Math.min(1, starts.length) : starts.length); i++) targetAt(i);
    for (let i = 0; i < starts.length; i++) {
      const target = targetAt(i);
      const s = starts[i] as number;
      if (!inSupportedRange(s) || !Number.isInteger(s)) {
        result[i] = Number.NaN;
        continue;
      }
      try {
        result[i] = targetDeadline(rules.engine, target, s) ?? Number.NaN;
      } catch (e) {
        if (!(e instanceof SlaClockError)) throw e;
        result[i] = Number.NaN;
      }
    }
    return result;
  }

  /** @internal */
  toJSON(): PolicySpec {
    return this.spec;
  }
}

/**
 * Validates a {@link PolicySpec} and returns an immutable {@link Policy}. Throws
 * `INVALID_POLICY_SPEC` listing every problem with its path (`priorities[2].targets.response`).
 *
 * @example
 * ```ts
 * import { definePolicy, getCalendar } from "sla-clock";
 * const policy = definePolicy({
 *   id: "internal-it",
 *   name: "Internal IT",
 *   calendar: getCalendar("trinax"),
 *   priorities: [
 *     { id: 1, label: "Hög", labelEn: "High", targets: { response: { kind: "business", duration: "PT30M" } } },
 *     { id: 2, label: "Låg", labelEn: "Low", targets: { response: { kind: "calendar", duration: { days: 3 } } } },
 *   ],
 * });
 * ```
 */
export function definePolicy(spec: PolicySpec): Policy {
  return new Policy(new PolicyRules(spec));
}

/**
 * The batch of `n` tickets of a policy at `at` (epoch ms): `feed` runs each ticket, in index
 * order, through the pipeline into the writer. `Policy.evaluateMany` feeds the caller's list, into
 * memory of the batch's own (`options.reuse`'s, taken once the arguments are checked);
 * `evaluateAcross` feeds a policy's share of a ticket store, into the memory all its batches share
 * (`shared`). The arguments are read and checked before: nothing here reads the caller's options.
 * @internal
 */
export function evaluateRows(
  rules: PolicyRules,
  n: number,
  at: number,
  settings: EvaluationSettings,
  feed: (pipeline: TicketPipeline, at: number, writer: BatchWriter) => void,
  memory: BatchMemory,
  shared: boolean,
): EvaluationBatch {
  const make = () =>
    new EvaluationBatch(
      n,
      at,
      rules.priorities,
      rules.rankTargets,
      settings.alerts,
      (writer: BatchWriter) => withPipeline(rules, settings, (pipeline) => feed(pipeline, at, writer)),
      rules.measuredFlags,
      memory,
      !shared,
    );
  if (shared) return make();
  // A batch of its own memory takes no block of an outer evaluateAcross's (from a ticket's getter).
  const batch = withoutColumnArena(make);
  memory.settle();
  return batch;
}

/** The compiled target that deadline options name (a metric left out is `response`). */
function targetOf(rules: PolicyRules, options: DeadlineOptions): CompiledTarget {
  const o = optionsObject(options, "options", '{ priority: 1, metric: "response" }', true, DEADLINE_OPTIONS);
  const metric = rules.metric(o.metric === undefined ? "response" : o.metric);
  return rules.entry(o.priority as PriorityId, "options.priority").compiled[metric];
}

/** The keys of {@link DeadlineOptions}, {@link EvaluateOptions} and {@link BatchOptions}: any other is refused. */
const DEADLINE_OPTIONS: readonly (keyof DeadlineOptions)[] = ["priority", "metric"];
const EVALUATE_OPTIONS: readonly (keyof EvaluateOptions)[] = ["atRiskThreshold", "alerts", "inOpenHours", "explain"];
const BATCH_OPTIONS: readonly (keyof BatchOptions)[] = [...EVALUATE_OPTIONS, "reuse"];

/**
 * Evaluate (or batch) options as a call reads them, once each: checked, alerts compiled, and
 * `undefined` where left out (the policy's settings apply, see {@link settingsFor}). A getter among
 * the options then runs once per call, however many policies the call evaluates.
 * @internal
 */
export interface ReadOptions {
  readonly atRiskThreshold: number | undefined;
  readonly alerts: readonly CompiledAlert[] | undefined;
  readonly inOpenHours: boolean;
  /** Whether `evaluate` is asked for an explanation (`options.explain === true`). */
  readonly explain: boolean;
  /** `options.reuse` as given (checked by BatchMemory.forCall); never read for `evaluate`. */
  readonly reuse: unknown;
}

/** Reads and checks the options of `evaluateMany` or `evaluateAcross` (see {@link ReadOptions}). @internal */
export function readBatchOptions(options: BatchOptions | undefined): ReadOptions {
  return readOptions(options, BATCH_OPTIONS);
}

/** Reads and checks evaluate options; `keys`, the options the call takes. */
function readOptions(options: EvaluateOptions | undefined, keys: readonly string[]): ReadOptions {
  const o = optionsObject(options, "options", "{ atRiskThreshold: 0.5 }", false, keys);
  const givenThreshold = o.atRiskThreshold;
  const atRiskThreshold = givenThreshold === undefined ? undefined : threshold(givenThreshold);
  const givenInOpenHours = o.inOpenHours;
  const inOpenHours = givenInOpenHours === undefined ? false : givenInOpenHours;
  if (typeof inOpenHours !== "boolean")
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `options.inOpenHours must be true or false, got ${describe(inOpenHours)}`,
      {
        value: inOpenHours,
        path: "options.inOpenHours",
      },
    );
  // Read by `evaluate` after the replay: checked here, so that `{ explain: "yes" }` is refused as
  // `{ inOpenHours: "yes" }` is, rather than answered without an explanation.
  const explain = o.explain;
  if (explain !== undefined && typeof explain !== "boolean")
    throw new SlaClockError("INVALID_ARGUMENT", `options.explain must be true or false, got ${showValue(explain)}`, {
      value: explain,
      path: "options.explain",
    });
  const givenAlerts = o.alerts;
  const alerts = givenAlerts === undefined ? undefined : compileAlerts(givenAlerts, "options.alerts");
  return {
    atRiskThreshold,
    alerts,
    inOpenHours,
    explain: explain === true,
    reuse: keys.includes("reuse") ? o.reuse : undefined,
  };
}

/** What options read by {@link readOptions} ask of a policy's results, its own settings where they are left out. @internal */
export function settingsFor(rules: PolicyRules, read: ReadOptions): EvaluationSettings {
  const atRiskThreshold = read.atRiskThreshold ?? rules.atRiskThreshold;
  const alerts = read.alerts ?? rules.alerts ?? defaultAlerts(atRiskThreshold);
  return { atRiskThreshold, alerts, inOpenHours: read.inOpenHours };
}

/** `[atRiskThreshold]` compiled, one list per fraction (the same list each time, so scratch rows are reused). */
const defaults = new Map<number, readonly CompiledAlert[]>();
function defaultAlerts(fraction: number): readonly CompiledAlert[] {
  let alerts = defaults.get(fraction);
  if (alerts === undefined) {
    alerts = compileAlerts([fraction], "alerts");
    if (defaults.size < 64) defaults.set(fraction, alerts);
  }
  return alerts;
}

function threshold(value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value <= 1)) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `options.atRiskThreshold must be a number in (0, 1], got ${showValue(value)}`,
      { value, path: "options.atRiskThreshold" },
    );
  }
  return value;
}
