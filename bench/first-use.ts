/**
 * First use of a year, measured so that each measured call really builds a year nobody in the
 * process has built (issue 14). Since issue 20, calendars with the same zone, hours and holidays
 * share one base index, and every calendar shares a zone's offsets and a country's holiday years
 * process-wide; timing several calendars made from one spec then times one real build and many
 * lookups of a year another calendar built (medians of 0.00 ms, and negative "extra chunks").
 *
 * So each measured calendar gets a base of its own (its last closing time moved by a few minutes:
 * a customer calendar with its own hours, which shares nothing of the index), and two cases are
 * timed on the same years, one after the other in each round:
 *
 * - **nothing shared** (the worst case): the process-wide zone offsets and holiday years are
 *   dropped first (through the public `configureCaches`), so the first use reads the year's offsets
 *   through `Intl` and has date-holidays compute the year (and the next, for the eve of 1 January);
 * - **warm process** (the typical new customer calendar): a second calendar with a base of its own
 *   then uses the same years; their offsets and holidays are in the shared caches, so the first use
 *   is the index's own work.
 *
 * Used by bench/run.ts (section 3, on the sources through tsx, where the memory figure reads the
 * index) and bench/profile-workload.ts (mode `year`, on dist/); `node --expose-gc --import tsx
 * bench/first-use.ts` prints the figures alone.
 */
import type { CalendarSpec, DayHours } from "../src/index";

type Sla = Pick<typeof import("../src/index"), "createCalendar" | "configureCaches">;
type Calendar = ReturnType<Sla["createCalendar"]>;

/** The years after the warm span (2023–2032), one by one. */
export const NEXT_YEARS = [2033, 2034, 2035, 2036, 2037, 2038, 2039, 2040] as const;
/** Years far from any built one; shifted by the round so that no round repeats another's. */
export const FAR_YEARS = [1950, 1975, 2000, 2060, 2085, 2110, 2135, 2160, 2185] as const;
const HOUR_MS = 3_600_000;
/** Rounds of bench/profile-workload.ts's `year` mode (one calendar each, nothing shared). */
export const PROFILE_YEAR_ROUNDS = 16;
/** First uses that mode times. */
export const PROFILE_YEAR_FIRST_USES = PROFILE_YEAR_ROUNDS * (NEXT_YEARS.length + FAR_YEARS.length);

/**
 * `spec` with a base of its own: every weekday's last interval closes `k` minutes later (k < 60),
 * a different calendar for the shared index (its key includes the hours), with the same number of
 * intervals and the same zone and holidays.
 */
