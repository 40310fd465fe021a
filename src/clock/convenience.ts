import type { Ticket } from "./ticket";
import { METRICS, type Metric } from "../policy/spec";
import type { InstantInput } from "../time/instant";
import { rulesOf, type Policy } from "./policy";

/**
 * Time left on a ticket's metric at `now` in milliseconds of the target's measure (negative when
 * overdue), or `null` when the priority has no target for it.
 *
 * @example
 * ```ts
 * import { getPolicy, remaining } from "sla-clock";
 * remaining(getPolicy("softone-se"), { id: 1, priority: 2, createdAt: "2026-04-02T09:00" }, "2026-04-02T10:00"); // 10_800_000
 * ```
 */
export function remaining(
  policy: Policy,
  ticket: Ticket,
  now?: InstantInput,
  metric: Metric = "response",
): number | null {
  const m = rulesOf(policy).metric(metric);
  return policy.evaluate(ticket, now)[m].remaining;
}

/**
 * Whether a ticket has breached at `now`: one metric, or any metric when `metric` is omitted (for
 * `nextReply` and `periodicUpdate`, their current cycle, as their `status` says).
 *
 * @example
 * ```ts
 * import { getPolicy, isBreached } from "sla-clock";
 * isBreached(getPolicy("trinax-alert"), { id: 1, priority: 1, createdAt: "2026-04-02T09:00" }, "2026-04-02T10:00"); // true
 * ```
 */
export function isBreached(policy: Policy, ticket: Ticket, now?: InstantInput, metric?: Metric): boolean {
  const rules = rulesOf(policy); // a typed error for anything that is not a Policy
  const m = metric === undefined ? undefined : rules.metric(metric);
  const result = policy.evaluate(ticket, now);
  if (m !== undefined) return result[m].status === "breached";
  return METRICS.some((metric) => result[metric].status === "breached");
}
