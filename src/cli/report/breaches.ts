/**
 * The report's breaches, held compactly: a million-row export has hundreds of thousands of
 * breaches, and as one object each (with its id string and four boxed numbers) they took about
 * 200 bytes apiece and a large share of the report's peak memory. Here a breach is one slot in a
 * few typed arrays (about 50 bytes with its id), ids are UTF-8 bytes in one growing buffer (so an
 * id sliced from a long input line cannot keep that line alive), and the explanations — the HTML of
 * a ticket's timeline, tens of kilobytes for a ticket open a year — go to a temporary file as they
 * are made, to be copied into the page when it is written. The page still lists every breach.
 */
import { Buffer } from "node:buffer";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TIMELINE_HEADER } from "../commands/explain";
import { removeOnInterrupt } from "../io/cleanup";
import { escapeHtml } from "./escape";

/**
 * A breached metric of one ticket, for the report's table (one row of {@link BreachTable}).
 *
 * @example
 * ```ts
 * const b: BreachRow = { id: "T-9", priority: "1", metric: "response", deadline: 1775120400000, breachedAt: 1775120400000, overdueHours: 3, calendarOverdueHours: 5.68 };
 * ```
 */
export interface BreachRow {
  readonly id: string;
  readonly priority: string;
  readonly metric: "response" | "resolution";
  readonly deadline: number;
  readonly breachedAt: number;
  /** Business hours past the target (in the target's measure): 0.00 when it stopped outside opening hours. */
  readonly overdueHours: number;
  /** Calendar hours from the deadline to the stop (or to `now` while still running). */
  readonly calendarOverdueHours: number;
  /**
   * The HTML inside the row's "Why" `<details>` (every cell escaped): the metric's timeline as
   * `sla-clock explain` gives it, or why the ticket could not be explained; absent when the row
   * had no ticket or was past the explained limit. Given to {@link BreachTable.push}; read back
   * with {@link BreachTable.explanation} (`at` leaves it out).
   */
  readonly explanation?: string;
}

/**
 * The HTML of an explanation: the timeline rows (`timelineRows` of `sla-clock explain`) as a
 * table, or the reason there is none, every cell escaped.
 *
 * @example
 * ```ts
 * explanationHtml([["Mon 2026-04-06 09:00", "created", "", "0.00"]]); // "<table class=\"timeline\">…"
 * ```
 */
export function explanationHtml(timeline: readonly (readonly string[])[] | string): string {
  if (typeof timeline === "string") return `<p class="muted">No explanation: ${escapeHtml(timeline)}</p>`;
  let html = `<table class="timeline"><thead><tr>${TIMELINE_HEADER.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>`;
  for (const cells of timeline) {
    html += "<tr>";
    for (const c of cells) html += `<td>${escapeHtml(c)}</td>`;
    html += "</tr>";
  }
  return `${html}</tbody></table>`;
}

/** Explanations written to a temporary file as they come, read back one at a time. */
class ExplanationSpill {
  #dir: string | undefined;
  #fd: number | undefined;
  #forget: (() => void) | undefined;
  #end = 0;
  readonly #starts: number[] = [];
  readonly #lengths: number[] = [];

  /** Stores one explanation; returns its number. */
  add(html: string): number {
    if (this.#fd === undefined) {
      this.#dir = mkdtempSync(join(tmpdir(), "sla-clock-explanations-"));
      this.#forget = removeOnInterrupt(this.#dir, "");
      this.#fd = openSync(join(this.#dir, "explanations.html"), "w+");
    }
    const bytes = Buffer.from(html);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.#fd, bytes, done, bytes.length - done, this.#end + done);
    this.#starts.push(this.#end);
    this.#lengths.push(bytes.length);
    this.#end += bytes.length;
    return this.#starts.length - 1;
  }

  read(k: number): Buffer {
    const bytes = Buffer.allocUnsafe(this.#lengths[k]!);
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.#fd!, bytes, done, bytes.length - done, this.#starts[k]! + done);
      if (n === 0) throw new Error("the report's explanation file ended early");
      done += n;
    }
    return bytes;
  }

