import { lazySchema } from "../util/zod";
import { Duration } from "luxon";
import type { CalendarEngine } from "../calendar/engine";
import { SlaClockError, formatPath, refuseHiddenContent, validationError } from "../errors";
import { END_INSTANT, MIN_INSTANT } from "../time/range";
import {
  isNegativeMs,
  roundMs,
  toCalendarDuration,
  toElapsedMs,
  type CalendarDuration,
  type DurationInput,
} from "../time/duration";

/**
 * A duration inside a policy spec. JSON forms: milliseconds, an ISO-8601 duration (`"PT2H"`,
 * `"P4W"`) or an object (`{ hours: 2 }`, `{ months: 6 }`). A luxon `Duration` works too.
 *
 * @example
 * ```ts
 * const twoHours: TargetDuration = "PT2H";
 * const fourWeeks: TargetDuration = { weeks: 4 };
 * ```
 */
export type TargetDuration = DurationInput;

/**
 * A service-level target: when a metric is due, counted from the ticket's creation.
 *
 * - `business`: business time on the policy's calendar (`addBusinessTime(start, duration)`).
 * - `calendar`: wall-clock time from the start itself (not the next opening), ignoring open hours:
 *   months, weeks and days by wall clock in the calendar's zone (Jan 31 + 1 month = Feb 28/29, time
 *   of day kept), hours and smaller as elapsed time.
 * - `endOfBusinessDay`: the last closing instant of the business day on which the clock starts
 *   ("samma dag").
 * - `endOfBusinessWeek`: the last closing instant of the last open day of the ISO week in which the
 *   clock starts ("samma vecka").
 * - `window`: due between `start + earliest` and `start + latest` (calendar durations); the
 *   deadline is the latest ("inom 1–6 månader").
 * - `none`: best effort, no deadline.
 *
 * @example
 * ```ts
 * const targets: Target[] = [
 *   { kind: "business", duration: "PT2H" },
 *   { kind: "calendar", duration: { weeks: 4 } },
 *   { kind: "endOfBusinessDay" },
 *   { kind: "endOfBusinessWeek" },
 *   { kind: "window", earliest: { months: 1 }, latest: { months: 6 } },
 *   { kind: "none" },
 * ];
 * ```
 */
export type Target =
  | { readonly kind: "business"; readonly duration: TargetDuration }
  | { readonly kind: "calendar"; readonly duration: TargetDuration }
  | { readonly kind: "endOfBusinessDay" }
  | { readonly kind: "endOfBusinessWeek" }
  | { readonly kind: "window"; readonly earliest: TargetDuration; readonly latest: TargetDuration }
  | { readonly kind: "none" };

/**
 * Which clock a target's time is measured on: business time on the policy's calendar, or elapsed
 * calendar time.
 *
 * @example
 * ```ts
 * const m: Measure = getPolicy("softone-se").evaluate(ticket, now).resolution.measure ?? "business";
 * ```
 */
export type Measure = "business" | "calendar";

/** @internal */
export const durationSchema = /* @__PURE__ */ lazySchema((z) =>
  z.custom<TargetDuration>(
    (v) =>
      typeof v === "number" ||
      typeof v === "string" ||
      Duration.isDuration(v) ||
      (typeof v === "object" && v !== null && !Array.isArray(v)),
    {
      error:
        'expected a duration: milliseconds, an ISO-8601 duration such as "PT2H", or an object such as { hours: 2 }',
    },
  ),
);

/** @internal */
export const targetSchema = /* @__PURE__ */ lazySchema((z) =>
  z.discriminatedUnion(
    "kind",
    [
      z.strictObject({ kind: z.literal("business"), duration: durationSchema() }),
      z.strictObject({ kind: z.literal("calendar"), duration: durationSchema() }),
      z.strictObject({ kind: z.literal("endOfBusinessDay") }),
      z.strictObject({ kind: z.literal("endOfBusinessWeek") }),
      z.strictObject({ kind: z.literal("window"), earliest: durationSchema(), latest: durationSchema() }),
      z.strictObject({ kind: z.literal("none") }),
    ],
    {
      error: () =>
        'expected a target with kind "business", "calendar", "endOfBusinessDay", "endOfBusinessWeek", "window" or "none"',
    },
  ),
);

