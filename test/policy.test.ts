/**
 * Policies and presets: tables taken from the source documents (clauses cited), definePolicy
 * validation, and properties of every preset's deadlines.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { thrown } from "./support/errors";
import {
  SlaClockError,
  createCalendar,
  definePolicy,
  describeTarget,
  getCalendar,
  getPolicy,
  getProvider,
  listPolicies,
  listProviders,
  type CalendarSpec,
  type PolicySpec,
  type PresetPolicyId,
} from "../src/index";
import { INVALID_POLICY_SPECS, VALID_POLICY_SPEC } from "./support/invalid-specs";
import type { Target } from "../src/index";

const at = (iso: string) => Date.parse(iso);
const deadline = (
  id: PresetPolicyId,
  start: string,
  priority: number,
  metric: "response" | "resolution" = "response",
) => getPolicy(id).deadline(start, { priority, metric })?.getTime() ?? null;

describe("softone-se (000 §4 response times, 002 'Servicenivåer – tidsramar')", () => {
  it.each([
    [1, "2026-04-07T09:00+02:00", "2 h: Skärtorsdagen closes at 12, Easter, Tuesday 08–09"],
    [2, "2026-04-07T11:00+02:00", "4 h"],
    [3, "2026-04-08T12:00+02:00", "12 h"],
    [4, "2026-04-15T14:00+02:00", "48 h: 1 + 7 × 6 + 5"],
    [5, "2026-04-15T14:00+02:00", "48 h, same as level 4"],
  ])("P%i response from Skärtorsdagen 2026-04-02 11:00 is due %s (%s)", (priority, expected) => {
    expect(deadline("softone-se", "2026-04-02T11:00", priority)).toBe(at(expected));
  });

  it.each([
    [1, "2026-04-01T16:00+02:00", "Samma dag"],
    [2, "2026-04-02T12:00+02:00", "Samma vecka: Easter week ends at Skärtorsdagen's early close"],
    [3, "2026-04-29T10:00+02:00", "Inom 4 veckor: calendar time"],
    [4, "2026-10-01T10:00+02:00", "Inom 1-6 månader: the window's end"],
    [5, "2027-04-01T10:00+02:00", "Inom 1-12 månader"],
  ])("P%i resolution from 2026-04-01 10:00 is due %s (%s)", (priority, expected) => {
    expect(deadline("softone-se", "2026-04-01T10:00", priority, "resolution")).toBe(at(expected));
  });

  it("gives both ends of a window, clamping to the end of a shorter month", () => {
    const w = getPolicy("softone-se").window("2026-01-31T10:00", { priority: 4, metric: "resolution" });
    expect(w.earliest?.getTime()).toBe(at("2026-02-28T10:00+01:00"));
    expect(w.deadline?.getTime()).toBe(at("2026-07-31T10:00+02:00"));
    expect(getPolicy("softone-se").window("2026-01-31T10:00", { priority: 1 }).earliest).toBeNull();
  });

  it("refuses a window whose earliest end is after its latest whatever the start, and keeps one that is not", () => {
    const spec = getPolicy("softone-se").spec;
    const withWindow = (earliest: unknown, latest: unknown) => ({
      ...spec,
      id: "w",
      priorities: [{ id: 1, label: "P1", targets: { response: { kind: "window", earliest, latest } } }],
    });
    for (const [earliest, latest] of [
      [{ months: 6 }, { months: 1 }],
      ["P2D", "P1D"],
      [{ months: 1, days: 1 }, { months: 1 }],
      // Parts one by one do not show these: a month is at least 28 days, a day about 24 hours.
      [{ months: 1 }, { hours: 1 }],
      [{ months: 1 }, { days: 27 }],
      ["P32D", "P1M"],
      [{ days: 1 }, { hours: 12 }],
      [{ months: 2 }, { months: 1, days: 5 }],
    ] as const) {
      const e = thrown(() => definePolicy(withWindow(earliest, latest) as never));
      expect(e.code).toBe("INVALID_POLICY_SPEC");
      expect(e.message).toContain("priorities[0].targets.response.earliest: earliest ends after latest");
    }
    // Not always later (a month may be shorter than 31 days): kept, as are equal ends.
    expect(() => definePolicy(withWindow({ days: 31 }, { months: 1 }) as never)).not.toThrow();
    expect(() => definePolicy(withWindow({ months: 1 }, { months: 1 }) as never)).not.toThrow();
  });

  it("describes its targets and keeps the document's labels", () => {
    const p = getPolicy("softone-se");
    expect(p.priorities.map((x) => x.label)).toEqual([
      "Prioritet 1",
      "Prioritet 2",
      "Prioritet 3",
      "Prioritet 4",
      "Prioritet 5",
    ]);
    expect(p.priorities[2]?.description).toContain("Denna prioritet tilldelas även prioritet 1 och 2 ärenden");
    expect(p.priorities[0]?.labelEn).toBe("Priority 1");
    expect(describeTarget(p.target(1))).toBe("2 business hours");
    // As the target reads the text: trimmed (" PT2H " was "0 business hours"), and a fraction past
    // the millisecond rounded (PT0.0015S is 2 ms).
    expect(describeTarget({ kind: "business", duration: " PT2H " })).toBe("2 business hours");
    expect(describeTarget({ kind: "calendar", duration: "P1M " })).toBe("1 month (calendar time)");
    expect(describeTarget({ kind: "business", duration: "PT0.0015S" })).toBe("2 milliseconds of business time");
    // A number or an object is rounded alike: 1.5 ms and 0.0015 s are the 2 ms the deadline uses.
    expect(describeTarget({ kind: "calendar", duration: 1.5 })).toBe("2 milliseconds (calendar time)");
    expect(describeTarget({ kind: "business", duration: { seconds: 0.0015 } })).toBe("2 milliseconds of business time");
    expect(describeTarget({ kind: "calendar", duration: { days: 1, seconds: 0.0015 } })).toBe(
      "1 day 2 milliseconds (calendar time)",
    );
    expect(describeTarget({ kind: "business", duration: { hours: 1.5 } })).toBe("1.5 business hours");
    expect(describeTarget(p.target(3, "resolution"))).toBe("4 weeks (calendar time)");
    expect(describeTarget(p.target(4, "resolution"))).toBe("between 1 month and 6 months");
    expect(describeTarget(p.target(1, "resolution"))).toBe("end of business day");
  });
});

describe("softone-fi (001: eves and Fridays close 14:00; targets as in Sweden)", () => {
  it("counts P1 from an eve afternoon into Tuesday after Easter", () => {
    expect(deadline("softone-fi", "2026-04-02T13:00", 1)).toBe(at("2026-04-07T09:00+03:00"));
    expect(getPolicy("softone-fi").priorities[0]?.label).toBe("Prioriteetti 1");
  });
});

describe("MOCH (004)", () => {
  it("standard: 'besvaret inden for 12 arbejdstimer', from a Friday over Whitsun", () => {
    for (let p = 1; p <= 5; p++)
      expect(deadline("moch-standard", "2026-05-22T10:00Z", p)).toBe(at("2026-05-26T14:00Z"));
    expect(deadline("moch-standard", "2026-05-22T10:00Z", 1, "resolution")).toBeNull();
  });

  it("extended: 'Mål for Reaktionstid' P1 2 h … P4 24 h, P5 'Bedste Bestræbelser'", () => {
    expect(deadline("moch-extended", "2026-05-22T10:00Z", 1)).toBe(at("2026-05-22T12:00Z"));
    expect(deadline("moch-extended", "2026-05-22T10:00Z", 4)).toBe(at("2026-05-26T20:00Z"));
    expect(deadline("moch-extended", "2026-04-02T11:00Z", 5)).toBeNull();
    expect(getPolicy("moch-extended").priorities[4]?.label).toBe("Prioritet 5 – Anmodning om Oplysninger");
  });

  it("reads the hours as Copenhagen wall time on request", () => {
    const local = getPolicy("moch-standard", { hoursZone: "Europe/Copenhagen" });
    // Friday 2026-05-22 10:00 Copenhagen (+02:00): 7 h to 17:00, Tuesday 09:00 + 5 h.
    expect(local.deadline("2026-05-22T08:00Z", { priority: 1 })?.getTime()).toBe(at("2026-05-26T14:00+02:00"));
  });
});

describe("Trinax (003: 'Inställelsetid (8-17)' 1 h / 8 h / 16 h / -)", () => {
  it.each<[PresetPolicyId, string, string | null, string]>([
    ["trinax-access", "2026-05-13T11:00", "2026-05-18T09:00+02:00", "16 h over Kristi himmelsfärd and a weekend"],
    ["trinax-attend", "2026-06-19T15:00", "2026-06-22T14:00+02:00", "8 h from Midsommarafton (open 8–17)"],
    ["trinax-alert", "2026-04-02T16:30", "2026-04-07T08:30+02:00", "1 h over Easter"],
    ["trinax-none", "2026-04-02T16:30", null, "no contract: no target"],
  ])("%s from %s → %s (%s)", (id, start, expected) => {
    for (let p = 1; p <= 4; p++) expect(deadline(id, start, p)).toBe(expected === null ? null : at(expected));
  });

  it("carries the contract terms of each tier as typed data", () => {
    const tiers = getProvider("trinax").tiers;
    expect(
      tiers.map((t) => [t.name, t.terms?.timeBank, t.terms?.monthlyFee?.amount ?? null, t.terms?.hourlyRate.amount]),
    ).toEqual([
      ["Alert!", { hours: 15, period: "quarter" }, 8000, 850],
      ["Attend!", { hours: 6, period: "quarter" }, 3000, 890],
      ["Access!", { hours: 4, period: "year" }, 500, 940],
      ["Avtalslös", null, null, 980],
    ]);
    expect(tiers.map((t) => [t.terms?.reconciliationMeetings, t.terms?.reporting, t.terms?.termMonths])).toEqual([
      ["quarterly", "monthly", 12],
      ["half-yearly", "quarterly", 12],
      [null, "yearly", 12],
      [null, null, null],
    ]);
  });
});

describe("the README's worked examples (hours counted by hand)", () => {
  const iso = (d: Date | null) => d?.toISOString() ?? null;

  it("SoftOne: Skärtorsdag is an eve (08–12), windows clamp to the month's end, Finnish Fridays close 14:00", () => {
    const se = getPolicy("softone-se");
    expect(iso(se.deadline("2026-04-02T09:00", { priority: 1, metric: "resolution" }))).toBe(
      "2026-04-02T10:00:00.000Z",
    );
    const window = se.window("2026-01-31T10:00", { priority: 4, metric: "resolution" });
    expect([iso(window.earliest), iso(window.deadline)]).toEqual([
      "2026-02-28T09:00:00.000Z",
      "2026-07-31T08:00:00.000Z",
    ]);
    const fi = getPolicy("softone-fi");
    expect(iso(fi.deadline("2026-06-05T10:00", { priority: 1, metric: "resolution" }))).toBe(
      "2026-06-05T11:00:00.000Z",
    );
  });

  it("MOCH: UTC hours, Grundlovsdag open, P5 extended best effort", () => {
    expect(iso(getPolicy("moch-standard").deadline("2026-06-05T15:00Z", { priority: 3 }))).toBe(
      "2026-06-09T11:00:00.000Z",
    );
    expect(iso(getPolicy("moch-extended").deadline("2026-06-05T21:00Z", { priority: 1 }))).toBe(
      "2026-06-08T09:00:00.000Z",
    );
    expect(getPolicy("moch-extended").deadline("2026-06-05T15:00Z", { priority: 5 })).toBeNull();
  });

  it("Trinax: 1 May and the weekend are closed", () => {
    expect(iso(getPolicy("trinax-access").deadline("2026-04-30T15:00", { priority: 2 }))).toBe(
      "2026-05-05T11:00:00.000Z",
    );
    expect(iso(getPolicy("trinax-alert").deadline("2026-04-30T16:30", { priority: 1 }))).toBe(
      "2026-05-04T06:30:00.000Z",
    );
  });
});

describe("registry", () => {
  it("lists every preset and provider", () => {
    expect(listPolicies().map((p) => p.id)).toEqual([
      "softone-se",
      "softone-fi",
      "moch-standard",
      "moch-extended",
      "trinax-alert",
      "trinax-attend",
      "trinax-access",
      "trinax-none",
    ]);
    expect(listProviders().map((p) => p.id)).toEqual(["softone", "moch", "trinax"]);
    for (const p of listPolicies()) expect(getPolicy(p.id).calendar).toBe(getCalendar(p.calendarId));
  });

  it.each<[string, () => unknown, string, string]>([
    [
      "an unknown policy",
      () => getPolicy("softone" as PresetPolicyId),
      "UNKNOWN_POLICY",
      "valid ids are softone-se, softone-fi",
    ],
    ["an unknown calendar", () => getCalendar("moch" as never), "UNKNOWN_CALENDAR", "valid ids are softone-se"],
    [
      "an option of another preset",
      () => getPolicy("trinax-alert", { hoursZone: "UTC" }),
      "INVALID_PRESET_OPTIONS",
      "it takes no options",
    ],
    [
      "a bad option value",
      () => getPolicy("moch-standard", { hoursZone: "Europe/Oslo" as never }),
      "INVALID_PRESET_OPTIONS",
      '"UTC" or "Europe/Copenhagen"',
    ],
    [
      "a priority outside the table",
      // @ts-expect-error: a literal priority the preset lacks is a compile error too; this checks the run-time error
      () => getPolicy("trinax-alert").deadline(0, { priority: 5 }),
      "UNKNOWN_PRIORITY",
      "valid priorities are 1, 2, 3, 4",
    ],
    [
      "an unknown metric",
      () => getPolicy("trinax-alert").target(1, "update" as never),
      "UNKNOWN_METRIC",
      '"response" or "resolution"',
    ],
    ["an unknown provider", () => getProvider("acme"), "INVALID_ARGUMENT", "valid ids are softone, moch, trinax"],
  ])("rejects %s", (_what, fn, code, fragment) => {
    try {
      fn();
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SlaClockError);
      expect((e as SlaClockError).code).toBe(code);
      expect((e as SlaClockError).message).toContain(fragment);
    }
  });

  it("hands out frozen presets that a caller cannot change", () => {
    const p = getPolicy("softone-se");
    expect(
      Object.isFrozen(p) &&
        Object.isFrozen(p.spec) &&
        Object.isFrozen(p.priorities[0]) &&
        Object.isFrozen(p.calendar.spec),
    ).toBe(true);
    expect(() => {
      (p.priorities[0]!.targets as { response: unknown }).response = { kind: "none" };
    }).toThrow(TypeError);
    expect(getPolicy("softone-se").target(1)).toEqual({ kind: "business", duration: { hours: 2 } });
  });
});

describe("definePolicy", () => {
  const valid = VALID_POLICY_SPEC;

  it("builds a policy from JSON and round-trips its spec", () => {
    const policy = definePolicy(JSON.parse(JSON.stringify(valid)) as PolicySpec);
    expect(policy.deadline("2026-04-06T16:30", { priority: "P1" })?.getTime()).toBe(at("2026-04-07T08:30+02:00"));
    expect(policy.deadline("2026-04-06T16:30", { priority: "P2" })?.getTime()).toBe(at("2026-04-09T16:30+02:00"));
    expect(policy.deadline("2026-04-06T16:30", { priority: "P2", metric: "resolution" })).toBeNull();
    const again = definePolicy(JSON.parse(JSON.stringify(policy.spec)) as PolicySpec);
    expect(again.deadline("2026-04-06T16:30", { priority: "P1", metric: "resolution" })?.getTime()).toBe(
      at("2026-04-06T17:00+02:00"),
    );
    const shared = definePolicy({ ...valid, calendar: getCalendar("trinax") });
    expect(shared.calendar).toBe(getCalendar("trinax"));
  });

  it("names the inline calendar's paths under calendar., in its messages too", () => {
    const calendar = getCalendar("softone-se").spec as CalendarSpec;
    const issuesOf = (spec: unknown) => {
      try {
        definePolicy({ ...valid, calendar: spec as CalendarSpec });
      } catch (e) {
        return (e as SlaClockError).issues;
      }
      return [];
    };
    expect(issuesOf({ ...calendar, closedDates: ["2026-05-15", "2026-05-15"] })).toEqual([
      {
        path: "calendar.closedDates[1]",
        message:
          "2026-05-15 is already given at calendar.closedDates[0]; a date may appear only once among overrides, closedDates and openDates",
      },
    ]);
    expect(
      issuesOf({
        anyOf: [calendar, { ...calendar, overrides: [{ date: "2026-05-15", hours: [] }], closedDates: ["2026-05-15"] }],
      }),
    ).toEqual([
      {
        path: "calendar.anyOf[1].closedDates[0]",
        message:
          "2026-05-15 is already given at calendar.anyOf[1].overrides[0].date; a date may appear only once among overrides, closedDates and openDates",
      },
    ]);
    expect(issuesOf("nope")).toEqual([{ path: "calendar", message: "expected a calendar spec object or a Calendar" }]);
    expect(issuesOf({ ...calendar, weekly: { mon: 5 } }).map((i) => i.path)).toEqual(["calendar.weekly.mon"]);
  });

  it("adds calendar durations by wall clock: a gap moves forward, an overlap takes the earlier offset whatever the start's offset", () => {
    const policy = definePolicy({
      id: "cal",
      name: "Calendar targets",
      calendar: { zone: "Europe/Stockholm", weekly: {} },
      priorities: [
        { id: 1, label: "4 weeks", targets: { response: { kind: "calendar", duration: "P4W" } } },
        { id: 2, label: "52 weeks", targets: { response: { kind: "calendar", duration: { weeks: 52 } } } },
        { id: 3, label: "72 hours", targets: { response: { kind: "calendar", duration: { hours: 72 } } } },
      ],
    });
    expect(policy.deadline("2026-03-01T02:30", { priority: 1 })?.getTime()).toBe(at("2026-03-29T03:30+02:00"));
    expect(policy.deadline("2026-09-27T02:30", { priority: 1 })?.getTime()).toBe(at("2026-10-25T02:30+02:00"));
    // The second 02:30 of 2025-10-26 (+01:00) plus 52 weeks lands on the ambiguous 02:30 of 2026-10-25: earlier offset.
    expect(policy.deadline("2025-10-26T02:30+01:00", { priority: 2 })?.getTime()).toBe(at("2026-10-25T02:30+02:00"));
    // Hours are elapsed time: 72 h across the spring switch ends at 03:00 wall time, not 02:00.
    expect(policy.deadline("2026-03-27T02:00", { priority: 3 })?.getTime()).toBe(at("2026-03-30T03:00+02:00"));
  });

  it.each(INVALID_POLICY_SPECS)("rejects %s with INVALID_POLICY_SPEC", (_what, spec, fragment) => {
    try {
      definePolicy(spec as PolicySpec);
      expect.unreachable();
    } catch (e) {
      expect((e as SlaClockError).code).toBe("INVALID_POLICY_SPEC");
      expect((e as SlaClockError).message).toContain(fragment);
    }
  });

  it("accepts a Calendar created separately", () => {
    const calendar = createCalendar({ zone: "UTC", weekly: { mon: [["00:00", "24:00"]] } });
    expect(definePolicy({ ...valid, calendar }).calendar).toBe(calendar);
  });
});

/** Whether a target adds months or years (a calendar duration or a window's latest end). */
function hasMonths(target: Target): boolean {
  if (target.kind !== "calendar" && target.kind !== "window") return false;
  const d = target.kind === "calendar" ? target.duration : target.latest;
  if (typeof d === "string") return /^P[^T]*[MY]/.test(d);
  if (typeof d === "number") return false;
  return ["months", "years", "quarters"].some((unit) => unit in (d as object));
}

