/*
 * The metrics as data. The ticket clock (clock/evaluate.ts), the priority table (spec.ts, rules.ts),
 * the results (clock/result.ts, clock/batch.ts) all read this table, so a metric is added here and
 * in its tests rather than wired through many files. The exact rules each row encodes are written
 * out in docs/semantics.md.
 */

/**
 * The ticket events a metric can start or stop at, as `TicketEvent.type` names them, plus
 * `"created"` for the ticket's creation.
 *
 * @example
 * ```ts
 * const e: MetricTrigger = "customerReply";
 * ```
 */
export type MetricTrigger = "created" | "respond" | "agentReply" | "customerReply" | "resolve" | "reopen";

/**
 * How one metric runs, as data.
 *
 * - `starts`: the events at which a run (a cycle) starts, when none is open and the ticket is not
 *   resolved. An event that both stops and starts a metric closes one cycle and opens the next.
 * - `stops`: the events that stop the open run.
 * - `cycles`: `true` when each run counts from zero against its own target (next reply, periodic
 *   update); `false` when runs accumulate against one target counted from creation (resolution
 *   after a reopen).
 * - `startsAfter`: a start counts only once this other metric has stopped (next reply counts only
 *   after the first response).
 * - `required`: whether every priority row must give this metric a target (else absent = none).
 *
 * @example
 * ```ts
 * import { METRIC_TABLE } from "sla-clock";
 * METRIC_TABLE.nextReply.starts; // ["customerReply"]
 * ```
 */
export interface MetricDefinition {
  readonly starts: readonly MetricTrigger[];
  readonly stops: readonly MetricTrigger[];
  readonly cycles: boolean;
  readonly startsAfter: Metric | null;
  readonly required: boolean;
}

/**
 * The metrics a policy measures. `response` runs from creation to the first response;
 * `resolution` from creation to resolution (and again after a reopen); `nextReply` from each
 * customer reply after the first response to the agent's next reply; `periodicUpdate` from each
 * agent reply (and reopen) to the next agent reply, while the ticket is unresolved. See
 * {@link METRIC_TABLE}.
 *
 * @example
 * ```ts
 * const metric: Metric = "nextReply";
 * ```
 */
export type Metric = "response" | "resolution" | "nextReply" | "periodicUpdate";

/**
 * Every metric's start and stop events, as data (see {@link MetricDefinition}).
 *
 * @example
 * ```ts
 * import { METRIC_TABLE } from "sla-clock";
 * METRIC_TABLE.periodicUpdate.stops; // ["respond", "agentReply", "resolve"]
 * ```
 */
export const METRIC_TABLE: Readonly<Record<Metric, MetricDefinition>> = Object.freeze({
  response: Object.freeze({
    starts: Object.freeze(["created"] as const),
    stops: Object.freeze(["respond", "agentReply", "resolve"] as const),
    cycles: false,
    startsAfter: null,
    required: true,
  }),
  resolution: Object.freeze({
    starts: Object.freeze(["created", "reopen"] as const),
    stops: Object.freeze(["resolve"] as const),
    cycles: false,
    startsAfter: null,
    required: false,
  }),
  nextReply: Object.freeze({
    starts: Object.freeze(["customerReply"] as const),
    stops: Object.freeze(["respond", "agentReply", "resolve"] as const),
    cycles: true,
    startsAfter: "response",
    required: false,
  }),
  periodicUpdate: Object.freeze({
    starts: Object.freeze(["respond", "agentReply", "reopen"] as const),
    stops: Object.freeze(["respond", "agentReply", "resolve"] as const),
    cycles: true,
    startsAfter: null,
    required: false,
  }),
});

/**
 * The metrics in a fixed order (the order of results and batch columns).
 *
 * @example
 * ```ts
 * import { METRICS } from "sla-clock";
 * METRICS; // ["response", "resolution", "nextReply", "periodicUpdate"]
 * ```
 */
export const METRICS: readonly Metric[] = Object.freeze(Object.keys(METRIC_TABLE) as Metric[]);