/** A target whose durations have been checked and converted. @internal */
export type CompiledTarget =
  | { readonly kind: "business"; readonly ms: number }
  | { readonly kind: "calendar"; readonly duration: CalendarDuration }
  | { readonly kind: "endOfBusinessDay" }
  | { readonly kind: "endOfBusinessWeek" }
  | {
      readonly kind: "window";
      readonly earliest: CalendarDuration;
      readonly latest: CalendarDuration;
    }
  | { readonly kind: "none" };

/**
 * Checks a target's durations (throws `INVALID_DURATION` naming `path`) and converts them.
 * @internal
 */
export function compileTarget(target: Target, path: string): CompiledTarget {
  switch (target.kind) {
    case "business": {
      const ms = nonNegative(toElapsedMs(target.duration, `${path}.duration`), `${path}.duration`);
      return { kind: "business", ms: withinRange(ms, `${path}.duration`) };
    }
    case "calendar":
      return { kind: "calendar", duration: calendarPart(target.duration, path, "duration") };
    case "window": {
      const earliest = calendarPart(target.earliest, path, "earliest");
      const latest = calendarPart(target.latest, path, "latest");
      if (alwaysEndsLater(earliest, latest))
        throw new SlaClockError(
          "INVALID_DURATION",
          `${path}: earliest ends after latest, so the window holds no instant; give the shorter duration as earliest`,
          { path: `${path}.earliest` },
        );
      return { kind: "window", earliest, latest };
    }
    default:
      return { kind: target.kind };
  }
}

/** A day, and the most a zone's clock changes move the length of a span of whole days (3 hours). */
const DAY = 86_400_000;
const CLOCK_CHANGE_SLACK = 3 * 3_600_000;

/**
 * Whether `start + earliest` ends after `start + latest` whatever the start, so that the window
 * holds no instant: each part of `earliest` is at least `latest`'s and one is larger (months and
 * days are added on the wall clock, then the rest), or `earliest`'s least elapsed time (a month is
 * at least 28 days; whole days lose at most a clock change's hours) exceeds `latest`'s most (a
 * month at most 31 days, plus a change). The parts alone missed `{ months: 1 }` against
 * `{ hours: 1 }`.
 */
function alwaysEndsLater(earliest: CalendarDuration, latest: CalendarDuration): boolean {
  if (
    earliest.months >= latest.months &&
    earliest.days >= latest.days &&
    earliest.ms >= latest.ms &&
    (earliest.months > latest.months || earliest.days > latest.days || earliest.ms > latest.ms)
  )
    return true;
  const least = (28 * earliest.months + earliest.days) * DAY + earliest.ms;
  const most = (31 * latest.months + latest.days) * DAY + latest.ms;
  const earliestDays = earliest.months > 0 || earliest.days > 0;
  const latestDays = latest.months > 0 || latest.days > 0;
  return least - (earliestDays ? CLOCK_CHANGE_SLACK : 0) > most + (latestDays ? CLOCK_CHANGE_SLACK : 0);
}

/** A calendar duration of a target (`part` of the target at `path`), checked. */
function calendarPart(input: TargetDuration, path: string, part: string): CalendarDuration {
  const duration = nonNegativeCalendar(toCalendarDuration(input, `${path}.${part}`), `${path}.${part}`);
  // Its least elapsed length: a month is at least 28 days, whole days lose at most a clock change.
  const wallDays = 28 * duration.months + duration.days;
  withinRange(wallDays * DAY - (wallDays > 0 ? CLOCK_CHANGE_SLACK : 0) + duration.ms, `${path}.${part}`);
  return duration;
}

/** The length of the supported range, 1900-01-01 … 2200-12-31: a longer target's deadline is never in it. */
const SUPPORTED_SPAN_MS = END_INSTANT - MIN_INSTANT;

/**
 * A target's (least) length in ms, refused when longer than the supported range: its deadline
 * would lie outside the range from every start (each evaluation would fail OUT_OF_RANGE), and a
 * length such as 1e300 ms does not fit the export's BIGINT columns.
 */