  dispose(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
    this.#forget?.();
    this.#fd = undefined;
    this.#dir = undefined;
  }
}

const METRICS = ["response", "resolution"] as const;

/**
 * Every breach of a report in typed columns, read back in the page's order — the largest business
 * overrun first, then the largest calendar overrun, then by id — one {@link BreachRow} at a time.
 * Holds a temporary file once it has an explanation: call `dispose` when done.
 *
 * @example
 * ```ts
 * const table = new BreachTable();
 * table.push({ id: "T-9", priority: "1", metric: "response", deadline: 0, breachedAt: 0, overdueHours: 3, calendarOverdueHours: 5.68 });
 * table.at(0).id; // "T-9"
 * table.explanation(0); // undefined: pushed without one
 * table.dispose();
 * ```
 */
export class BreachTable {
  #length = 0;
  #deadline = new Float64Array(1024);
  #breachedAt = new Float64Array(1024);
  #overdue = new Float64Array(1024);
  #calendarOverdue = new Float64Array(1024);
  #metric = new Uint8Array(1024);
  #priority = new Uint32Array(1024);
  /** The explanation's number in the spill, or -1. */
  #explanation = new Int32Array(1024);
  /** Where each id ends in `#ids` (it starts where the previous one ends). */
  #idEnd = new Float64Array(1024);
  #ids = Buffer.allocUnsafe(1 << 16);
  #idBytes = 0;
  readonly #priorities: string[] = [];
  readonly #priorityIndex = new Map<string, number>();
  readonly #spill = new ExplanationSpill();
  #order: Uint32Array | undefined;

  /** How many breaches. */
  get length(): number {
    return this.#length;
  }

  /** The priorities with a breach, in the order first seen. */
  get priorities(): readonly string[] {
    return this.#priorities;
  }

