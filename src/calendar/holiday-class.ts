/**
 * Whether the application handed sla-clock a date-holidays class of its own
 * (`registerDateHolidays`). Another thread of the process cannot be given that class: a replay
 * shared with one (clock/replay-threads.ts) would compute holidays with the date-holidays it loads
 * itself, so it is not shared then. A module of its own, so that reading the flag loads nothing.
 */
let byApp = false;

/** Records that the application registered a date-holidays class (set by ./holidays.ts). @internal */
export function noteAppDateHolidays(): void {
  byApp = true;
}

/**
 * Whether the application registered a date-holidays class of its own.
 *
 * @example
 * ```ts
 * if (!appDateHolidays()) startReplayHelper(); // another thread would load the same date-holidays
 * ```
 * @internal
 */
export function appDateHolidays(): boolean {
  return byApp;
}
