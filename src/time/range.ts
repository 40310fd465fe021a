import { DAY_MS, dayFromCivil } from "./civil";

/** First supported instant: 1900-01-01T00:00:00Z. */
export const MIN_INSTANT = dayFromCivil(1900, 1, 1) * DAY_MS;
/** First instant after the supported range: 2201-01-01T00:00:00Z. */
export const END_INSTANT = dayFromCivil(2201, 1, 1) * DAY_MS;
/** First supported year. */
export const MIN_YEAR = 1900;
/** Last supported year. */
export const MAX_YEAR = 2200;

/** Whether an epoch-ms instant lies in the supported range 1900-01-01 … 2200-12-31 (UTC). */
export function inSupportedRange(instant: number): boolean {
  return instant >= MIN_INSTANT && instant < END_INSTANT;
}
