/**
 * Explained deadlines (docs/explain.md): `policy.explain` and `evaluate(…, { explain: true })`.
 * Hand-checked cases on every preset provider (the hours and holidays as
 * test/calendar.presets.test.ts reads the source clauses), and properties over the presets and
 * random tickets: counted stretches are ordered, disjoint, open, add up to `elapsed` exactly, and
 * a policy explanation ends at `deadline()`.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainTicketToBreach } from "../src/clock/explain-ticket";
import { rulesOf } from "../src/clock/policy";
import { definePolicy, getPolicy, listPolicies, type PresetPolicyId, type TargetExplanation } from "../src/index";
import { buildTicket, scenario } from "./support/tickets";

const H = 3_600_000;
const DAY = 86_400_000;
const hm = (local: string) => local.slice(11, 16);
const stretchRows = (why: TargetExplanation) =>
  why.trace!.stretches.map((s) => `${s.date} ${hm(s.startLocal)}–${hm(s.endLocal)} ${s.ms / H}h`);

describe("policy.explain", () => {
  it("the worked example: softone-se P3, 12 business hours from Thu 2026-04-02 11:00 → Wed 04-08 12:00", () => {
    const why = getPolicy("softone-se").explain("2026-04-02T11:00", { priority: 3 });
    expect(why.target).toEqual({ kind: "business", duration: { hours: 12 } });
    expect(why.description).toBe("12 business hours");
    expect(why.clause).toBe("SoftOne SLA Service & Kvalitet §4 Supportnivåer (000)");
    expect(why.deadline!.toISOString()).toBe("2026-04-08T10:00:00.000Z");
    expect(why.deadlineLocal).toBe("2026-04-08T12:00:00+02:00");
    expect(why.rule).toEqual({ kind: "business", businessMs: 12 * H });
    // Thu: the eve of Långfredagen closes 13:00, lunch 12–13, so 11–12 only; Tue whole; Wed 08–12.
    expect(stretchRows(why)).toEqual([
      "2026-04-02 11:00–12:00 1h",
      "2026-04-07 08:00–12:00 4h",
      "2026-04-07 13:00–16:00 3h",
      "2026-04-08 08:00–12:00 4h",
    ]);
    expect(why.trace!.stretches.at(-1)!.runningMs).toBe(12 * H);
    const days = why.trace!.days.map((d) => [
      d.date,
      d.status,
      d.reasons.flatMap((r) => ("holidays" in r ? r.holidays.map((h) => `${r.kind}:${h.nameEn}`) : [r.kind])),
    ]);
    expect(days).toEqual([
      ["2026-04-02", "shortened", ["eve:Good Friday"]],
      ["2026-04-03", "closed", ["holiday:Good Friday"]],
      ["2026-04-04", "closed", ["eve:Easter Sunday"]],
      ["2026-04-05", "closed", ["holiday:Easter Sunday"]],
      ["2026-04-06", "closed", ["holiday:Easter Monday"]],
    ]);
    expect(why.trace!.result!.getTime()).toBe(why.deadline!.getTime());
  });

  it("softone-se end of business day on an eve: the day is 2026-04-02, closing 12:00 (eve 13:00, lunch 12–13)", () => {
    const why = getPolicy("softone-se").explain("2026-04-02T11:00", { priority: 1, metric: "resolution" });
    expect(why.rule).toEqual({
      kind: "endOfBusinessDay",
      businessDay: "2026-04-02",
      closesAt: new Date("2026-04-02T10:00:00Z"),
      closesAtLocal: "2026-04-02T12:00:00+02:00",
      businessMs: H,
    });
    expect(why.clause).toBe('SoftOne Kundguiden, Servicenivåer – tidsramar (002): "Samma dag"');
    expect(why.trace!.to.getTime()).toBe(why.deadline!.getTime());
  });

  it("softone-se end of business week started on a Saturday: the next business day's week", () => {
    // Sat 2026-04-11 → Mon 04-13 (ISO week 16) → its last open day Fri 04-17 closes 16:00.
    const why = getPolicy("softone-se").explain("2026-04-11T10:00", { priority: 2, metric: "resolution" });
    expect(why.rule).toMatchObject({
      kind: "endOfBusinessWeek",
      week: "2026-W16",
      businessDay: "2026-04-13",
      lastOpenDay: "2026-04-17",
      closesAtLocal: "2026-04-17T16:00:00+02:00",
      businessMs: 5 * 7 * H,
    });
  });

  it("softone-fi Friday rule: P1 from Fri 2026-03-13 13:00 Helsinki counts 13–14 (Fridays close 14:00), then Mon 08–09", () => {
    const why = getPolicy("softone-fi").explain("2026-03-13T13:00", { priority: 1 });
    expect(stretchRows(why)).toEqual(["2026-03-13 13:00–14:00 1h", "2026-03-16 08:00–09:00 1h"]);
    expect(why.deadlineLocal).toBe("2026-03-16T09:00:00+02:00");
    const friday = why.trace!.days[0]!;
    expect([friday.date, friday.status]).toEqual(["2026-03-13", "shortened"]);
    expect(friday.reasons).toEqual([{ kind: "weekdayRule", name: "Perjantaisin suljemme klo 14", closeAt: "14:00" }]);
    expect(why.trace!.days.map((d) => `${d.date} ${d.status}`)).toEqual([
      "2026-03-13 shortened",
      "2026-03-14 closed",
      "2026-03-15 closed",
    ]);
  });

  it("moch-standard, a UTC calendar: 12 working hours from Fri 2026-04-10 15:00Z → Tue 04-14 11:00Z", () => {
    const why = getPolicy("moch-standard").explain("2026-04-10T15:00Z", { priority: 3 });
    expect(why.zone).toBe("UTC");
    expect(stretchRows(why)).toEqual([
      "2026-04-10 15:00–17:00 2h",
      "2026-04-13 09:00–17:00 8h",
      "2026-04-14 09:00–11:00 2h",
    ]);
    expect(why.deadline!.toISOString()).toBe("2026-04-14T11:00:00.000Z");
    expect(why.clause).toBe("MOCH Supportservice-politik, Standard Supportservice (004)");
    // No resolution target in the policy: no deadline, no trace, and no clause claimed for it.
    const none = getPolicy("moch-standard").explain("2026-04-10T15:00Z", { priority: 3, metric: "resolution" });
    expect([none.deadline, none.trace, none.clause, none.rule]).toEqual([null, null, null, { kind: "none" }]);
  });

  it("trinax-alert: 1 h from Thu 2026-04-02 16:30 counts 16:30–17:00 and Tue 08:00–08:30 (Easter)", () => {
    const why = getPolicy("trinax-alert").explain("2026-04-02T16:30", { priority: 2 });
    expect(stretchRows(why)).toEqual(["2026-04-02 16:30–17:00 0.5h", "2026-04-07 08:00–08:30 0.5h"]);
  });

  it("a window target: softone-se P4 resolution from Jan 31 opens Feb 28 (clamped to the month's end) and ends Jul 31", () => {
    const why = getPolicy("softone-se").explain("2026-01-31T10:00", { priority: 4, metric: "resolution" });
    expect(why.trace).toBeNull();
    expect(why.rule).toEqual({
      kind: "window",
      earliest: {
        months: 1,
        days: 0,
        ms: 0,
        fromLocal: "2026-01-31T10:00:00+01:00",
        wallLocal: "2026-02-28T10:00:00+01:00",
        clampedToMonthEnd: true,
        result: new Date("2026-02-28T09:00:00Z"),
        resultLocal: "2026-02-28T10:00:00+01:00",
      },
      latest: {
        months: 6,
        days: 0,
        ms: 0,
        fromLocal: "2026-01-31T10:00:00+01:00",
        wallLocal: "2026-07-31T10:00:00+02:00",
        clampedToMonthEnd: false,
        result: new Date("2026-07-31T08:00:00Z"),
        resultLocal: "2026-07-31T10:00:00+02:00",
      },
    });
    expect(why.deadlineLocal).toBe("2026-07-31T10:00:00+02:00");
    expect(why.clause).toBe('SoftOne Kundguiden, Servicenivåer – tidsramar (002): "Inom 1-6 månader"');
  });

  it("a calendar target across the spring DST change keeps the time of day (4 weeks from 2026-03-20 11:00)", () => {
    const why = getPolicy("softone-se").explain("2026-03-20T11:00", { priority: 3, metric: "resolution" });
    expect(why.rule).toMatchObject({
      kind: "calendar",
      arithmetic: { days: 28, resultLocal: "2026-04-17T11:00:00+02:00", clampedToMonthEnd: false },
    });
  });

  it("a month that lands on a date the zone skipped is not clamped (Apia: 2011-11-30 + 1 month is the skipped 12-30)", () => {
    const day: [string, string][] = [["08:00", "16:00"]];
    const policy = definePolicy({
      id: "apia",
      name: "Apia",
      calendar: { zone: "Pacific/Apia", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day } },
      priorities: [{ id: 1, label: "P1", targets: { response: { kind: "calendar", duration: "P1M" } } }],
    });
    const why = policy.explain("2011-11-30T10:00", { priority: 1 });
    // The wall time moves to 12-31 (the date does not exist), but December has a 30th: no clamp.
    expect(why.rule).toMatchObject({
      kind: "calendar",
      arithmetic: { wallLocal: "2011-12-31T10:00:00+14:00", clampedToMonthEnd: false },
    });
  });

  it("bad arguments are the errors deadline() gives", () => {
    const policy = getPolicy("softone-se");
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return undefined;
    };
    // @ts-expect-error: a literal priority the preset lacks is a compile error too; this checks the run-time error
    expect(code(() => policy.explain("2026-04-02T11:00", { priority: 9 }))).toBe("UNKNOWN_PRIORITY");
    expect(code(() => policy.explain("2026-04-02T11:00", { priority: 1, metric: "x" as "response" }))).toBe(
      "UNKNOWN_METRIC",
    );
    expect(code(() => policy.explain("not a date", { priority: 1 }))).toBe("INVALID_INSTANT");
    expect(code(() => policy.explain("2026-04-02T11:00", null as never))).toBe("INVALID_ARGUMENT");
  });

  it("property: every preset's explanation ends at deadline()", () => {
    const ids = listPolicies().map((p) => p.id as PresetPolicyId);
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.nat(),
        fc.constantFrom("response", "resolution") as fc.Arbitrary<"response" | "resolution">,
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2028, 0, 1) }),
        (id, pick, metric, start) => {
          const policy = getPolicy(id);
          const priority = policy.priorities[pick % policy.priorities.length]!.id;
          const why = policy.explain(start, { priority, metric });
          const deadline = policy.deadline(start, { priority, metric });
          expect(why.deadline).toEqual(deadline);
          const rule = why.rule;
          if (rule.kind === "business") {
            expect(why.trace!.result).toEqual(deadline);
            expect(why.trace!.stretches.reduce((sum, s) => sum + s.ms, 0)).toBe(rule.businessMs);
          } else if (rule.kind === "endOfBusinessDay" || rule.kind === "endOfBusinessWeek") {
            expect(rule.closesAt).toEqual(deadline);
            expect(why.trace!.stretches.at(-1)!.end).toEqual(deadline);
            expect(why.trace!.totalMs).toBe(rule.businessMs);
            if (rule.kind === "endOfBusinessDay")
              expect(why.trace!.stretches.every((s) => s.date === rule.businessDay)).toBe(true);
          } else if (rule.kind === "calendar") expect(rule.arithmetic.result).toEqual(deadline);
          else if (rule.kind === "window") expect(rule.latest.result).toEqual(deadline);
          else expect(deadline).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("evaluate(…, { explain: true })", () => {
  const ticket = {
    id: "T-1",
    priority: 3,
    createdAt: "2026-04-01T15:00",
    events: [
      { type: "pause" as const, at: "2026-04-01T15:30" },
      { type: "resume" as const, at: "2026-04-02T09:00" },
      { type: "priority" as const, at: "2026-04-02T10:00", priority: 1 },
      { type: "respond" as const, at: "2026-04-07T10:00" },
    ],
  };

  it("a hand-checked ticket: pause, raise to P1 (12 h → 2 h), breach at 10:30, respond Tue 10:00", () => {
    const e = getPolicy("softone-se").evaluate(ticket, "2026-04-08T10:00", { explain: true });
    const r = e.explanation.response;
    // Wed 15:00–15:30, Thu 09:00–12:00 (the eve's morning), Tue 08:00–10:00: 5.5 h.
    expect(r.stretches.map((s) => `${s.date} ${hm(s.startLocal)}–${hm(s.endLocal)} ${s.runningMs / H}h`)).toEqual([
      "2026-04-01 15:00–15:30 0.5h",
      "2026-04-02 09:00–12:00 3.5h",
      "2026-04-07 08:00–10:00 5.5h",
    ]);
    expect(r.elapsed).toBe(5.5 * H);
    expect(e.response.elapsed).toBe(5.5 * H);
    // The pause kept Wed 15:30–16:00 and Thu 08:00–09:00 from counting.
    expect(r.pauses).toEqual([
      expect.objectContaining({
        startLocal: "2026-04-01T15:30:00+02:00",
        endLocal: "2026-04-02T09:00:00+02:00",
        uncountedMs: 1.5 * H,
        stillPaused: false,
      }),
    ]);
    expect(r.priorityChanges).toEqual([
      expect.objectContaining({ from: 3, to: 1, targetMsBefore: 12 * H, targetMsAfter: 2 * H, applied: true }),
    ]);
    expect(r.breachedAtLocal).toBe("2026-04-02T10:30:00+02:00");
    expect(r.moments).toEqual([expect.objectContaining({ type: "respond", atLocal: "2026-04-07T10:00:00+02:00" })]);
    expect(e.explanation.days.map((d) => d.date)).toEqual([
      "2026-04-02",
      "2026-04-03",
      "2026-04-04",
      "2026-04-05",
      "2026-04-06",
    ]);
    // The resolution target P3 → P1 ("Inom 4 veckor" → "Samma dag"): a calendar measure becomes
    // business, the business time from creation (Wed 15:00) to that day's close (16:00).
    const res = e.explanation.resolution;
    expect(res.priorityChanges[0]).toMatchObject({ targetMsBefore: 28 * DAY, targetMsAfter: H });
    expect(res.stretches.reduce((sum, s) => sum + s.ms, 0)).toBe(e.resolution.elapsed);
  });

  it("without explain the result is the plain evaluation, with the same numbers", () => {
    const policy = getPolicy("softone-se");
    const plain = policy.evaluate(ticket, "2026-04-08T10:00");
    const explained = policy.evaluate(ticket, "2026-04-08T10:00", { explain: true });
    expect("explanation" in plain).toBe(false);
    const rest: Record<string, unknown> = { ...explained };
    delete rest.explanation;
    expect(rest).toEqual(plain);
    expect("explanation" in policy.evaluate(ticket, "2026-04-08T10:00", { explain: false })).toBe(false);
  });

  it("a change not applied (the metric had stopped) whose target would end past 2200: explained as evaluate answers", () => {
    const allDay: [string, string][] = [["00:00", "24:00"]];
    const policy = definePolicy({
      id: "unapplied-near-the-end",
      name: "Unapplied near the end",
      calendar: {
        zone: "UTC",
        weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      },
      priorities: [
        { id: 2, label: "calendar", targets: { response: { kind: "calendar", duration: "PT48H" } } },
        { id: 3, label: "window", targets: { response: { kind: "window", earliest: "P1D", latest: "P1M" } } },
      ],
    });
    // Responded before the change to P3, whose month from creation ends on 2201-01-10: evaluation
    // never measures that target (the response keeps P2's), so it answers, and so must explain.
    const ticket = {
      id: 2,
      priority: 2,
      createdAt: "2200-12-10T00:00Z",
      events: [
        { type: "respond" as const, at: "2200-12-10T01:00Z" },
        { type: "priority" as const, at: "2200-12-10T02:00Z", priority: 3 },
      ],
    };
    const plain = policy.evaluate(ticket, "2200-12-10T03:00Z");
    expect(plain.response.status).toBe("met");
    const explained = policy.evaluate(ticket, "2200-12-10T03:00Z", { explain: true });
    const rest: Record<string, unknown> = { ...explained };
    delete rest.explanation;
    expect(rest).toEqual(plain);
    expect(explained.explanation.response.priorityChanges).toEqual([
      expect.objectContaining({ from: 2, to: 3, targetMsBefore: 48 * H, targetMsAfter: null, applied: false }),
    ]);
  });

  it("a ticket still paused at now: the open pause and its uncounted time; a calendar measure counts wall time", () => {
    const e = getPolicy("softone-se").evaluate(
      { id: 2, priority: 3, createdAt: "2026-04-07T09:00", events: [{ type: "pause", at: "2026-04-07T10:00" }] },
      "2026-04-08T10:00",
      { explain: true },
    );
    expect(e.explanation.response.pauses).toEqual([
      // Tue 10–12 and 13–16, Wed 08–10.
      expect.objectContaining({ stillPaused: true, uncountedMs: 5 * H + 2 * H }),
    ]);
    const res = e.explanation.resolution; // 4 weeks of calendar time
    expect(res.measure).toBe("calendar");
    expect(res.stretches.map((s) => s.ms)).toEqual([H]);
    expect(res.pauses[0]!.uncountedMs).toBe(24 * H);
  });

  it("a priority change over the new target with a reply at the same instant: explained, breached at the change", () => {
    const nine = [["09:00", "17:00"]] as [string, string][];
    const policy = definePolicy({
      id: "same-instant",
      name: "same instant",
      calendar: { zone: "UTC", weekly: { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine } },
      priorities: [
        { id: 1, label: "high", targets: { response: { kind: "business", duration: "PT1H" } } },
        { id: 2, label: "low", targets: { response: { kind: "business", duration: "PT8H" } } },
      ],
    });
    const changedAndAnswered = {
      id: "T",
      priority: 2,
      createdAt: "2026-03-24T09:00Z",
      events: [
        { type: "priority" as const, at: "2026-03-24T11:00Z", priority: 1 },
        { type: "respond" as const, at: "2026-03-24T11:00Z" },
      ],
    };
    // Changed during a pause; resumed and answered at one instant: breached at the resume.
    const changedWhilePaused = {
      id: "U",
      priority: 2,
      createdAt: "2026-03-24T09:00Z",
      events: [
        { type: "pause" as const, at: "2026-03-24T11:00Z" },
        { type: "priority" as const, at: "2026-03-24T12:00Z", priority: 1 },
        { type: "resume" as const, at: "2026-03-24T13:00Z" },
        { type: "respond" as const, at: "2026-03-24T13:00Z" },
      ],
    };
    for (const [t, breachedAt] of [
      [changedAndAnswered, "2026-03-24T11:00:00.000Z"],
      [changedWhilePaused, "2026-03-24T13:00:00.000Z"],
    ] as const) {
      const e = policy.evaluate(t, "2026-03-24T15:00Z", { explain: true });
      expect(e.response.breachedAt?.toISOString()).toBe(breachedAt);
      expect(e.explanation.response.breachedAt?.toISOString()).toBe(breachedAt);
    }
  });

  it("a hostile ticket whose getter answers differently the second time is refused, not explained wrongly", () => {
    // How often one evaluation reads createdAt; the explaining pass reads it after those.
    let reads = 0;
    let firstPass = Infinity;
    const hostile = {
      id: "H",
      priority: 3,
      get createdAt() {
        reads++;
        return reads <= firstPass ? "2026-04-07T09:00" : "2026-04-07T08:00";
      },
    };
    getPolicy("softone-se").evaluate(hostile, "2026-04-07T12:00");
    firstPass = reads;
    reads = 0;
    expect(() => getPolicy("softone-se").evaluate(hostile, "2026-04-07T12:00", { explain: true })).toThrow(
      expect.objectContaining({ code: "INVALID_TICKET" }),
    );
  });

  it("property: the counted stretches are ordered, disjoint, open, and add up to exactly elapsed", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later }) => {
        const t = buildTicket(policy, createdAt, priority, steps);
        const now = createdAt + later;
        const e = policy.evaluate(t, now, { explain: true });
        for (const metric of ["response", "resolution"] as const) {
          const timeline = e.explanation[metric];
          const result = e[metric];
          let previous = createdAt;
          let sum = 0;
          for (const s of timeline.stretches) {
            expect(s.start.getTime()).toBeGreaterThanOrEqual(previous);
            expect(s.end.getTime()).toBeGreaterThan(s.start.getTime());
            expect(s.end.getTime()).toBeLessThanOrEqual(now);
            previous = s.end.getTime();
            sum += s.ms;
            expect(s.runningMs).toBe(sum);
            if (timeline.measure !== "calendar") {
              // Inside open hours: every millisecond of the stretch is business time, in one open interval's span.
              expect(policy.calendar.businessTimeBetween(s.start, s.end)).toBe(s.ms);
              const open = policy.calendar.openIntervals(s.start, s.end);
              expect(open.reduce((n, o) => n + (o.end.getTime() - o.start.getTime()), 0)).toBe(s.ms);
            }
          }
          expect(sum).toBe(result.elapsed);
          expect(timeline.breachedAt).toEqual(result.breachedAt);
          for (const p of timeline.pauses) expect(p.uncountedMs).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("explaining costs nothing when it is not asked for", () => {
  it("the replay, the pipeline and evaluateMany's batch do not import the explain modules", () => {
    for (const file of ["evaluate.ts", "pipeline.ts", "batch.ts", "result.ts", "ticket.ts"]) {
      const source = readFileSync(new URL(`../src/clock/${file}`, import.meta.url), "utf8");
      expect(source, file).not.toMatch(/from "\.\/explain/);
    }
    // Policy.evaluate reaches the explanation through one check after the evaluation.
    const policy = readFileSync(new URL("../src/clock/policy.ts", import.meta.url), "utf8");
    expect(policy.match(/explainTicket\(/g)).toHaveLength(1);
    expect(policy).toContain("return read.explain ? explainTicket(this.#rules, ticket, result) : result;");
  });
});

describe("the report's explanation, cut at the breach (explainTicketToBreach)", () => {
  it("property: is explain()'s timeline up to the breach, every pause, change and moment, and the rest as one sum", () => {
    fc.assert(
      fc.property(scenario, ({ policy, createdAt, priority, steps, later }) => {
        const t = buildTicket(policy, createdAt, priority, steps);
        const now = createdAt + later;
        const full = policy.evaluate(t, now, { explain: true });
        const cut = explainTicketToBreach(rulesOf(policy), t, policy.evaluate(t, now));
        const local = (ms: number) => policy.calendar.format(ms);
        const dates = (x: { readonly days: readonly { readonly date: string }[] }, to: string) =>
          x.days
            .filter((d) => d.date >= full.explanation.createdAtLocal.slice(0, 10) && d.date <= to)
            .map((d) => d.date);
        for (const metric of ["response", "resolution"] as const) {
          const f = full.explanation[metric];
          const c = cut[metric];
          // Everything but the stretches is explain()'s, whatever its time.
          const { stretches: fs, ...fRest } = f;
          const { stretches: cs, cutAt, countedAfterMs, ranUntil, ranUntilLocal, ranUntilNow, ...cRest } = c;
          expect(cutAt).toBe(full[metric].breachedAt?.getTime() ?? createdAt);
          expect(cRest).toEqual(fRest);
          // The stretches are explain()'s up to the breach, the one across it cut there.
          let total = 0;
          const expected = fs
            .filter((s) => s.start.getTime() < cutAt)
            .map((s) => {
              const end = Math.min(s.end.getTime(), cutAt);
              total += end - s.start.getTime();
              return { ...s, end: new Date(end), endLocal: local(end), ms: end - s.start.getTime(), runningMs: total };
            });
          expect(cs).toEqual(expected);
          expect(countedAfterMs).toBe(f.elapsed - total);
          // It ran after the breach up to its stop or now, through the last stretch counted then.
          if (ranUntil === null) expect(countedAfterMs).toBe(0);
          else {
            expect(ranUntil).toBeGreaterThan(cutAt);
            expect(ranUntil).toBeLessThanOrEqual(now);
            expect(ranUntil).toBeGreaterThanOrEqual(fs.at(-1)?.end.getTime() ?? -Infinity); // (instants before 1970 are negative)
          }
          expect(ranUntilLocal).toBe(ranUntil === null ? null : local(ranUntil));
          expect(ranUntilNow).toBe(ranUntil === now);
          // The closed or short days the report lists under a breach of a business measure:
          // explain()'s up to the breach's date (a metric that did not breach is not traced).
          if (f.measure !== "calendar" && f.breachedAt !== null) {
            const to = local(cutAt).slice(0, 10);
            expect(dates(cut, to)).toEqual(dates(full.explanation, to));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
