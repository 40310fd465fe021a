import { engineOf } from "../calendar/calendar";
import { SlaClockError, refuseUnknownOptions, showValue } from "../errors";
import { getCalendar } from "../presets/registry";
import { formatDay, isoWeekday } from "../time/civil";
import { toEpochMs, type InstantInput } from "../time/instant";

/**
 * The customer's choice for a support login granted on a Friday.
 *
 * @example
 * ```ts
 * const options: SupportLoginOptions = { fridayChoice: 72 };
 * ```
 */
export interface SupportLoginOptions {
  /** 24 or 72 hours of calendar time instead of 8 working hours; only for a grant on a Friday. */
  readonly fridayChoice?: 24 | 72;
}

const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const WORKING_HOURS = 8 * 3_600_000;
const HOUR = 3_600_000;

/**
 * When a SoftOne support login expires (seed 002: the customer chooses whether the support login
 * is valid "i 8 arbetstimmar framåt (24 eller 72 timmar om det är en fredag)"): 8 working hours on
 * the `softone-se` calendar from the grant; for a grant on a Friday (Stockholm date) the customer
 * may instead choose 24 or 72 hours of calendar time. Reading: without a choice the 8 working hours
 * apply on a Friday too; a Friday choice on another day is an `INVALID_ARGUMENT` error.
 *
 * @example
 * ```ts
 * import { supportLoginExpiry } from "sla-clock";
 * supportLoginExpiry("2026-04-01T14:00"); // Wed 14–16, Thu 08–12 (eve), Tue 08–10 → 2026-04-07 10:00 Stockholm
 * supportLoginExpiry("2026-04-10T15:00", { fridayChoice: 72 }); // 2026-04-13 15:00 Stockholm
 * ```
 */
export function supportLoginExpiry(grantedAt: InstantInput, options: SupportLoginOptions = {}): Date {
  if (typeof options !== "object" || options === null) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `options must be an object such as { fridayChoice: 24 }, got ${showValue(options)}`,
    );
  }
  refuseUnknownOptions(options, ["fridayChoice"], "options");
  const calendar = getCalendar("softone-se");
  const engine = engineOf(calendar);
  const t = toEpochMs(grantedAt, engine.zone, "grantedAt");
  const choice = options.fridayChoice;
  if (choice === undefined)
    return new Date(
      engine.checked(engine.add(t, WORKING_HOURS), "the support login's expiry (grantedAt + 8 working hours)"),
    );
  if (choice !== 24 && choice !== 72) {
    throw new SlaClockError("INVALID_ARGUMENT", `fridayChoice must be 24 or 72 (hours), got ${showValue(choice)}`, {
      value: choice,
    });
  }
  const day = engine.localDay(t);
  const weekday = isoWeekday(day);
  if (weekday !== 5) {
    throw new SlaClockError(
      "INVALID_ARGUMENT",
      `fridayChoice applies only to a login granted on a Friday; this one is granted on a ${WEEKDAY_NAMES[weekday - 1]} (${formatDay(day)} in Europe/Stockholm)`,
      { value: choice },
    );
  }
  return new Date(engine.checked(t + choice * HOUR, "the support login's expiry"));
}
