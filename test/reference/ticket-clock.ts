/**
 * A deliberately naive ticket clock for the property tests of the four metrics (response,
 * resolution, nextReply, periodicUpdate), written from docs/semantics.md and sharing no code with
 * src/. Its only input from the library is a plain list of open intervals (what
 * `calendar.openIntervals` gives); the state machine and the counting are its own.
 *
 * Everything is on whole minutes: the clock steps one minute at a time from the creation to `now`.
 * At each minute it first applies that minute's events in order, then judges the breach rule
 * literally — a metric breaches at the first instant at which it runs with its target used up —
 * and then counts the minute [t, t + 1 min) for every running metric: one minute of business time
 * if the calendar is open at t, one minute of calendar time always.
 *
 * Targets are fixed lengths in minutes, per priority and metric, in one measure per metric
 * ("business" or "calendar"), or absent (none).
 */

export const MINUTE = 60_000;

export type RefMeasure = "business" | "calendar";
export type RefMetric = "response" | "resolution" | "nextReply" | "periodicUpdate";
export const REF_METRICS: readonly RefMetric[] = ["response", "resolution", "nextReply", "periodicUpdate"];

export interface RefEvent {
  readonly type: "pause" | "resume" | "priority" | "respond" | "agentReply" | "customerReply" | "resolve" | "reopen";
  readonly at: number;
  readonly priority?: string;
}

export interface RefTicket {
  readonly priority: string;
  readonly createdAt: number;
  readonly events: readonly RefEvent[];
}

/** Per priority id, per metric: the target in ms, or undefined for none; and each metric's measure. */
export interface RefPolicy {
  readonly targets: Readonly<Record<string, Partial<Record<RefMetric, number>>>>;
  readonly measures: Readonly<Record<RefMetric, RefMeasure>>;
  /** One alert threshold, a fraction of the target: crossed at ceil(fraction × target) used. */
  readonly alert: number;
  /** Open intervals [start, end) in epoch ms, sorted, covering creation to well past now. */
  readonly open: readonly (readonly [number, number])[];
}

export interface RefCycle {
  start: number;
  stop: number | null;
  stoppedBy: "respond" | "resolve" | null;
  /** The measure of the run's own target (null without one), which its elapsed is counted in. */
  measure: RefMeasure | null;
  elapsed: number;
  targetMs: number | null;
  deadline: number | null;
  status: string;
  breachedAt: number | null;
}

export interface RefMetricResult {
  /** The alert instant of the current cycle: crossed, projected from now while running, else null. */
  alertAt: number | null;
  status: string;
  elapsed: number;
  breachedAt: number | null;
  deadline: number | null;
  breaches: number;
  cycles: RefCycle[];
}

class Run {
  business = 0;
  calendar = 0;
  breachedAt: number | null = null;
  /** Where the policy's one alert threshold (a fraction, {@link RefPolicy.alert}) was crossed. */
  alertAt: number | null = null;
  stop: number | null = null;
  stoppedBy: "respond" | "resolve" | null = null;
  /**
   * Time counted before this run (a resolution's earlier runs), in each measure: the run's own time
   * is its total less the base in the measure of its target when read.
   */
  baseBusiness = 0;
  baseCalendar = 0;
  constructor(
    readonly start: number,
    public target: number | undefined,
  ) {}
}

function isOpen(policy: RefPolicy, t: number): boolean {
  for (const [a, b] of policy.open) if (a <= t && t < b) return true;
  return false;
}

/** The instant `amount` ms of the measure after `from`, walking minute by minute. */
function walk(policy: RefPolicy, measure: RefMeasure, from: number, amount: number): number {
  if (measure === "calendar") return from + amount;
  let t = from;
  let left = amount;
  while (left > 0) {
    if (isOpen(policy, t)) left -= MINUTE;
    t += MINUTE;
  }
  return t;
}

