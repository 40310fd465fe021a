/**
 * Reference holiday lookup: `date-holidays` in its default configuration (all types, the country's
 * own zone), judged by the holiday's local date (`date`'s first ten characters), never by its UTC
 * start and end. A holiday lasting several days covers every local date it reaches.
 *
 * date-holidays does its date arithmetic with the host's local `Date`, so on a host whose zone
 * skipped a date (Pacific/Kiritimati skipped 1994-12-31) it moves that date's holidays to the next
 * day. The reference must not depend on the host's zone, so it asks date-holidays in a child
 * process running under TZ=UTC, a block of years at a time.
 *
 * A child costs 0.7–1 s (Node's start, loading date-holidays, 64 years of holidays), and the suite
 * asked for about 27 blocks in each of its processes: 45 s of its CPU time. Each block's answer is
 * therefore also kept on disk, under node_modules/.cache, keyed by date-holidays' version and the
 * child's program, so the suite's other processes, and its later runs (CI runs it under three host
 * zones), read it instead. A file is written whole under another name and then renamed, so a reader
 * never sees half of one; a cache that cannot be read or written is simply not used.
 *
 * Shares no code with src/.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DAY, HOUR, dateOf, dayOf } from "./zone";

export interface RefHoliday {
  /** The local date covered, `YYYY-MM-DD`. */
  readonly date: string;
  readonly type: string;
  readonly name: string;
}

export interface HolidaySourceLike {
  readonly country: string;
  readonly state?: string;
  readonly region?: string;
}

/** One holiday as the child process reports it. */
interface Listed {
  readonly date: string;
  readonly ms: number;
  readonly type: string;
  readonly name: string;
}

const BLOCK = 64;
const require = createRequire(import.meta.url);
const dateHolidaysPath = require.resolve("date-holidays");
const blocks = new Map<string, Map<number, Listed[]>>();
const byYear = new Map<string, Map<string, RefHoliday[]>>();

function keyOf(source: HolidaySourceLike): string {
  return [source.country, source.state ?? "", source.region ?? ""].join("|").toUpperCase();
}

/** The child's program: every holiday of the years [from, to) as JSON, by year. */
const LISTER = `
const Holidays = require(process.argv[1]);
const [country, state, region, from, to] = process.argv.slice(2);
const args = [country, state, region].filter((x) => x !== "");
const h = new Holidays(...args);
const out = {};
for (let y = Number(from); y < Number(to); y++)
  out[y] = (h.getHolidays(y) || []).map((x) => ({ date: x.date, ms: x.end - x.start, type: x.type, name: x.name }));
process.stdout.write(JSON.stringify(out));
`;

/** Where blocks are kept on disk: one folder per date-holidays version and child program. */
const cacheFolder = (() => {
  const manifest = require.resolve("date-holidays/package.json");
  const version = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
  const program = createHash("sha256").update(LISTER).digest("hex").slice(0, 12);
  const modules = dirname(dirname(manifest));
  return join(modules, ".cache", "sla-clock-tests", `holidays-${version}-${program}`);
})();

/** A block's text from the disk cache, or undefined. */
function cachedBlock(name: string): string | undefined {
  try {
    return readFileSync(join(cacheFolder, name), "utf8");
  } catch {
    return undefined;
  }
}

/** Keeps a block's text on disk: written under a name of its own, then renamed into place. */
function keepBlock(name: string, text: string): void {
  try {
    mkdirSync(cacheFolder, { recursive: true });
    const part = join(cacheFolder, `${name}.${process.pid}.part`);
    writeFileSync(part, text);
    renameSync(part, join(cacheFolder, name));
  } catch {
    // Not kept: the next process computes the block again.
  }
}

/** The holidays date-holidays lists for `year`, computed (with the rest of its block) under TZ=UTC. */
function listed(source: HolidaySourceLike, year: number): Listed[] {
  const from = Math.floor(year / BLOCK) * BLOCK;
  const key = `${keyOf(source)}|${from}`;
  let block = blocks.get(key);
  if (block === undefined) {
    const name = `${key.replaceAll("|", "_")}.json`;
    let text = cachedBlock(name);
    if (text === undefined) {
      text = computedBlock(source, from);
      keepBlock(name, text);
    }
    const parsed = JSON.parse(text) as Record<string, Listed[]>;
    block = new Map(Object.entries(parsed).map(([y, list]) => [Number(y), list]));
    blocks.set(key, block);
  }
  return block.get(year) ?? [];
}

/** The child's answer for the years [from, from + BLOCK), as JSON text. */
function computedBlock(source: HolidaySourceLike, from: number): string {
  const upper = (x: string | undefined) => (x ?? "").toUpperCase();
  return execFileSync(
    process.execPath,
    [
      "-e",
      LISTER,
      dateHolidaysPath,
      upper(source.country),
      upper(source.state),
      upper(source.region),
      String(from),
      String(from + BLOCK),
    ],
    { env: { ...process.env, TZ: "UTC" }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
}

/**
 * The holidays that date-holidays lists for `year`, by every local date each covers. A holiday
 * starting at `date` and lasting `end - start` covers its own date and each later date whose
 * midnight comes before its (wall-clock) end; two hours of slack absorb a DST change inside it.
 */
function listOfYear(source: HolidaySourceLike, year: number): Map<string, RefHoliday[]> {
  const key = `${keyOf(source)}|${year}`;
  let map = byYear.get(key);
  if (map !== undefined) return map;
  map = new Map();
  for (const h of listed(source, year)) {
    const first = dayOf(h.date.slice(0, 10));
    const startWall = Date.UTC(
      Number(h.date.slice(0, 4)),
      Number(h.date.slice(5, 7)) - 1,
      Number(h.date.slice(8, 10)),
      Number(h.date.slice(11, 13) || 0),
      Number(h.date.slice(14, 16) || 0),
    );
    const endWall = startWall + h.ms;
    for (let day = first; day === first || day * DAY < endWall - 2 * HOUR; day++) {
      const date = dateOf(day);
      const list = map.get(date) ?? [];
      list.push({ date, type: h.type, name: h.name });
      map.set(date, list);
    }
  }
  byYear.set(key, map);
  return map;
}

/** Every holiday (any type) on a local date. */
export function holidaysOn(source: HolidaySourceLike, date: string): RefHoliday[] {
  const year = Number(date.slice(0, 4));
  const out: RefHoliday[] = [];
  // A holiday listed under a neighbouring year may still cover this date.
  for (const y of [year - 1, year, year + 1]) out.push(...(listOfYear(source, y).get(date) ?? []));
  return out;
}

/** The local dates in [from, to] (inclusive, `YYYY-MM-DD`) with a holiday of one of `types`. */
export function holidayDatesBetween(
  source: HolidaySourceLike,
  types: readonly string[],
  from: string,
  to: string,
): string[] {
  const out: string[] = [];
  for (let day = dayOf(from); day <= dayOf(to); day++) {
    const date = dateOf(day);
    if (holidaysOn(source, date).some((h) => types.includes(h.type))) out.push(date);
  }
  return out;
}