describe("properties of every preset's deadlines", () => {
  const ids = listPolicies().map((p) => p.id);
  const start = fc.integer({ min: Date.UTC(1995, 0, 1), max: Date.UTC(2095, 0, 1) });
  // Tables ordered most urgent first in every document; equal targets tie.
  it("is never before the start, is monotonic in the start, and never due later for a more urgent priority", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.constantFrom("response" as const, "resolution" as const),
        start,
        fc.integer({ min: 0, max: 30 * 86_400_000 }),
        (id, metric, s, delta) => {
          const policy = getPolicy(id);
          let previous: number | null = null;
          for (const p of policy.priorities) {
            const d1 = policy.deadline(s, { priority: p.id, metric })?.getTime() ?? null;
            const d2 = policy.deadline(s + delta, { priority: p.id, metric })?.getTime() ?? null;
            if (d1 === null || d2 === null) {
              expect(d1).toBe(d2);
              continue;
            }
            expect(d1).toBeGreaterThanOrEqual(s);
            // Adding months clamps to the month's last day and keeps the time of day, so a later
            // start can be due earlier on the same date (Aug 29 06:23 + 6 months = Feb 29 06:23,
            // Aug 30 00:00 + 6 months = Feb 29 00:00, seed 999198557): for month targets the due
            // dates are monotonic, not the instants.
            if (hasMonths(policy.target(p.id, metric))) {
              const date = (t: number) => policy.calendar.format(t, { style: "date" });
              expect(date(d2) >= date(d1)).toBe(true);
            } else expect(d2).toBeGreaterThanOrEqual(d1);
            if (previous !== null) expect(d1).toBeGreaterThanOrEqual(previous);
            previous = d1;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a policy's spec", () => {
  it("is a frozen copy: the caller's duration objects are neither frozen nor read again later", () => {
    const day: [string, string][] = [["08:00", "16:00"]];
    const calendar = { zone: "Europe/Stockholm", weekly: { mon: day, tue: day, wed: day, thu: day, fri: day } };
    class Hours {
      constructor(public hours: number) {}
    }
    const mine = new Hours(4);
    const bare = Object.assign(Object.create(null) as object, { hours: 2 });
    const policy = definePolicy({
      id: "a",
      name: "a",
      calendar,
      priorities: [
        { id: 1, label: "x", targets: { response: { kind: "business", duration: mine as never } } },
        { id: 2, label: "y", targets: { response: { kind: "business", duration: bare } } },
      ],
    });
    // definePolicy froze the caller's object without a prototype, and kept the class instance.
    expect(Object.isFrozen(bare)).toBe(false);
    mine.hours = 40;
    expect(describeTarget(policy.target(1))).toBe("4 business hours");
    expect(policy.calendar.format(policy.deadline("2026-04-07T08:00", { priority: 1 })!)).toBe(
      "2026-04-07T12:00:00+02:00",
    );
    expect(Object.isFrozen(policy.spec.priorities[0]!.targets.response)).toBe(true);
  });
});
