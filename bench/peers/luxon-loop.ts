/**
 * Peer: a straightforward luxon day-by-day loop, as a developer would write it for SoftOne's
 * Swedish hours. Walk the local days from the start; for each day work out its opening hours in
 * Europe/Stockholm (weekdays 08–12 and 13–16; nothing on a public holiday; the day before a public
 * holiday closes at 13:00, which leaves 08–12); use up the duration interval by interval. No index
 * and no cache beyond the set of holiday dates.
 */
import { DateTime } from "luxon";

const ZONE = "Europe/Stockholm";

export function makeLuxonLoop(holidays: readonly string[]): (startMs: number, durationMs: number) => number {
  const holidaySet = new Set(holidays);
  const isHoliday = (day: DateTime) => holidaySet.has(day.toISODate()!);

  /** The opening hours of a local day (`day` is its midnight), as [open, close) pairs. */
  function openingHours(day: DateTime): [DateTime, DateTime][] {
    if (day.weekday > 5 || isHoliday(day)) return [];
    const at = (hour: number) => day.set({ hour });
    // "Dag före röd dag stänger vi kl 13": the afternoon (13–16) goes, lunch is 12–13 anyway.
    if (isHoliday(day.plus({ days: 1 }))) return [[at(8), at(12)]];
    return [
      [at(8), at(12)],
      [at(13), at(16)],
    ];
  }

  return (startMs, durationMs) => {
    let left = durationMs;
    let day = DateTime.fromMillis(startMs, { zone: ZONE }).startOf("day");
    for (let guard = 0; guard < 3660; guard++) {
      for (const [open, close] of openingHours(day)) {
        const from = Math.max(open.toMillis(), startMs);
        const to = close.toMillis();
        if (to <= from) continue;
        // `>=`: a duration that ends exactly at a close returns the close, as sla-clock does.
        if (to - from >= left) return from + left;
        left -= to - from;
      }
      day = day.plus({ days: 1 });
    }
    throw new Error("no opening hours within 10 years");
  };
}
