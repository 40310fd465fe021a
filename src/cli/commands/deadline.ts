import { SlaClockError } from "../../errors";
import type { Metric } from "../../policy/spec";
import type { Policy } from "../../clock/policy";
import { instantReader, type InstantFormat } from "../io/cells";
import { UsageError } from "../load";

/**
 * `sla-clock deadline <policy> --priority N [--metric] <start>`: one deadline, ISO-8601 with the
 * calendar's offset, or a line saying there is no target. A window target prints both ends
 * (`between … and …`). `start` is `now`, or an instant in any form `evaluate` reads (ISO-8601, a
 * space for the `T`, `format`'s `--date-format` or `--epoch`); `now` is the current time, passed in.
 *
 * @example
 * ```ts
 * deadlineLine(getPolicy("softone-se"), "3", "response", "2026-04-02T11:00"); // "2026-04-08T12:00:00+02:00"
 * deadlineLine(getPolicy("softone-se"), "4", "resolution", "2026-01-31 10:00");
 * // "between 2026-02-28T10:00:00+01:00 and 2026-07-31T10:00:00+02:00"
 * ```
 */
export function deadlineLine(
  policy: Policy,
  priority: string,
  metric: string,
  start: string,
  format: InstantFormat = {},
  now: () => number = Date.now,
): string {
  if (metric !== "response" && metric !== "resolution")
    throw new UsageError(`--metric: "${metric}" is not a metric; use response or resolution`);
  try {
    const t = startInstant(policy, start, format, now);
    const due = policy.window(t, { priority, metric: metric as Metric });
    if (due.deadline === null) return "no target (best effort)";
    const end = policy.calendar.format(due.deadline);
    return due.earliest === null ? end : `between ${policy.calendar.format(due.earliest)} and ${end}`;
  } catch (e) {
    if (e instanceof SlaClockError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The `<start>` of `deadline` and `explain`: `now` (any case), or an instant in any form `evaluate`
 * reads (ISO-8601, a space for the `T`, `--date-format`, `--epoch`), in epoch ms. Throws the
 * library's typed error for text it cannot read.
 *
 * @example
 * ```ts
 * startInstant(getPolicy("softone-se"), "2026-04-02 11:00"); // 1775120400000
 * ```
 */
export function startInstant(
  policy: Policy,
  start: string,
  format: InstantFormat = {},
  now: () => number = Date.now,
): number {
  return start.trim().toLowerCase() === "now" ? now() : instantReader(policy.calendar, format)(start, "start");
}
