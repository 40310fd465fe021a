import { readFileSync } from "node:fs";
import type { TracedDay, TracedStretch } from "../../calendar/trace";
import type { TargetExplanation, CalendarArithmetic } from "../../clock/explain";
import type {
  CutTimeline,
  ExplainedMetric,
  ExplainedTicketEvaluation,
  MetricTimeline,
} from "../../clock/explain-ticket";
import type { Policy } from "../../clock/policy";
import type { Ticket } from "../../clock/ticket";
import { SlaClockError } from "../../errors";
import { describeTarget, type Target } from "../../policy/target";
import { escapeForTerminal, textTable } from "../format";
import { RowError } from "../io/row-to-ticket";
import { nowOf, type InstantFormat } from "../io/cells";
import { startInstant } from "./deadline";
import { fieldKeysOf } from "../io/read-records";
import { UsageError, rowPolicies } from "../load";
import { policyReading, readRecordTicket, scalar } from "../run";
import { whyDay } from "../reasons";

/**
 * Options of `sla-clock explain`, as commander parsed them.
 *
 * @example
 * ```ts
 * const opts: ExplainCommandOptions = { priority: "3", format: "text" };
 * ```
 */
export interface ExplainCommandOptions {
  /** The priority as the caller read it (the CLI reads `P3`, `Priority 3` or a label as `deadline` does). */
  readonly priority?: string;
  /** How `<start>` is read when it is not ISO-8601 (`--date-format`, `--epoch`), as `deadline` reads it. */
  readonly startFormat?: InstantFormat;
  readonly metric?: string;
  readonly ticket?: string;
  readonly now?: string;
  readonly format: "text" | "json";
}

/** Longest ticket file `--ticket` reads: one ticket, not an export. */
const MAX_TICKET_BYTES = 1_000_000;

/**
 * `sla-clock explain <policy> <start> --priority P [--metric M]` (why a deadline is where it is)
 * or `sla-clock explain <policy> --ticket <file.json | JSON line> [--now T] [--metric M]` (a
 * ticket's timeline per metric): a readable table in the calendar's zone, or `--format json`.
 * Bad arguments and a bad ticket are usage errors (exit code 2).
 *
 * @example
 * ```ts
 * process.stdout.write(explainCommand(getPolicy("softone-se"), "2026-04-02T11:00", { priority: "3", format: "text" }));
 * ```
 */
export function explainCommand(policy: Policy, start: string | undefined, opts: ExplainCommandOptions): string {
  const metric = opts.metric;
  if (metric !== undefined && metric !== "response" && metric !== "resolution")
    throw new UsageError(`--metric: "${metric}" is not a metric; use response or resolution`);
  if (opts.ticket !== undefined) {
    if (start !== undefined) throw new UsageError("give either <start> with --priority, or --ticket, not both");
    if (opts.priority !== undefined) throw new UsageError("--priority: a ticket carries its own priority");
    if (opts.startFormat !== undefined && Object.keys(opts.startFormat).length > 0)
      throw new UsageError("--date-format and --epoch: only with <start> (a ticket's instants are ISO-8601)");
    const evaluation = usage(() => {
      const ticket = readTicket(policy, opts.ticket as string);
      const now = nowOf(policy.calendar, opts.now);
      return policy.evaluate(ticket, now, { explain: true });
    });
    const metrics: readonly ExplainedMetric[] = metric === undefined ? ["response", "resolution"] : [metric];
    if (opts.format === "json") {
      // With --metric, the other metric's timeline is left out (its result stays, as evaluate gives it).
      const explanation: Record<string, unknown> = { ...evaluation.explanation };
      if (metric !== undefined) delete explanation[metric === "response" ? "resolution" : "response"];
      return `${JSON.stringify({ ...evaluation, explanation }, null, 2)}\n`;
    }
    return ticketText(policy, evaluation, metrics);
  }
  if (start === undefined) throw new UsageError("give <start> with --priority, or --ticket <file.json | JSON line>");
  if (opts.priority === undefined) throw new UsageError("--priority: required with <start>");
  if (opts.now !== undefined) throw new UsageError("--now: only with --ticket");
  const why = usage(() =>
    policy.explain(startInstant(policy, start, opts.startFormat), {
      priority: opts.priority as string,
      metric: metric ?? "response",
    }),
  );
  return opts.format === "json" ? `${JSON.stringify(why, null, 2)}\n` : targetText(why);
}