export function ownBaseSpec(spec: CalendarSpec, k: number): CalendarSpec {
  if (!(k >= 0 && k < 60)) throw new Error(`ownBaseSpec: k must be 0–59, got ${k}`);
  const weekly = Object.fromEntries(
    Object.entries(spec.weekly).map(([day, hours]) => {
      const list = hours as DayHours;
      if (list.length === 0) return [day, list];
      const last = list[list.length - 1]!;
      const [h, m] = last[1].split(":").map(Number) as [number, number];
      const end = h * 60 + m + k;
      const close = `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
      return [day, [...list.slice(0, -1), [last[0], close]]];
    }),
  ) as CalendarSpec["weekly"];
  return { ...spec, id: undefined, weekly } as CalendarSpec;
}

/**
 * Drops the zone offsets and holiday years that every calendar of the process shares, with the
 * public `configureCaches`: a holiday-years limit of 0 drops them all; the zone rules keep at
 * least one zone, so the limit goes to 1 and a calendar in UTC (a fixed zone, nothing to read)
 * pushes the last zone out. The limits are then put back. Calendars already made keep theirs.
 */
export function forgetSharedCaches(sla: Sla): void {
  const before = sla.configureCaches();
  sla.configureCaches({ holidayYears: 0, zones: 1 });
  sla.createCalendar({ zone: "UTC", weekly: { mon: [["08:00", "09:00"]] } }).isOpen(0);
  sla.configureCaches({ holidayYears: before.holidayYears.limit, zones: before.zones.limit });
}

/**
 * Loads date-holidays and warms its code, as a process in service has them. Years outside the
 * presets' holiday table (data/preset-holidays.json, 2000–2050) are computed by date-holidays, which
 * a process loads on its first such year: a one-time cost, measured apart (docs/performance.md).
 * Before the table, the warm span 2023–2032 loaded it and warmed its code; now the table answers
 * those years, so a throwaway calendar of its own uses forty years outside it (the warm spans of
 * five rounds computed about as many).
 */
export function warmDateHolidays(sla: Sla, spec: CalendarSpec): void {
  const loader = sla.createCalendar(ownBaseSpec(spec, 59));
  for (let y = 1900; y < 1940; y++) loader.isOpen(Date.UTC(y, 6, 1));
}

/** A calendar of `spec` with a base of its own, warm over 2023–2032 as one in service would be. */
export function warmCalendar(sla: Sla, spec: CalendarSpec, k: number): Calendar {
  const cal = sla.createCalendar(ownBaseSpec(spec, k));
  for (let y = 2023; y <= 2032; y++) cal.isOpen(Date.UTC(y, 6, 1));
  return cal;
}

/** The call that makes a year be used: a two-hour deadline from 10 June, 07:00 UTC, of that year. */
export function useYear(cal: Calendar, year: number): void {
  cal.addBusinessTime(Date.UTC(year, 5, 10, 7), 2 * HOUR_MS);
}

/** The years one round uses, in order: the next years, then far ones. */
export function roundYears(round: number): { year: number; far: boolean }[] {
  return [
    ...NEXT_YEARS.map((year) => ({ year, far: false })),
    ...FAR_YEARS.map((year) => ({ year: year + round, far: true })),
  ];
}

/**
 * Milliseconds of each first use (wall clock, and the process's CPU time, which other processes on
 * a shared machine do not inflate), by case and kind of year, and how many chunks each built.
 */
export interface FirstUseFigures {
  readonly rounds: number;
  /** Nothing shared: the next years and the far years. */
  readonly isolatedNext: number[];
  readonly isolatedFar: number[];
  /** A new calendar on a warm process: the same years after another calendar used them. */
  readonly warmNext: number[];
  readonly warmFar: number[];
  /** CPU milliseconds of the same first uses, in the same order. */
  readonly cpu: {
    readonly isolatedNext: number[];
    readonly isolatedFar: number[];
    readonly warmNext: number[];
    readonly warmFar: number[];
  };
  /** First uses that built no chunk (not a first use after all) or more than one. */
  readonly builtNone: number;
  readonly builtMore: number;
}

/**
 * Times `rounds` rounds of first uses (see the module comment). `chunksOf` counts the chunks a
 * calendar's index holds (bench/run.ts reads the index through the sources' internal accessor);
 * without it the chunk counts are not checked. Rounds use `2 * round` and `2 * round + 1` as the
 * calendars' minute shifts, and far years up to 2185 + round, so `rounds` ≤ 16.
 */
export function timeFirstUses(
  sla: Sla,
  spec: CalendarSpec,
  rounds: number,
  chunksOf?: (cal: Calendar) => number,
  inBytes = false,
): FirstUseFigures {
  if (!(rounds >= 1 && rounds <= 16)) throw new Error(`timeFirstUses: 1–16 rounds, got ${rounds}`);
  const figures: FirstUseFigures = {
    rounds,
    isolatedNext: [],
    isolatedFar: [],
    warmNext: [],
    warmFar: [],
    cpu: { isolatedNext: [], isolatedFar: [], warmNext: [], warmFar: [] },
    builtNone: 0,
    builtMore: 0,
  };
  const counts = { none: 0, more: 0 };
  type Case = keyof FirstUseFigures["cpu"];
  const time = (cal: Calendar, year: number, into: Case) => {
    const before = chunksOf?.(cal);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    useYear(cal, year);
    figures[into].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    figures.cpu[into].push((c.user + c.system) / 1000);
    if (before !== undefined) {
      // In chunks, or (inBytes: the index budget's bytes) at least one chunk's worth grew.
      const built = chunksOf!(cal) - before;
      if (built < 1) counts.none++;
      else if (!inBytes && built > 1) counts.more++;
    }
  };
  warmDateHolidays(sla, spec);
  for (let round = 0; round < rounds; round++) {
    forgetSharedCaches(sla);
    const alone = warmCalendar(sla, spec, 2 * round);
    for (const { year, far } of roundYears(round)) time(alone, year, far ? "isolatedFar" : "isolatedNext");
    const customer = warmCalendar(sla, spec, 2 * round + 1);
    for (const { year, far } of roundYears(round)) time(customer, year, far ? "warmFar" : "warmNext");
  }
  return { ...figures, builtNone: counts.none, builtMore: counts.more };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** "median 0.62 ms, max 3.10 ms" of a list of times. */
export function medianMax(ms: readonly number[]): string {
  return `median ${median(ms).toFixed(2)} ms, max ${Math.max(...ms).toFixed(2)} ms`;
}

export { median as medianOf };

if (import.meta.url === `file://${process.argv[1]}`) {
  const sla = await import("../src/index");
  const { engineOf } = await import("../src/calendar/calendar");
  const spec = sla.getCalendar("softone-se").spec as CalendarSpec;
  const rounds = Number(process.env.ROUNDS ?? 5);
  const f = timeFirstUses(sla, spec, rounds, (cal) => engineOf(cal).index.liveChunks);
  console.log(`nothing shared, next years: ${medianMax(f.isolatedNext)}`);
  console.log(`nothing shared, far years:  ${medianMax(f.isolatedFar)}`);
  console.log(`warm process,   next years: ${medianMax(f.warmNext)}`);
  console.log(`warm process,   far years:  ${medianMax(f.warmFar)}`);
  console.log(`all: ${medianMax([...f.isolatedNext, ...f.isolatedFar, ...f.warmNext, ...f.warmFar])}`);
  const c = f.cpu;
  console.log(
    `CPU time: nothing shared ${medianMax([...c.isolatedNext, ...c.isolatedFar])}; warm ${medianMax([...c.warmNext, ...c.warmFar])}`,
  );
  console.log(`built none: ${f.builtNone}, built more than one: ${f.builtMore}`);
  if (process.env.VERBOSE)
    console.log(JSON.stringify(f, (_, v: unknown) => (typeof v === "number" ? +v.toFixed(2) : v)));
}
