import { SlaClockError } from "../../errors";
import type { Metric } from "../../policy/spec";
import type { Policy } from "../../clock/policy";
import { UsageError } from "../load";

/**
 * `sla-clock deadline <policy> --priority N [--metric] <start>`: one deadline, ISO-8601 with the
 * calendar's offset, or a line saying there is no target.
 *
 * @example
 * ```ts
 * deadlineLine(getPolicy("softone-se"), "3", "response", "2026-04-02T11:00"); // "2026-04-08T12:00:00+02:00"
 * ```
 */
export function deadlineLine(policy: Policy, priority: string, metric: string, start: string): string {
  if (metric !== "response" && metric !== "resolution")
    throw new UsageError(`--metric: "${metric}" is not a metric; use response or resolution`);
  try {
    const t = policy.calendar.parse(start, { path: "start" });
    const due = policy.deadline(t, { priority, metric: metric as Metric });
    return due === null ? "no target (best effort)" : policy.calendar.format(due);
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}