/** The library's typed errors (and a row the CLI cannot read) as usage errors: exit code 2. */
function usage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SlaClockError || e instanceof RowError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The ticket of `--ticket`: a JSON object given inline (an NDJSON line of an export: the flat
 * columns or a whole ticket), or the path of a file holding one.
 */
function readTicket(policy: Policy, arg: string): Ticket {
  let text = arg;
  let where = "--ticket";
  // JSON text starts with { (or [, refused below with a clearer word than "no such file").
  if (!/^\s*[{[]/.test(arg)) {
    where = arg;
    try {
      const buffer = readFileSync(arg);
      if (buffer.length > MAX_TICKET_BYTES)
        throw new UsageError(`--ticket: ${arg} is over ${MAX_TICKET_BYTES} bytes; explain takes one ticket`);
      text = buffer.toString("utf8");
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`--ticket: cannot read ${arg}: ${(e as Error).message}`);
    }
  }
  let record: unknown;
  try {
    record = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    const lines = text.split("\n").filter((l) => l.trim() !== "").length;
    throw new UsageError(
      lines > 1
        ? `--ticket: ${where} is not one JSON object (${lines} lines); explain takes one ticket: pass its line`
        : `--ticket: ${where} is not JSON: ${(e as Error).message}`,
    );
  }
  if (typeof record !== "object" || record === null || Array.isArray(record))
    throw new UsageError(`--ticket: ${where} must hold a JSON object (one ticket)`);
  // Read as `evaluate` reads a line of an export: keys spelt as headers may spell them, the row's
  // own timezone, space-separated instants, priority labels.
  const fields = fieldKeysOf(record as Record<string, unknown>);
  if (typeof fields === "string") throw new UsageError(`--ticket: ${fields}`);
  const named = scalar(fields.policy);
  if (named !== "" && rowPolicies(policy).byName(named) !== policy)
    throw new UsageError(
      `--ticket: the ticket names the policy "${named}", but this explains ${policy.id}; run sla-clock explain ${named} --ticket …`,
    );
  return readRecordTicket(fields, policyReading(policy, {}), {}).ticket;
}

/** `12 h 00 min` (and seconds and milliseconds when there are some); negative with a minus. */
function duration(ms: number): string {
  const sign = ms < 0 ? "−" : "";
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const tail = s === 0 && milli === 0 ? "" : milli === 0 ? ` ${s} s` : ` ${s}.${String(milli).padStart(3, "0")} s`;
  return `${sign}${h} h ${String(min).padStart(2, "0")} min${tail}`;
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;

/** `Thu 2026-04-02` for a local date. */
function dayName(date: string): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
  return `${WEEKDAYS[weekday] as string} ${date}`;
}

/** `11:00` (or `11:00:30`, `11:00:30.25`) from a local ISO time. */
function clock(local: string): string {
  const hm = local.slice(11, 16);
  const sec = local.slice(17, 19);
  const frac = (/^\.(\d+)/.exec(local.slice(19))?.[1] ?? "").replace(/0+$/, "");
  return sec === "00" && frac === "" ? hm : `${hm}:${sec}${frac === "" ? "" : `.${frac}`}`;
}

/** `Thu 2026-04-02 11:00` from a local ISO time. */
function when(local: string): string {
  return `${dayName(local.slice(0, 10))} ${clock(local)}`;
}

/** A stretch's times: `11:00–12:00`, or with the end's date when it ends on another one. */
function span(s: { readonly startLocal: string; readonly endLocal: string }): string {
  const end = s.endLocal.slice(0, 10) === s.startLocal.slice(0, 10) ? clock(s.endLocal) : when(s.endLocal);
  return `${clock(s.startLocal)}–${end}`;
}

/** Why a traced day did not count, or counted less, in words. */
function dayWords(d: TracedDay): string {
  const why = whyDay(d).map((w) =>
    w === "no weekly hours" && (d.weekday === "sat" || d.weekday === "sun") ? "weekend" : w,
  );
  if (d.status !== "closed") why.push(`open ${d.hours.map(([a, b]) => `${a}–${b}`).join(", ")}`);
  return why.join("; ");
}

/**
 * The business-time table: one row per local date that counted or was closed or short, in date
 * order, with the stretches counted on it, their sum, the running total and why.
 */
function traceTable(stretches: readonly TracedStretch[], days: readonly TracedDay[]): string {
  const dates = new Map<string, { stretches: TracedStretch[]; day?: TracedDay }>();
  const row = (date: string) => {
    let r = dates.get(date);
    if (r === undefined) dates.set(date, (r = { stretches: [] }));
    return r;
  };
  for (const s of stretches) row(s.date).stretches.push(s);
  for (const d of days) row(d.date).day = d;
  const rows = [...dates.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, { stretches: ss, day }]) => {
      const counted = ss.reduce((sum, s) => sum + s.ms, 0);
      return [
        dayName(date),
        ss.length === 0 ? (day?.status === "closed" ? "closed" : "—") : ss.map(span).join(", "),
        ss.length === 0 ? "" : duration(counted),
        ss.length === 0 ? "" : duration((ss.at(-1) as TracedStretch).runningMs),
        day === undefined ? "" : dayWords(day),
      ];
    });
  return textTable(["date", "counted", "hours", "total", "why"], rows);
}

