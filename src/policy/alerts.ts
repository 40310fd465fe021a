import type * as z from "zod/mini";
import { lazySchema } from "../util/zod";
import { SlaClockError, formatPath } from "../errors";
import { isNegativeMs, toElapsedMs, type DurationInput } from "../time/duration";
import { durationSchema } from "./target";

/*
 * Alert thresholds: the points of a target at which a service wants to be told, before the
 * deadline itself. A threshold is either a fraction of the target (0.5 = half of it used) or a lead
 * before the target runs out ({ before: "PT1H" }), counted in the target's own measure: business
 * time for business targets (an hour of opening hours before the deadline), elapsed time for
 * calendar targets and windows. Both reduce to one number per target, the time used at which the
 * threshold is crossed, so the ticket clock finds a crossing exactly as it finds a breach.
 */

/**
 * One alert threshold of a policy: a fraction of the target in (0, 1] (`0.75`: three quarters of
 * the target used), or a lead before the target runs out, `{ before: duration }`, in the target's
 * own measure (business time for business targets).
 *
 * @example
 * ```ts
 * const thresholds: AlertThreshold[] = [0.5, 0.75, { before: "PT1H" }];
 * const policy = definePolicy({ ...getPolicy("softone-se").spec, id: "alerts", alerts: thresholds });
 * ```
 */
export type AlertThreshold = number | { readonly before: DurationInput };

/** The most thresholds a policy or a call may give: each costs a crossing check per metric. */
export const MAX_ALERTS = 10;

/** @internal */
export const alertsSchema = /* @__PURE__ */ lazySchema((z) =>
  z
    .array(
      z.union(
        [
          z
            .number({ error: "expected a fraction in (0, 1] or { before: duration }" })
            .check(
              z.gt(0, { error: "a fraction must be greater than 0" }),
              z.lte(1, { error: "a fraction must be at most 1" }),
            ),
          z.strictObject({ before: durationSchema() }),
        ],
        { error: 'expected a fraction in (0, 1] such as 0.75, or a lead such as { before: "PT1H" }' },
      ),
      { error: "expected a list of alert thresholds" },
    )
    .check(z.maxLength(MAX_ALERTS, { error: `at most ${MAX_ALERTS} alert thresholds` })),
);

/**
 * A threshold compiled to how it scales a target: a fraction of it, or the target less a lead.
 * @internal
 */
export interface CompiledAlert {
  /** The threshold as the spec or the call gave it (what results report). */
  readonly threshold: AlertThreshold;
  /** The fraction of the target, or NaN for a lead. */
  readonly fraction: number;
  /** The lead in ms of the target's measure (0 for a fraction). */
  readonly beforeMs: number;
}

/**
 * Thresholds read and checked: `INVALID_ARGUMENT` naming `path` (for a call's options; a spec's
 * thresholds are checked by its schema first, so they only fail here on a bad duration).
 * @internal
 */
export function compileAlerts(list: unknown, path: string): readonly CompiledAlert[] {
  // Fractions alone (evaluate's default alert, made from the at-risk threshold, is one) need no
  // schema: the same result without loading zod, a seventh of a second of every CLI run's start.
  if (Array.isArray(list) && list.length <= MAX_ALERTS && everyIndexIsFraction(list))
    return Object.freeze(list.map(fractionAlert));
  const parsed = alertsSchema().safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0] as z.core.$ZodIssue;
    const where = formatPath([path, ...issue.path]);
    throw new SlaClockError("INVALID_ARGUMENT", `${where}: ${issue.message}`, { value: list, path: where });
  }
  return Object.freeze(
    parsed.data.map((threshold, j): CompiledAlert => {
      if (typeof threshold === "number") return fractionAlert(threshold);
      const beforeMs = toElapsedMs(threshold.before, `${path}[${j}].before`);
      if (isNegativeMs(beforeMs))
        throw new SlaClockError("INVALID_ARGUMENT", `${path}[${j}].before: a lead must not be negative`, {
          value: threshold.before,
          path: `${path}[${j}].before`,
        });
      return Object.freeze({ threshold: Object.freeze({ ...threshold }), fraction: Number.NaN, beforeMs });
    }),
  );
}

/**
 * Whether every index of `list` holds a fraction. `every` skips the holes of a sparse array
 * (`[0.5, , 0.9]`), which `map` then keeps: such a list must go to the schema, which refuses them.
 */
function everyIndexIsFraction(list: readonly unknown[]): boolean {
  for (let j = 0; j < list.length; j++) if (!isFraction(list[j])) return false;
  return true;
}

/** A fraction of the target (a number in (0, 1]) as a compiled threshold. */
function fractionAlert(threshold: number): CompiledAlert {
  return Object.freeze({ threshold, fraction: threshold, beforeMs: 0 });
}

/** A threshold the schema reads as a fraction of the target: a number in (0, 1]. */
function isFraction(value: unknown): value is number {
  return typeof value === "number" && value > 0 && value <= 1;
}

/**
 * The time used (ms of the measure) at which a threshold is crossed for a target of `length` ms:
 * the first whole millisecond at or past the fraction, or the target less the lead (0 when the
 * lead is longer than the target: crossed as soon as the clock runs).
 * @internal
 */
export function alertLength(alert: CompiledAlert, length: number): number {
  if (alert.fraction === alert.fraction) return fractionLength(alert.fraction, length);
  return length > alert.beforeMs ? length - alert.beforeMs : 0;
}

/**
 * `ceil(fraction × length)`, where a product less than a microsecond past a whole millisecond is
 * that millisecond: floating point leaves a product that is a whole millisecond a hair above it
 * (0.55 × 3 600 000 is 1 980 000.0000000002), and its ceiling made the 55 % crossing a
 * millisecond late, after the instant at which `atRisk` was already true.
 */
function fractionLength(fraction: number, length: number): number {
  const product = fraction * length;
  const whole = Math.floor(product);
  return product - whole < 1e-3 ? whole : whole + 1;
}
