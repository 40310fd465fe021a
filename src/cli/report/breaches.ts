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
import { METRICS, type Metric } from "../../policy/metrics";

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
  readonly metric: Metric;
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

/**
 * The HTML of a cycle's explanation (next reply, periodic update): one line of its own figures,
 * escaped.
 *
 * @example
 * ```ts
 * cycleExplanationHtml("Cycle 2 of 3: started Mon 2026-04-06 09:00, …"); // "<p class=\"cycle\">Cycle 2 of 3: …</p>"
 * ```
 */
export function cycleExplanationHtml(text: string): string {
  return `<p class="cycle">${escapeHtml(text)}</p>`;
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
  #lastPriority: string | undefined;
  #lastPriorityNumber = 0;
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
    this.add(
      b.id,
      b.priority,
      b.metric,
      b.deadline,
      b.breachedAt,
      b.overdueHours,
      b.calendarOverdueHours,
      b.explanation,
    );
  }

  /**
   * {@link BreachTable.push} without a {@link BreachRow}: the report adds half a million breaches
   * of a 1 M-row export, and an object each was garbage made only to be taken apart here.
   */
  add(
    id: string,
    priority: string,
    metric: Metric,
    deadline: number,
    breachedAt: number,
    overdueHours: number,
    calendarOverdueHours: number,
    explanation: string | undefined,
  ): void {
    if (this.#length === this.#deadline.length) this.#grow();
    const i = this.#length++;
    this.#order = undefined;
    this.#deadline[i] = deadline;
    this.#breachedAt[i] = breachedAt;
    this.#overdue[i] = overdueHours;
    this.#calendarOverdue[i] = calendarOverdueHours;
    this.#metric[i] = METRICS.indexOf(metric);
    // Consecutive breaches mostly share a priority (a ticket's two metrics always do).
    if (priority !== this.#lastPriority) {
      let p = this.#priorityIndex.get(priority);
      if (p === undefined) {
        p = this.#priorities.push(priority) - 1;
        this.#priorityIndex.set(priority, p);
      }
      this.#lastPriority = priority;
      this.#lastPriorityNumber = p;
    }
    this.#priority[i] = this.#lastPriorityNumber;
    this.#explanation[i] = explanation === undefined ? -1 : this.#spill.add(explanation);
    this.#idEnd[i] = this.#idBytes = this.#writeId(id, this.#idBytes);
  }

  /**
   * Writes an id's UTF-8 bytes at `at`; returns where they end. ASCII (almost every id) is copied
   * code unit by code unit: `Buffer.byteLength` and `Buffer.write` are a call into C++ each.
   */
  #writeId(id: string, at: number): number {
    const n = id.length;
    // At most three bytes a UTF-16 code unit (a surrogate pair: four for two).
    if (at + 3 * n > this.#ids.length) {
      const ids = Buffer.allocUnsafe(Math.max(this.#ids.length * 2, at + 3 * n));
      this.#ids.copy(ids, 0, 0, at);
      this.#ids = ids;
    }
    const ids = this.#ids;
    for (let j = 0; j < n; j++) {
      const c = id.charCodeAt(j);
      if (c >= 0x80) return at + ids.write(id, at);
      ids[at + j] = c;
    }
    return at + n;
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

  /**
   * The breaches' row numbers in the page's order, for reading the columns below without a
   * {@link BreachRow} each (as the page is written). Valid until the next `add` or `push`.
   */
  pageOrder(): Uint32Array {
    return this.#sorted();
  }

  /** The id of breach row `i` (a number from {@link BreachTable.pageOrder}). */
  idOf(i: number): string {
    return this.#ids.toString("utf8", i === 0 ? 0 : this.#idEnd[i - 1]!, this.#idEnd[i]!);
  }

  /** The priority of breach row `i`, as its index in {@link BreachTable.priorities}. */
  priorityNumberOf(i: number): number {
    return this.#priority[i]!;
  }

  /** The metric of breach row `i`, as its index in {@link METRICS} (0 response, 1 resolution, …). */
  metricNumberOf(i: number): number {
    return this.#metric[i]!;
  }

  /** The deadline of breach row `i` (epoch ms). */
  deadlineOf(i: number): number {
    return this.#deadline[i]!;
  }

  /** The business overrun of breach row `i` in hours. */
  overdueHoursOf(i: number): number {
    return this.#overdue[i]!;
  }

  /** The calendar overrun of breach row `i` in hours. */
  calendarOverdueHoursOf(i: number): number {
    return this.#calendarOverdue[i]!;
  }

  /** The explanation HTML of breach row `i` as UTF-8 bytes, or `undefined` without one. */
  explanationOf(i: number): Buffer | undefined {
    const e = this.#explanation[i]!;
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
    if (maxOverdue <= 0xffff_ffff && maxCalendar <= 0xffff_ffff)
      return this.#radixSorted(maxOverdue, maxCalendar, byId);
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

  /**
   * The order of {@link BreachTable.#sortedByKeys} when both overruns are below 2³² hundredths of
   * an hour (43 million hours): a stable radix sort of the row numbers on the two overruns, 16 bits
   * a pass, with no BigInt per row (packing and unpacking 64-bit keys was a third of a second for
   * half a million breaches), then runs of equal overruns by id, as there.
   */
  #radixSorted(maxOverdue: number, maxCalendar: number, byId: (a: number, b: number) => number): Uint32Array {
    const n = this.#length;
    // Largest first: sorted ascending on the distance from the largest.
    const overdue = new Uint32Array(n);
    const calendar = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      overdue[i] = maxOverdue - Math.round(this.#overdue[i]! * 100);
      calendar[i] = maxCalendar - Math.round(this.#calendarOverdue[i]! * 100);
    }
    let order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    let next = new Uint32Array(n);
    const starts = new Uint32Array(1 << 16);
    // Least significant digit first; each pass keeps the order of equal digits.
    const pass = (keys: Uint32Array, shift: number) => {
      starts.fill(0);
      for (let k = 0; k < n; k++) starts[(keys[order[k]!]! >>> shift) & 0xffff]!++;
      let sum = 0;
      for (let d = 0; d < starts.length; d++) {
        const count = starts[d]!;
        starts[d] = sum;
        sum += count;
      }
      for (let k = 0; k < n; k++) {
        const i = order[k]!;
        next[starts[(keys[i]! >>> shift) & 0xffff]!++] = i;
      }
      [order, next] = [next, order];
    };
    pass(calendar, 0);
    if (maxCalendar > 0xffff) pass(calendar, 16);
    pass(overdue, 0);
    if (maxOverdue > 0xffff) pass(overdue, 16);
    // Runs of equal overruns (in row order) are ordered by id, stably.
    for (let start = 0; start < n;) {
      const first = order[start]!;
      let end = start + 1;
      while (end < n && overdue[order[end]!] === overdue[first] && calendar[order[end]!] === calendar[first]) end++;
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