function arithmeticLine(a: CalendarArithmetic): string {
  const parts: string[] = [];
  if (a.months !== 0) parts.push(`${a.months} month${a.months === 1 ? "" : "s"}`);
  if (a.days !== 0) parts.push(`${a.days} day${a.days === 1 ? "" : "s"}`);
  const wall = parts.length === 0 ? "" : ` + ${parts.join(" ")} by the wall clock = ${when(a.wallLocal)}`;
  const clamp = a.clampedToMonthEnd ? " (that day of the month does not exist: the month's last day)" : "";
  const elapsed = a.ms === 0 ? "" : ` + ${duration(a.ms)} elapsed = ${when(a.resultLocal)}`;
  return `${when(a.fromLocal)}${wall}${clamp}${elapsed}`;
}

/** Text from the user's data (ids, names) made safe for a terminal, line by line. */
function escapeLines(text: string): string {
  return text.split("\n").map(escapeForTerminal).join("\n");
}

/** `2026-04-08T10:00Z` (seconds and milliseconds only when there are some). */
function utc(d: Date): string {
  return d
    .toISOString()
    .replace(/\.000Z$/, "Z")
    .replace(/:00Z$/, "Z");
}

/** The text of a {@link TargetExplanation}. */
function targetText(why: TargetExplanation): string {
  const lines = [
    `${why.policy} · ${why.priorityLabel} · ${why.metric}: ${why.description}`,
    ...(why.clause === null ? [] : [`Clause: ${why.clause}`]),
    `Start: ${when(why.startLocal)} (${why.zone})`,
  ];
  const rule = why.rule;
  switch (rule.kind) {
    case "business":
      lines.push(`Counts ${duration(rule.businessMs)} of open hours from the start:`);
      break;
    case "endOfBusinessDay":
      lines.push(
        `End of business day: the clock starts on ${dayName(rule.businessDay)}, which closes ${clock(rule.closesAtLocal)} (${duration(rule.businessMs)} of business time from the start):`,
      );
      break;
    case "endOfBusinessWeek":
      lines.push(
        `End of business week: the clock starts on ${dayName(rule.businessDay)}, in week ${rule.week}; its last open day is ${dayName(rule.lastOpenDay)}, which closes ${clock(rule.closesAtLocal)} (${duration(rule.businessMs)} of business time from the start):`,
      );
      break;
    case "calendar":
      lines.push(
        `Calendar time (open hours do not matter; months and days by the wall clock in ${why.zone}, the time of day kept):`,
        `  ${arithmeticLine(rule.arithmetic)}`,
      );
      break;
    case "window":
      lines.push(
        `A window in calendar time (open hours do not matter; months and days by the wall clock in ${why.zone}):`,
        `  opens: ${arithmeticLine(rule.earliest)}`,
        `  ends:  ${arithmeticLine(rule.latest)}`,
      );
      break;
    case "none":
      lines.push("No target (best effort): no deadline.");
      break;
  }
  if (why.trace !== null) lines.push(traceTable(why.trace.stretches, why.trace.days));
  if (why.deadline !== null && why.deadlineLocal !== null) {
    const counted = why.trace === null ? "" : `, ${duration(Math.abs(why.trace.totalMs))} counted`;
    lines.push(`Due ${when(why.deadlineLocal)} (${utc(why.deadline)})${counted}.`);
  }
  return `${lines.map(escapeLines).join("\n")}\n`;
}