  /** Adds a breach (its `explanation`, if any, goes to the temporary file). */
  push(b: BreachRow): void {
    if (this.#length === this.#deadline.length) this.#grow();
    const i = this.#length++;
    this.#order = undefined;
    this.#deadline[i] = b.deadline;
    this.#breachedAt[i] = b.breachedAt;
    this.#overdue[i] = b.overdueHours;
    this.#calendarOverdue[i] = b.calendarOverdueHours;
    this.#metric[i] = b.metric === "response" ? 0 : 1;
    let p = this.#priorityIndex.get(b.priority);
    if (p === undefined) {
      p = this.#priorities.push(b.priority) - 1;
      this.#priorityIndex.set(b.priority, p);
    }
    this.#priority[i] = p;
    this.#explanation[i] = b.explanation === undefined ? -1 : this.#spill.add(b.explanation);
    const idLength = Buffer.byteLength(b.id);
    if (this.#idBytes + idLength > this.#ids.length) {
      const ids = Buffer.allocUnsafe(Math.max(this.#ids.length * 2, this.#idBytes + idLength));
      this.#ids.copy(ids, 0, 0, this.#idBytes);
      this.#ids = ids;
    }
    this.#idBytes += this.#ids.write(b.id, this.#idBytes);
    this.#idEnd[i] = this.#idBytes;
  }

  /** The `k`-th breach in the page's order, without its explanation. */
  at(k: number): BreachRow {
    const i = this.#index(k);
    return {
      id: this.#ids.toString("utf8", i === 0 ? 0 : this.#idEnd[i - 1]!, this.#idEnd[i]!),
      priority: this.#priorities[this.#priority[i]!]!,
      metric: METRICS[this.#metric[i]!]!,
      deadline: this.#deadline[i]!,
      breachedAt: this.#breachedAt[i]!,
      overdueHours: this.#overdue[i]!,
      calendarOverdueHours: this.#calendarOverdue[i]!,
    };
  }

  /**
   * The explanation HTML of the `k`-th breach in the page's order as UTF-8 bytes (written to the
   * page as they are), or `undefined` without one.
   */
  explanation(k: number): Buffer | undefined {
    const e = this.#explanation[this.#index(k)]!;
    return e === -1 ? undefined : this.#spill.read(e);
  }

  #index(k: number): number {
    if (k < 0 || k >= this.#length) throw new RangeError(`no breach ${k} of ${this.#length}`);
    return this.#sorted()[k]!;
  }

  /** Removes the temporary file of the explanations. */
  dispose(): void {
    this.#spill.dispose();
  }

  #sorted(): Uint32Array {
    if (this.#order !== undefined) return this.#order;
    const ids = this.#ids;
    const ends = this.#idEnd;
    const byId = (a: number, b: number) =>
      ids.compare(ids, b === 0 ? 0 : ends[b - 1]!, ends[b]!, a === 0 ? 0 : ends[a - 1]!, ends[a]!);
    const order = this.#sortedByKeys(byId);
    if (order !== undefined) return (this.#order = order);
    const all = new Uint32Array(this.#length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    const overdue = this.#overdue;
    const calendar = this.#calendarOverdue;
    all.sort((a, b) => overdue[b]! - overdue[a]! || calendar[b]! - calendar[a]! || byId(a, b));
    return (this.#order = all);
  }

  /**
   * The page's order without a comparator call per comparison (half a million breaches took a
   * second that way): when every overrun is in hundredths of an hour, as the report writes them,
   * both overruns and the row's number are packed into one unsigned 64-bit key (largest overruns
   * first), sorted natively, and only rows with equal overruns are ordered by id. `undefined` when
   * the overruns do not fit (then the comparator sorts).
   */
  #sortedByKeys(byId: (a: number, b: number) => number): Uint32Array | undefined {
    const n = this.#length;
    const hundredths = (v: number) => {
      const h = Math.round(v * 100);
      return h >= 0 && h / 100 === v && Number.isSafeInteger(h) ? h : -1;
    };
    let maxOverdue = 0;
    let maxCalendar = 0;
    for (let i = 0; i < n; i++) {
      const o = hundredths(this.#overdue[i]!);
      const c = hundredths(this.#calendarOverdue[i]!);
      if (o < 0 || c < 0) return undefined;
      if (o > maxOverdue) maxOverdue = o;
      if (c > maxCalendar) maxCalendar = c;
    }
    const bits = (v: number) => Math.ceil(Math.log2(v + 1));
    const indexBits = bits(n);
    const calendarBits = bits(maxCalendar);
    if (bits(maxOverdue) + calendarBits + indexBits > 64) return undefined;
    const keys = new BigUint64Array(n);
    const calendarShift = BigInt(indexBits);
    const overdueShift = BigInt(indexBits + calendarBits);
    for (let i = 0; i < n; i++) {
      const o = maxOverdue - hundredths(this.#overdue[i]!);
      const c = maxCalendar - hundredths(this.#calendarOverdue[i]!);
      keys[i] = (BigInt(o) << overdueShift) | (BigInt(c) << calendarShift) | BigInt(i);
    }
    keys.sort();
    const order = new Uint32Array(n);
    const mask = (1n << calendarShift) - 1n;
    for (let k = 0; k < n; k++) order[k] = Number(keys[k]! & mask);
    // Runs of equal overruns (in row order, from the key's low bits) are ordered by id, stably.
    for (let start = 0; start < n;) {
      const overruns = keys[start]! >> calendarShift;
      let end = start + 1;
      while (end < n && keys[end]! >> calendarShift === overruns) end++;
      if (end - start > 1) order.subarray(start, end).sort(byId);
      start = end;
    }
    return order;
  }

  #grow(): void {
    const size = this.#length * 2;
    const grow = <T extends Float64Array | Uint8Array | Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.#deadline = grow(this.#deadline, (n) => new Float64Array(n));
    this.#breachedAt = grow(this.#breachedAt, (n) => new Float64Array(n));
    this.#overdue = grow(this.#overdue, (n) => new Float64Array(n));
    this.#calendarOverdue = grow(this.#calendarOverdue, (n) => new Float64Array(n));
    this.#idEnd = grow(this.#idEnd, (n) => new Float64Array(n));
    this.#metric = grow(this.#metric, (n) => new Uint8Array(n));
    this.#priority = grow(this.#priority, (n) => new Uint32Array(n));
    this.#explanation = grow(this.#explanation, (n) => new Int32Array(n));
  }
}