function withinRange(ms: number, path: string): number {
  if (ms > SUPPORTED_SPAN_MS)
    throw new SlaClockError(
      "INVALID_DURATION",
      `${path}: a target longer than the supported range 1900-01-01 … 2200-12-31 (${SUPPORTED_SPAN_MS} ms) has no deadline inside it; give a shorter duration, or { kind: "none" } for no deadline`,
      { path },
    );
  return ms;
}

function nonNegative(ms: number, path: string): number {
  if (isNegativeMs(ms)) throw negativeTarget(path);
  return ms;
}

function nonNegativeCalendar(d: CalendarDuration, path: string): CalendarDuration {
  if (d.months < 0 || d.days < 0 || isNegativeMs(d.ms)) throw negativeTarget(path);
  return d;
}

function negativeTarget(path: string): SlaClockError {
  return new SlaClockError("INVALID_DURATION", `${path}: a target's duration must not be negative`, { path });
}

/**
 * The deadline of a target for a clock started at `start` (epoch ms), or `null` for `none`.
 * @internal
 */
export function targetDeadline(engine: CalendarEngine, target: CompiledTarget, start: number): number | null {
  switch (target.kind) {
    case "business":
      return engine.add(start, target.ms);
    case "calendar":
      return engine.addCalendar(start, target.duration);
    case "endOfBusinessDay":
      return engine.endOfBusinessDay(start);
    case "endOfBusinessWeek":
      return engine.endOfBusinessWeek(start);
    case "window":
      return engine.addCalendar(start, target.latest);
    case "none":
      return null;
  }
}

/**
 * The earliest instant of a window target (`null` for every other kind).
 * @internal
 */
export function targetEarliest(engine: CalendarEngine, target: CompiledTarget, start: number): number | null {
  return target.kind === "window" ? engine.addCalendar(start, target.earliest) : null;
}

/**
 * A measure as a batch's columns store it: 0 none, 1 business, 2 calendar.
 * @internal
 */
export function measureCode(measure: Measure | null): number {
  return measure === null ? 0 : measure === "business" ? 1 : 2;
}

/**
 * Which clock a compiled target counts on, or `null` for `none`.
 * @internal
 */
export function measureOf(target: CompiledTarget): Measure | null {
  switch (target.kind) {
    case "business":
    case "endOfBusinessDay":
    case "endOfBusinessWeek":
      return "business";
    case "calendar":
    case "window":
      return "calendar";
    case "none":
      return null;
  }
}

/**
 * The amount of time a target grants a ticket created at `createdAt`, in ms of its measure
 * ({@link measureOf}). Deadlines that are instants (end of day, end of week) become the business
 * time up to them; calendar targets and windows the elapsed time to their end; `none` gives 0.
 * @internal
 */
export function budgetLength(engine: CalendarEngine, target: CompiledTarget, createdAt: number): number {
  switch (target.kind) {
    case "business":
      return target.ms;
    case "endOfBusinessDay":
    case "endOfBusinessWeek":
      return engine.between(createdAt, targetDeadline(engine, target, createdAt) as number);
    case "calendar":
    case "window":
      return (targetDeadline(engine, target, createdAt) as number) - createdAt;
    case "none":
      return 0;
  }
}

/**
 * A short English description of a target ("2 business hours", "end of business day").
 *
 * @example
 * ```ts
 * describeTarget({ kind: "business", duration: "PT2H" }); // "2 business hours"
 * describeTarget({ kind: "window", earliest: { months: 1 }, latest: { months: 6 } }); // "between 1 month and 6 months"
 * ```
 */
export function describeTarget(target: Target): string {
  checkTarget(target);
  switch (target.kind) {
    case "business": {
      const text = humanDuration(target.duration);
      return /^\d+(\.\d+)? (hour|minute)s?$/.test(text) ? text.replace(" ", " business ") : `${text} of business time`;
    }
    case "calendar":
      return `${humanDuration(target.duration)} (calendar time)`;
    case "endOfBusinessDay":
      return "end of business day";
    case "endOfBusinessWeek":
      return "end of business week";
    case "window":
      return `between ${humanDuration(target.earliest)} and ${humanDuration(target.latest)}`;
    case "none":
      return "best effort (no target)";
  }
}