/**
 * Frozen targets (a policy's own) in words: `describeTarget` validates its argument each time, a
 * large share of the time the HTML report spent on its explanations' priority changes.
 */
const targetWordsOf = new WeakMap<Target, string>();

/** A target in words, for a ticket's priority changes. */
function targetWords(target: Target): string {
  let text = targetWordsOf.get(target);
  if (text === undefined) {
    text = describeTarget(target);
    if (Object.isFrozen(target)) targetWordsOf.set(target, text);
  }
  return text;
}

/** The text of a ticket's timelines. */
function ticketText(policy: Policy, e: ExplainedTicketEvaluation, metrics: readonly ExplainedMetric[]): string {
  const x = e.explanation;
  const out = [
    `Ticket ${x.id} (${policy.id}), created ${when(x.createdAtLocal)}, as of ${when(x.nowLocal)} (${x.zone})`,
  ];
  for (const m of metrics) out.push("", metricText(x[m], x.days, x.createdAtLocal, x.nowLocal));
  // Ids and holiday names come from the user's data: escaped like every table cell.
  return `${out.map(escapeLines).join("\n")}\n`;
}

/**
 * The header of the timeline table of {@link timelineRows}.
 *
 * @example
 * ```ts
 * TIMELINE_HEADER; // ["when", "what", "counted", "total"]
 * ```
 */
export const TIMELINE_HEADER = ["when", "what", "counted", "total"] as const;

/**
 * A metric's timeline as rows of words, in time order (a closed or short day first on its date):
 * counted stretches with running totals, pauses with the time they kept from counting, priority
 * changes, stops and reopens, the breach, and the closed or short days while the clock ran or was
 * paused. Shared by `sla-clock explain` and the HTML report; cells are plain text (not escaped).
 * A timeline cut at its breach (the report's) lists the stretches and closed or short days up to
 * the breach's date, then one row with the time counted after it.
 *
 * @example
 * ```ts
 * const { explanation: x } = policy.evaluate(ticket, now, { explain: true });
 * timelineRows(x.response, x.days, x.createdAtLocal)[0]; // ["Wed 2026-04-01 15:00", "counted 15:00–15:30", "0 h 30 min", "0 h 30 min"]
 * ```
 */
