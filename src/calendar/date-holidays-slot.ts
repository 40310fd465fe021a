/**
 * The browser build's way to reach ./holidays.ts, the date-holidays source: a slot that
 * ./holidays.ts fills when it is loaded. tsup.config.ts builds dist/browser/ with this module in
 * place of ./date-holidays-link.ts, the Node builds' static import of it.
 *
 * Why: a spec is checked (./spec.ts) and a calendar built (./holiday-source.ts) by code that must
 * be able to ask date-holidays, so a static import kept ./holidays.ts, its host-skip repair and its
 * caches (about 3 KB gzipped) in every browser bundle, a holiday-less calendar's too. A bundle can
 * ask date-holidays only once the app has handed the class over with `registerDateHolidays`, which
 * is exported by ./holidays.ts: an app that does so keeps that module, which fills this slot as it
 * loads, and an app that does not lets its bundler drop it (`sideEffects: false`). Then a
 * date-holidays spec gets the refusal it got before, in the same words ({@link NOT_LOADED}, path
 * `holidays`). dist/browser/ loaded without a bundler (a test runner with the `browser` condition)
 * loads every module, ./holidays.ts too, so it answers as it did.
 */
import type { ValidationIssue } from "../errors";
import type { HolidayProvider } from "./holiday-source";
import type { CompiledHolidays, DateHolidaysSource } from "./spec";

/**
 * The advice when date-holidays cannot be had (an issue at `holidays`).
 *
 * @example
 * ```ts
 * const issue: ValidationIssue = { path: "holidays", message: NOT_LOADED };
 * ```
 * @internal
 */
export const NOT_LOADED =
  'date-holidays is not available here (no Node require, e.g. a browser bundle): import Holidays from "date-holidays" and call registerDateHolidays(Holidays) once before creating the calendar, or give an explicit list ({ source: "list", dates: [...] })';

/** A compiled date-holidays source. @internal */
export type CompiledDateHolidays = Extract<CompiledHolidays, { kind: "date-holidays" }>;

/**
 * What ./holidays.ts answers for: the checks of a source's country, state and region, and the
 * provider of a compiled source's holidays.
 *
 * @example
 * ```ts
 * const support: DateHolidaysSupport = { issues: dateHolidaysIssues, lookup: (source) => new DateHolidaysLookup(source) };
 * ```
 * @internal
 */
export interface DateHolidaysSupport {
  readonly issues: (source: DateHolidaysSource) => ValidationIssue[];
  readonly lookup: (source: CompiledDateHolidays) => HolidayProvider;
}

let support: DateHolidaysSupport | undefined;

/**
 * Fills the slot: called by ./holidays.ts as it loads.
 *
 * @example
 * ```ts
 * installDateHolidays({ issues: dateHolidaysIssues, lookup: (source) => new DateHolidaysLookup(source) });
 * ```
 * @internal
 */
export function installDateHolidays(given: DateHolidaysSupport): void {
  support = given;
}

/**
 * The date-holidays source's country, state and region checked against its data; without
 * ./holidays.ts, the advice to register date-holidays.
 *
 * @example
 * ```ts
 * dateHolidaysIssues({ country: "SE" }); // [] once registerDateHolidays(Holidays) is in the bundle
 * ```
 * @internal
 */
export function dateHolidaysIssues(source: DateHolidaysSource): ValidationIssue[] {
  return support === undefined ? [{ path: "holidays", message: NOT_LOADED }] : support.issues(source);
}

/**
 * The provider of a compiled date-holidays source's holidays. Unreachable without ./holidays.ts:
 * {@link dateHolidaysIssues} refuses every such spec first.
 *
 * @example
 * ```ts
 * dateHolidaysLookup(compiled).closes(day); // whether a closing holiday falls on the day
 * ```
 * @internal
 */
export function dateHolidaysLookup(source: CompiledDateHolidays): HolidayProvider {
  if (support === undefined) throw new Error(NOT_LOADED);
  return support.lookup(source);
}