/** The metrics of a ticket at `now`, replayed minute by minute. */
export function refEvaluate(policy: RefPolicy, ticket: RefTicket, now: number): Record<RefMetric, RefMetricResult> {
  let priority = ticket.priority;
  const targetOf = (m: RefMetric) => policy.targets[priority]?.[m];
  const alertLength = (target: number) => Math.ceil(policy.alert * target);
  // Which metrics the policy measures at all: a cycle metric no priority has a target for is not counted.
  const measured = (m: RefMetric) =>
    m === "response" || m === "resolution" || Object.values(policy.targets).some((t) => t[m] !== undefined);
  const runs: Record<RefMetric, Run[]> = { response: [], resolution: [], nextReply: [], periodicUpdate: [] };
  /** The target in force of a metric with no run open (its result shows it). */
  const idleTarget: Record<RefMetric, number | undefined> = {
    response: undefined,
    resolution: undefined,
    nextReply: targetOf("nextReply"),
    periodicUpdate: targetOf("periodicUpdate"),
  };
  runs.response.push(new Run(ticket.createdAt, targetOf("response")));
  runs.resolution.push(new Run(ticket.createdAt, targetOf("resolution")));
  let paused = false;
  let resolved = false;
  const last = (m: RefMetric) => runs[m][runs[m].length - 1];
  const isOpenRun = (m: RefMetric) => {
    const r = last(m);
    return r !== undefined && r.stop === null;
  };
  const used = (m: RefMetric, r: Run) =>
    policy.measures[m] === "calendar" && r.target !== undefined ? r.calendar : r.business;
  // A new target for an open run: the breach stands only while the new target is used up too.
  const retarget = (m: RefMetric, r: Run, target: number | undefined) => {
    if (target === r.target) return;
    r.target = target;
    if (r.breachedAt !== null && (target === undefined || used(m, r) < target)) r.breachedAt = null;
    if (r.alertAt !== null && (target === undefined || used(m, r) < alertLength(target))) r.alertAt = null;
  };
  // At a change while running, or at the resume after one while paused: a target the time counted
  // already exceeds is breached then, even if a stop comes at the same instant.
  const overAt = (m: RefMetric, t: number) => {
    if (!isOpenRun(m)) return;
    const r = last(m) as Run;
    if (r.target === undefined) return;
    if (r.breachedAt === null && used(m, r) > r.target) r.breachedAt = t;
    if (r.alertAt === null && used(m, r) > alertLength(r.target)) r.alertAt = t;
  };
  const stop = (m: RefMetric, at: number, by: "respond" | "resolve") => {
    const r = last(m);
    if (r === undefined || r.stop !== null) return;
    r.stop = at;
    r.stoppedBy = by;
  };

  const events = ticket.events.filter((e) => e.at <= now);
  let k = 0;
  for (let t = ticket.createdAt; ; t += MINUTE) {
    while (k < events.length && (events[k] as RefEvent).at === t) {
      const e = events[k++] as RefEvent;
      switch (e.type) {
        case "pause":
          paused = true;
          break;
        case "resume":
          paused = false;
          for (const m of REF_METRICS) overAt(m, t);
          break;
        case "priority":
          priority = e.priority as string;
          for (const m of REF_METRICS) {
            if (isOpenRun(m)) retarget(m, last(m) as Run, targetOf(m));
            else if (last(m) === undefined) idleTarget[m] = targetOf(m);
            if (!paused) overAt(m, t);
          }
          break;
        case "respond":
        case "agentReply":
          stop("response", t, "respond");
          if (measured("nextReply")) stop("nextReply", t, "respond");
          if (measured("periodicUpdate")) {
            stop("periodicUpdate", t, "respond");
            if (!resolved) runs.periodicUpdate.push(new Run(t, targetOf("periodicUpdate")));
          }
          break;
        case "customerReply": {
          const responseDone = (last("response") as Run).stop !== null;
          if (measured("nextReply") && !resolved && responseDone && !isOpenRun("nextReply"))
            runs.nextReply.push(new Run(t, targetOf("nextReply")));
          break;
        }
        case "resolve":
          resolved = true;
          // A resolve ends a pause as a resume does: over the target, breached here before the stop.
          if (paused) for (const m of REF_METRICS) overAt(m, t);
          paused = false;
          for (const m of REF_METRICS) stop(m, t, "resolve");
          break;
        case "reopen": {
          resolved = false;
          // Resolution runs again, accumulating: the next run carries the time counted so far.
          const before = last("resolution") as Run;
          const next = new Run(t, before.target);
          next.business = before.business;
          next.calendar = before.calendar;
          next.breachedAt = before.breachedAt;
          next.alertAt = before.alertAt;
          next.baseBusiness = before.business;
          next.baseCalendar = before.calendar;
          runs.resolution.push(next);
          retarget("resolution", next, targetOf("resolution"));
          if (measured("periodicUpdate")) runs.periodicUpdate.push(new Run(t, targetOf("periodicUpdate")));
          break;
        }
      }
    }
    // The breach rule, then count the minute.
    for (const m of REF_METRICS) {
      if (!isOpenRun(m) || paused) continue;
      const r = last(m) as Run;
      if (r.target !== undefined && r.breachedAt === null && used(m, r) >= r.target) r.breachedAt = t;
      if (r.target !== undefined && r.alertAt === null && used(m, r) >= alertLength(r.target)) r.alertAt = t;
    }
    if (t >= now) break;
    const open = isOpen(policy, t);
    for (const m of REF_METRICS) {
      if (!isOpenRun(m) || paused) continue;
      const r = last(m) as Run;
      if (open) r.business += MINUTE;
      r.calendar += MINUTE;
    }
  }

  const result = {} as Record<RefMetric, RefMetricResult>;
  for (const m of REF_METRICS) {
    const list = runs[m];
    const measure = policy.measures[m];
    const cycles = list.map((r, i): RefCycle => {
      const current = i === list.length - 1;
      const u = used(m, r);
      const status =
        r.target === undefined
          ? "none"
          : r.breachedAt !== null
            ? "breached"
            : r.stop !== null
              ? "met"
              : paused
                ? "paused"
                : "running";
      const deadline =
        r.target === undefined
          ? null
          : r.breachedAt !== null
            ? r.breachedAt
            : walk(policy, measure, r.stop ?? now, Math.max(0, r.target - u));
      return {
        start: r.start,
        stop: r.stop,
        stoppedBy: r.stoppedBy,
        measure: r.target === undefined ? null : measure,
        elapsed: u - (policy.measures[m] === "calendar" && r.target !== undefined ? r.baseCalendar : r.baseBusiness),
        targetMs: r.target ?? null,
        deadline: current || r.stop !== null ? deadline : null,
        status,
        breachedAt: r.breachedAt,
      };
    });
    const cur = cycles[cycles.length - 1];
    const r = list[list.length - 1];
    let alertAt: number | null = null;
    if (r !== undefined && r.target !== undefined) {
      if (r.alertAt !== null) alertAt = r.alertAt;
      else if (cur?.status === "running") alertAt = walk(policy, measure, now, alertLength(r.target) - used(m, r));
    }
    result[m] = {
      alertAt,
      status: !measured(m) ? "none" : cur === undefined ? (idleTarget[m] === undefined ? "none" : "idle") : cur.status,
      elapsed: r === undefined ? 0 : used(m, r),
      breachedAt: cur?.breachedAt ?? null,
      deadline: cur?.deadline ?? null,
      breaches: cycles.filter((c) => c.breachedAt !== null).length,
      cycles,
    };
  }
  return result;
}
