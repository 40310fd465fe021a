/**
 * The benchmark workload, shared by sla-clock and every peer: the `softone-se` calendar, starts
 * uniform over 2023-01-01 … 2032-12-31 (UTC) at millisecond resolution, durations drawn from
 * {2, 4, 12, 48} business hours, from a seeded generator so that every run uses the same inputs.
 */
import Holidays from "date-holidays";

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
/** First possible start, 2023-01-01T00:00Z. */
export const FROM = Date.UTC(2023, 0, 1);
/** End of the start range (exclusive), 2033-01-01T00:00Z. */
export const TO = Date.UTC(2033, 0, 1);
export const DURATION_HOURS = [2, 4, 12, 48] as const;
/** The Swedish holidays every peer is given: the start years plus 2033, where late deadlines land. */
export const HOLIDAY_YEARS = [2023, 2033] as const;

/** mulberry32: a tiny, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Workload {
  /** Epoch milliseconds. */
  readonly starts: Float64Array;
  /** Milliseconds of business time. */
  readonly durations: Float64Array;
}

/**
 * `n` starts and durations from `seed`. With `wholeMinutes` the same starts are cut down to the
 * minute (item `i` is item `i` of the millisecond workload with its seconds dropped), for peers that
 * count whole minutes.
 */
export function workload(n: number, seed: number, wholeMinutes = false): Workload {
  const random = prng(seed);
  const starts = new Float64Array(n);
  const durations = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = FROM + Math.floor(random() * (TO - FROM));
    starts[i] = wholeMinutes ? t - (t % MINUTE) : t;
    durations[i] = DURATION_HOURS[Math.floor(random() * DURATION_HOURS.length)]! * HOUR;
  }
  return { starts, durations };
}

/** Swedish public holidays (local `YYYY-MM-DD`) from date-holidays, as every peer gets them. */
export function swedishPublicHolidays(
  fromYear: number = HOLIDAY_YEARS[0],
  toYear: number = HOLIDAY_YEARS[1],
): string[] {
  const hd = new Holidays("SE", { types: ["public"] });
  const dates = new Set<string>();
  for (let y = fromYear; y <= toYear; y++) {
    for (const h of hd.getHolidays(y)) if (h.type === "public") dates.add(h.date.slice(0, 10));
  }
  return [...dates].sort();
}