export function timelineRows(
  t: MetricTimeline | CutTimeline,
  days: readonly TracedDay[],
  createdLocal: string,
  nowLocal?: string,
): string[][] {
  type Row = { key: string; cells: string[] };
  const rows: Row[] = [];
  // Rows sort by local date (a closed or short day first), then instant, then the rank of what happened.
  const key = (local: string, at: Date, rank: number) =>
    `${local.slice(0, 10)} 1 ${String(at.getTime() + 9e15).padStart(17, "0")} ${rank}`;
  const what = t.measure === "calendar" ? "counted (calendar time)" : "counted";
  for (const s of t.stretches)
    rows.push({
      key: key(s.startLocal, s.start, 2),
      cells: [when(s.startLocal), `${what} ${span(s)}`, duration(s.ms), duration(s.runningMs)],
    });
  for (const p of t.pauses)
    rows.push({
      key: key(p.startLocal, p.start, 3),
      cells: [
        when(p.startLocal),
        `paused until ${p.stillPaused ? "now" : when(p.endLocal)}: ${duration(p.uncountedMs)} of ${t.measure === "calendar" ? "calendar" : "business"} time not counted`,
        "",
        "",
      ],
    });
  for (const c of t.priorityChanges)
    rows.push({
      key: key(c.atLocal, c.at, 1),
      cells: [
        when(c.atLocal),
        `priority ${String(c.from)} → ${String(c.to)}: target ${targetWords(c.targetBefore)} → ${targetWords(c.targetAfter)}${c.applied ? "" : " (not applied: the metric had stopped)"}`,
        "",
        "",
      ],
    });
  for (const mo of t.moments)
    rows.push({
      key: key(mo.atLocal, mo.at, 4),
      cells: [
        when(mo.atLocal),
        mo.type === "reopen"
          ? "reopened: the clock runs again"
          : `${mo.type === "respond" ? "responded" : "resolved"}: the clock stops`,
        "",
        "",
      ],
    });
  if (t.breachedAtLocal !== null)
    rows.push({
      key: key(t.breachedAtLocal, t.breachedAt as Date, 2.5),
      cells: [when(t.breachedAtLocal), "BREACHED: the target is used up", "", ""],
    });
  const cut = "countedAfterMs" in t ? t : undefined;
  if (cut?.ranUntilLocal != null && cut.countedAfterMs > 0)
    rows.push({
      key: key(t.breachedAtLocal ?? createdLocal, new Date(cut.cutAt), 2.6),
      cells: [
        when(t.breachedAtLocal ?? createdLocal),
        `counted after the breach until ${when(cut.ranUntilLocal)}${cut.ranUntilNow ? " (now)" : ""}, not listed day by day`,
        duration(cut.countedAfterMs),
        duration(t.elapsed),
      ],
    });
  // The closed and short days while this metric's clock ran or was paused (up to the breach's date
  // for a cut timeline: the later ones were not traced).
  const ends = [
    ...t.stretches.map((s) => s.endLocal),
    ...t.pauses.map((p) => p.endLocal),
    ...t.moments.map((mo) => mo.atLocal),
  ].map((local) => local.slice(0, 10));
  let last = ends.reduce((max, d) => (d > max ? d : max), createdLocal.slice(0, 10));
  const cutDate = cut === undefined ? undefined : (t.breachedAtLocal ?? createdLocal).slice(0, 10);
  if (cutDate !== undefined && cutDate < last) last = cutDate;
  // A clock still open at `now` (never stopped, or reopened since) ran or waited through the days up
  // to now: a ticket created on the eve of Easter, seen on Tuesday, listed only its first day.
  let open = true;
  for (const mo of t.moments) open = mo.type === "reopen";
  const nowDate = nowLocal?.slice(0, 10);
  if (cut === undefined && open && t.status !== "met" && nowDate !== undefined && nowDate > last) last = nowDate;
  if (t.measure !== "calendar")
    for (const d of days)
      if (d.date >= createdLocal.slice(0, 10) && d.date <= last)
        rows.push({
          key: `${d.date} 0`,
          cells: [dayName(d.date), `${d.status === "closed" ? "closed" : d.status}: ${dayWords(d)}`, "", ""],
        });
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rows.map((r) => r.cells);
}

function metricText(t: MetricTimeline, days: readonly TracedDay[], createdLocal: string, nowLocal: string): string {
  const head = `${t.metric}: ${t.status} — target ${targetWords(t.target)}${t.targetMs === null ? "" : ` (${t.measure === "calendar" ? "" : "business time "}${duration(t.targetMs)})`}`;
  if (t.measure === null && t.stretches.length === 0) return `${head}\n(no target: nothing to explain)`;
  const table = textTable(TIMELINE_HEADER, timelineRows(t, days, createdLocal, nowLocal));
  const due = t.deadlineLocal === null ? "" : `; due ${when(t.deadlineLocal)}`;
  const summary = `elapsed ${duration(t.elapsed)}${t.targetMs === null ? "" : ` of ${duration(t.targetMs)}`}${due}${t.breachedAtLocal === null ? "" : `; breached ${when(t.breachedAtLocal)}`}`;
  return `${head}\n${table}\n${summary}`;
}
