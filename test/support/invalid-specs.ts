/**
 * The invalid specs the validation tests reject (test/calendar.spec.test.ts, test/policy.test.ts),
 * shared so that test/json-schema.test.ts can check the published JSON Schemas against the same
 * documents.
 */
import type { DayHours, PolicySpec } from "../../src/index";

const NINE_TO_FIVE: DayHours = [["09:00", "17:00"]];
const WEEKDAYS = { mon: NINE_TO_FIVE, tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE };
const base = { zone: "Europe/Stockholm", weekly: WEEKDAYS };

/** [what, spec, issue path, message fragment] — createCalendar refuses each with INVALID_CALENDAR_SPEC. */
export const INVALID_CALENDAR_SPECS: [string, unknown, string, string][] = [
  ["an unknown zone", { ...base, zone: "Mars/Olympus_Mons" }, "zone", "is not an IANA time zone"],
  ["a zone that is not a string", { ...base, zone: 2 }, "zone", "expected an IANA time zone"],
  [
    "a time out of range",
    { ...base, weekly: { mon: [["08:00", "25:00"]] } },
    "weekly.mon[0][1]",
    '"25:00" is not a time of day',
  ],
  ["a time without a colon", { ...base, weekly: { mon: [["0800", "12:00"]] } }, "weekly.mon[0][0]", 'use "HH:mm"'],
  ["an empty interval", { ...base, weekly: { mon: [["09:00", "09:00"]] } }, "weekly.mon[0]", "is empty"],
  [
    "24:00 as an opening",
    { ...base, weekly: { mon: [["24:00", "06:00"]] } },
    "weekly.mon[0]",
    '"24:00" can only end an interval',
  ],
  [
    "overlapping intervals",
    {
      ...base,
      weekly: {
        mon: [
          ["08:00", "12:00"],
          ["11:00", "13:00"],
        ],
      },
    },
    "weekly.mon[1]",
    "must not overlap",
  ],
  [
    "unsorted intervals",
    {
      ...base,
      weekly: {
        mon: [
          ["13:00", "16:00"],
          ["08:00", "12:00"],
        ],
      },
    },
    "weekly.mon[1]",
    "must be sorted",
  ],
  [
    "an overnight interval that is not the last",
    {
      ...base,
      weekly: {
        mon: [
          ["20:00", "02:00"],
          ["22:00", "23:00"],
        ],
      },
    },
    "weekly.mon[1]",
    "only the last interval",
  ],
  [
    "an overnight interval running into the next day's hours",
    { ...base, weekly: { mon: [["22:00", "06:00"]], tue: [["05:00", "12:00"]] } },
    "weekly.mon[0]",
    "overlaps weekly.tue[0]",
  ],
  [
    "Sunday's overnight interval running into Monday",
    { ...base, weekly: { sun: [["23:00", "09:30"]], mon: NINE_TO_FIVE } },
    "weekly.sun[0]",
    "overlaps weekly.mon[0]",
  ],
  ["an unknown weekday", { ...base, weekly: { mo: NINE_TO_FIVE } }, "weekly", 'unknown key "mo"'],
  ["an unknown key", { ...base, timezone: "UTC" }, "", 'unknown key "timezone"'],
  [
    "a date that does not exist",
    { ...base, closedDates: ["2026-02-30"] },
    "closedDates[0]",
    '"2026-02-30" is not a date',
  ],
  [
    "a closed date's name that is not a string",
    { ...base, closedDates: [{ date: "2026-05-15", name: 5 }] },
    "closedDates[0].name",
    "expected a name (string)",
  ],
  [
    "a date outside 1900–2200",
    { ...base, overrides: [{ date: "1850-01-01", hours: [] }] },
    "overrides[0].date",
    "outside the supported years",
  ],
  [
    "a date given twice",
    { ...base, overrides: [{ date: "2026-05-15", hours: [] }], closedDates: ["2026-05-15"] },
    "closedDates[0]",
    "already given at overrides[0].date",
  ],
  [
    "an open Saturday without hours",
    { ...base, openDates: ["2026-06-06"] },
    "openDates[0]",
    "is a sat, which has no weekly hours",
  ],
  ["eves without holidays", { ...base, eves: { closeAt: "13:00" } }, "eves", "eves need holidays"],
  [
    "an eve with both closeAt and hours",
    { ...base, holidays: { country: "SE" }, eves: { closeAt: "13:00", hours: NINE_TO_FIVE } },
    "eves",
    "exactly one of closeAt",
  ],
  [
    "an unknown country",
    { ...base, holidays: { country: "XX" } },
    "holidays.country",
    "not a country known to date-holidays",
  ],
  [
    "an unknown state",
    { ...base, holidays: { country: "DE", state: "QQ" } },
    "holidays.state",
    "is not a state of DE; use one of",
  ],
  [
    "a region without a state",
    { ...base, holidays: { country: "DE", region: "A" } },
    "holidays.region",
    "a region needs a state",
  ],
  [
    "an unknown holiday type",
    { ...base, holidays: { country: "SE", types: ["fun"] } },
    "holidays.types[0]",
    '"fun" is not a holiday type',
  ],
  [
    "a weekday rule without weekdays",
    { ...base, weekdayRules: [{ weekdays: [], closeAt: "14:00" }] },
    "weekdayRules[0].weekdays",
    "at least one weekday",
  ],
  [
    "a weekday rule with a bad weekday",
    { ...base, weekdayRules: [{ weekdays: ["friday"], closeAt: "14:00" }] },
    "weekdayRules[0].weekdays[0]",
    '"friday" is not a weekday',
  ],
  [
    "a dated entry outside the span of its rules",
    { ...base, closedDates: ["2027-01-04"], versions: [{ from: "2027-01-01", spec: { weekly: WEEKDAYS } }] },
    "closedDates[0]",
    "falls in the span of versions[0] (from 2027-01-01 on)",
  ],
  [
    "a listed holiday outside the span of its rules",
    {
      ...base,
      holidays: { source: "list", dates: [{ date: "2027-01-04", name: "Closure" }] },
      versions: [{ from: "2027-01-01", spec: { weekly: WEEKDAYS } }],
    },
    "holidays.dates[0]",
    "falls in the span of versions[0] (from 2027-01-01 on)",
  ],
  // PostgreSQL text cannot hold U+0000: an id or name with it could not be exported (sla_meta).
  ["an id with U+0000", { ...base, id: "acme\u0000" }, "id", "cannot hold U+0000"],
  ["a name with U+0000", { ...base, name: "ACME\u0000" }, "name", "cannot hold U+0000"],
  // Nor can SQL text hold a lone UTF-16 surrogate: engines store U+FFFD, a key other than the library's.
  ["an id with a lone surrogate", { ...base, id: "a\ud800b" }, "id", "not well-formed UTF-16"],
  ["a name with a lone surrogate", { ...base, name: "ACME\udc00" }, "name", "not well-formed UTF-16"],
];

