/**
 * Peer: dayjs-business-time 1, configured as close to `softone-se` as it allows: business hours
 * 08:00–12:00 and 13:00–16:00 Monday–Friday and the Swedish public holidays as dates. The plugin
 * reads wall time in the host's zone, so it is run in a process with TZ=Europe/Stockholm. It has no
 * per-date hours (no eves) and moves through time in whole minutes.
 */
import dayjs from "dayjs";
import businessTime from "dayjs-business-time";

interface BusinessDayjs extends dayjs.Dayjs {
  addBusinessTime(amount: number, unit: string): dayjs.Dayjs;
}
interface BusinessDayjsFactory {
  setHolidays(holidays: string[]): void;
  setBusinessTime(hours: Record<string, { start: string; end: string }[] | null>): void;
}

export function makeDayjsBusinessTime(holidays: readonly string[]): (startMs: number, durationMs: number) => number {
  dayjs.extend(businessTime as unknown as dayjs.PluginFunc);
  const day = [
    { start: "08:00:00", end: "12:00:00" },
    { start: "13:00:00", end: "16:00:00" },
  ];
  const factory = dayjs as unknown as BusinessDayjsFactory;
  factory.setHolidays([...holidays]);
  factory.setBusinessTime({
    sunday: null,
    monday: day,
    tuesday: day,
    wednesday: day,
    thursday: day,
    friday: day,
    saturday: null,
  });
  return (startMs, durationMs) =>
    (dayjs(startMs) as BusinessDayjs).addBusinessTime(durationMs / 3_600_000, "hours").valueOf();
}
