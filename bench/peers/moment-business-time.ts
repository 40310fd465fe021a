/**
 * Peer: moment-business-time 2 on moment-timezone, configured as close to `softone-se` as the
 * plugin allows: working hours 08:00–12:00 and 13:00–16:00 Monday–Friday and the Swedish public
 * holidays as dates, with every moment created in Europe/Stockholm. The plugin has no per-date
 * hours, so it cannot express the eves' 13:00 close. Its configuration lives in moment's global
 * locale.
 */
import moment from "moment-timezone";
import "moment-business-time";

const ZONE = "Europe/Stockholm";
const DAY = ["08:00:00", "12:00:00", "13:00:00", "16:00:00"];

interface BusinessMoment extends moment.Moment {
  addWorkingTime(amount: number, unit: string): moment.Moment;
}

export function makeMomentBusinessTime(holidays: readonly string[]): (startMs: number, durationMs: number) => number {
  moment.updateLocale(moment.locale(), {
    workinghours: { 0: null, 1: DAY, 2: DAY, 3: DAY, 4: DAY, 5: DAY, 6: null },
    holidays: [...holidays],
  } as moment.LocaleSpecification);
  return (startMs, durationMs) =>
    (moment.tz(startMs, ZONE) as BusinessMoment).addWorkingTime(durationMs / 3_600_000, "hours").valueOf();
}