export const VALID_POLICY_SPEC: PolicySpec = {
  id: "acme",
  name: "ACME",
  calendar: { zone: "Europe/Stockholm", weekly: { mon: [["08:00", "17:00"]], tue: [["08:00", "17:00"]] } },
  priorities: [
    {
      id: "P1",
      label: "Urgent",
      targets: { response: { kind: "business", duration: "PT1H" }, resolution: { kind: "endOfBusinessDay" } },
    },
    { id: "P2", label: "Normal", targets: { response: { kind: "calendar", duration: { days: 3 } } } },
  ],
};

const bad = (patch: Record<string, unknown>): unknown => ({ ...VALID_POLICY_SPEC, ...patch });

/** [what, spec, message fragment] — definePolicy refuses each with INVALID_POLICY_SPEC. */
export const INVALID_POLICY_SPECS: [string, unknown, string][] = [
  ["no name", { ...VALID_POLICY_SPEC, name: undefined }, "name: expected a name"],
  ["no priorities", bad({ priorities: [] }), "priorities: list at least one priority"],
  [
    "a duplicate priority",
    bad({ priorities: [VALID_POLICY_SPEC.priorities[0], VALID_POLICY_SPEC.priorities[0]] }),
    'priorities[1].id: priority "P1" appears twice',
  ],
  [
    "an unknown target kind",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "asap" } } }] }),
    'priorities[0].targets.response.kind: expected a target with kind "business"',
  ],
  [
    "a negative duration",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "business", duration: -5 } } }] }),
    "priorities[0].targets.response.duration: a target's duration must not be negative",
  ],
  [
    "a duration under half a millisecond below zero",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "calendar", duration: -0.4 } } }] }),
    "priorities[0].targets.response.duration: a target's duration must not be negative",
  ],
  [
    "a negative end of a window",
    bad({
      priorities: [{ id: 1, label: "x", targets: { response: { kind: "window", earliest: "P1D", latest: "-P1D" } } }],
    }),
    "priorities[0].targets.response.latest: a target's duration must not be negative",
  ],
  [
    "a sign after the seconds' decimal mark",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "business", duration: "PT12.-5S" } } }] }),
    'priorities[0].targets.response.duration: "PT12.-5S" is not an ISO-8601 duration',
  ],
  ["a negative lead of an alert", bad({ alerts: [{ before: -0.4 }] }), "alerts[0].before: a lead must not be negative"],
  [
    "business days",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "business", duration: "P1D" } } }] }),
    "priorities[0].targets.response.duration: days have no fixed length in business time",
  ],
  [
    "half a month",
    bad({
      priorities: [{ id: 1, label: "x", targets: { response: { kind: "calendar", duration: { months: 0.5 } } } }],
    }),
    "months must be a whole number",
  ],
  [
    "a bad calendar",
    bad({ calendar: { zone: "Atlantis/Capital", weekly: {} } }),
    'calendar.zone: "Atlantis/Capital" is not an IANA time zone',
  ],
  ["a threshold of 0", bad({ atRiskThreshold: 0 }), "atRiskThreshold: must be greater than 0"],
  ["an unknown key", bad({ tier: "gold" }), 'unknown key "tier"'],
  [
    "a business target longer than the supported range",
    bad({ priorities: [{ id: 1, label: "x", targets: { response: { kind: "business", duration: 1e300 } } }] }),
    "priorities[0].targets.response.duration: a target longer than the supported range",
  ],
  [
    "a window longer than the supported range",
    bad({
      priorities: [
        {
          id: 1,
          label: "x",
          targets: { response: { kind: "window", earliest: { days: 1 }, latest: { years: 400 } } },
        },
      ],
    }),
    "priorities[0].targets.response.latest: a target longer than the supported range",
  ],
  ["an id with U+0000", bad({ id: "acme\u0000" }), "id: an id cannot hold U+0000"],
  [
    "a priority id with U+0000",
    bad({ priorities: [{ id: "P\u00001", label: "x", targets: { response: { kind: "endOfBusinessDay" } } }] }),
    "priorities[0].id: a priority id cannot hold U+0000",
  ],
  ["an id with a lone surrogate", bad({ id: "acme\ud800" }), "id: an id is not well-formed UTF-16"],
  [
    "a priority id with a lone surrogate",
    bad({ priorities: [{ id: "P\udc001", label: "x", targets: { response: { kind: "endOfBusinessDay" } } }] }),
    "priorities[0].id: a priority id is not well-formed UTF-16",
  ],
];