/**
 * What definePolicy would say of the target: `INVALID_POLICY_SPEC` for its shape (paths from
 * `target`), `INVALID_DURATION` for a duration that is not one, is negative or is longer than the
 * supported range. A description of a bad target would be a silent wrong answer ("0 hours" for a
 * duration that does not parse).
 */
function checkTarget(target: unknown): asserts target is Target {
  refuseHiddenContent(target, "INVALID_POLICY_SPEC", "Invalid target", ["target"]);
  const parsed = targetSchema().safeParse(target);
  if (!parsed.success) {
    throw validationError(
      "INVALID_POLICY_SPEC",
      "Invalid target",
      parsed.error.issues.map((i) => ({
        path: formatPath(["target", ...i.path]),
        message:
          i.code === "unrecognized_keys"
            ? `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => `"${k}"`).join(", ")}`
            : i.message,
      })),
    );
  }
  compileTarget(target as Target, "target");
}

/**
 * The units of an ISO-8601 duration as a target reads it: around spaces trimmed (" PT2H " was
 * described as 0 hours while the target was 2 hours), and a fraction of a second past the
 * millisecond rounded, halves away from zero ("PT0.0015S" is 2 ms, not luxon's 1 ms).
 */
function unitsOfText(input: string): Record<string, number | undefined> {
  const text = input.trim();
  const units: Record<string, number | undefined> = { ...Duration.fromISO(text).toObject() };
  const fraction = /(\d+)[.,](\d{4,})S$/i.exec(text);
  if (fraction !== null) {
    const ms = roundMs(Number(`${fraction[1] as string}.${fraction[2] as string}`) * 1000);
    units.seconds = Math.trunc(ms / 1000);
    units.milliseconds = ms % 1000;
  }
  return units;
}

/** The units of whole milliseconds, from hours down. */
function unitsOfMs(ms: number): Record<string, number | undefined> {
  return { ...Duration.fromMillis(ms).shiftTo("hours", "minutes", "seconds", "milliseconds").toObject() };
}

/** The units that have a fixed length, in ms each (the rest, days and longer, are wall-clock units). */
const FIXED_UNIT_MS: Readonly<Record<string, number>> = {
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

/**
 * The units of an object duration as a target reads it: when its fixed-length units come to a
 * fraction of a millisecond, they are that time rounded as the target rounds it (`{ seconds:
 * 0.0015 }` is 2 ms); otherwise they stay as written (`{ hours: 1.5 }`).
 */
function unitsOfObject(units: Record<string, number | undefined>): Record<string, number | undefined> {
  let exact = 0;
  for (const [unit, ms] of Object.entries(FIXED_UNIT_MS)) exact += (units[unit] ?? 0) * ms;
  const rounded = roundMs(exact);
  // Floating point leaves noise on an exact amount (1.1 h is 3 960 000.0000000005 ms): not a fraction.
  if (Math.abs(exact - rounded) < 1e-6) return units;
  const wall = Object.fromEntries(Object.entries(units).filter(([unit]) => !(unit in FIXED_UNIT_MS)));
  return { ...wall, ...unitsOfMs(rounded) };
}

function humanDuration(d: TargetDuration): string {
  // Every form is described as the target reads it, rounded to whole milliseconds as its deadline is.
  const units: Record<string, number | undefined> =
    typeof d === "number"
      ? unitsOfMs(roundMs(d))
      : typeof d === "string"
        ? unitsOfText(d)
        : unitsOfObject(Duration.isDuration(d) ? { ...d.toObject() } : { ...d });
  const parts = Object.entries(units)
    .filter(([, v]) => v !== 0 && v !== undefined)
    .map(([unit, v]) => `${v} ${v === 1 ? unit.replace(/s$/, "") : unit}`);
  return parts.length === 0 ? "0 hours" : parts.join(" ");
}
