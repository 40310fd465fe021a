/**
 * `null`, `undefined` and non-objects where the public API takes an options object or an optional
 * argument: a typed SlaClockError, or (for `undefined`, where the argument may be left out) the
 * documented default — never a raw TypeError. The table covers every function and every public
 * method the package exports; the first test checks that against src/index.ts, so a new export
 * cannot be missed.
 */
import { describe, expect, it } from "vitest";
import * as sla from "../src/index";
import {
  billTimeBank,
  createPolicyRegistry,
  evaluateAcross,
  Calendar,
  createCalendar,
  definePolicy,
  describeTarget,
  EvaluationBatch,
  getCalendar,
  getPolicy,
  getProvider,
  isBreached,
  monthlyUptime,
  Policy,
  remaining,
  SlaClockError,
  supportLoginExpiry,
  trinaxInvoice,
  type SlaClockErrorCode,
  type Ticket,
} from "../src/index";

const policy = getPolicy("softone-se");
const calendar = getCalendar("softone-se");
const ticket: Ticket = { id: "T-1", priority: 2, createdAt: "2026-04-02T09:00" };
const NOW = "2026-04-02T12:00";
const batch = policy.evaluateMany([ticket], NOW);
const across = sla.evaluateAcross([ticket], policy, NOW);
const registry = sla.createPolicyRegistry();
const terms = getProvider("trinax").tiers[1]!.terms!;
const period = { from: "2026-02", to: "2026-02" };
const starts = Float64Array.from([Date.UTC(2026, 3, 2, 9)]);

const EMPTY_ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR";
const ICS_RANGE = { from: "2026-01-01", to: "2026-01-31" };

/** Values that are not options objects. */
const NOT_OPTIONS: readonly unknown[] = [null, 42, "options", true];

interface Row {
  /** `name` or `Class.method`, as exported. */
  readonly api: string;
  /** Which argument is probed. */
  readonly argument: string;
  /** Calls the API with `value` in that argument. */
  readonly call: (value: unknown) => unknown;
  /** The code for a bad value. */
  readonly code: SlaClockErrorCode;
  /** Values to try (default: NOT_OPTIONS). */
  readonly values?: readonly unknown[];
  /** Whether `undefined` may stand for the argument (then it gives what leaving it out gives). */
  readonly optional?: boolean;
}

const any = (v: unknown) => v as never;

const rows: readonly Row[] = [
  // The date-holidays class for bundles.
  {
    api: "registerDateHolidays",
    argument: "holidays",
    call: (v) => sla.registerDateHolidays(any(v)),
    code: "INVALID_ARGUMENT",
    values: [...NOT_OPTIONS, {}, () => 1],
  },
  // The process-wide cache limits: leaving them out reads them.
  {
    api: "configureCaches",
    argument: "limits",
    call: (v) => sla.configureCaches(any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  // Presets.
  {
    api: "getPolicy",
    argument: "options",
    call: (v) => getPolicy("softone-se", any(v)),
    code: "INVALID_PRESET_OPTIONS",
    optional: true,
  },
  {
    api: "getCalendar",
    argument: "options",
    call: (v) => getCalendar("softone-se", any(v)),
    code: "INVALID_PRESET_OPTIONS",
    optional: true,
  },
  {
    api: "getPolicy",
    argument: "id",
    call: (v) => getPolicy(any(v)),
    code: "UNKNOWN_POLICY",
    values: [null, undefined, 42],
  },
  {
    api: "getCalendar",
    argument: "id",
    call: (v) => getCalendar(any(v)),
    code: "UNKNOWN_CALENDAR",
    values: [null, undefined, 42],
  },
  {
    api: "getProvider",
    argument: "id",
    call: (v) => getProvider(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  // Specs and targets.
  {
    api: "createCalendar",
    argument: "spec",
    call: (v) => createCalendar(any(v)),
    code: "INVALID_CALENDAR_SPEC",
    values: [null, undefined, 42, "spec"],
  },
  {
    api: "definePolicy",
    argument: "spec",
    call: (v) => definePolicy(any(v)),
    code: "INVALID_POLICY_SPEC",
    values: [null, undefined, 42, "spec"],
  },
  {
    api: "describeTarget",
    argument: "target",
    call: (v) => describeTarget(any(v)),
    code: "INVALID_POLICY_SPEC",
    values: [null, undefined, 42, "target", {}],
  },
  // Policy.
  {
    api: "Policy.target",
    argument: "metric",
    call: (v) => policy.target(1, any(v)),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "Policy.deadline",
    argument: "options",
    call: (v) => policy.deadline(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "options"],
  },
  {
    api: "Policy.deadline",
    argument: "options.metric",
    call: (v) => policy.deadline(NOW, { priority: 1, metric: any(v) }),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "Policy.explain",
    argument: "options",
    call: (v) => policy.explain(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "options"],
  },
  {
    api: "Policy.explain",
    argument: "options.metric",
    call: (v) => policy.explain(NOW, { priority: 1, metric: any(v) }),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "Policy.window",
    argument: "options",
    call: (v) => policy.window(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "options"],
  },
  {
    api: "Policy.evaluate",
    argument: "options",
    call: (v) => policy.evaluate(ticket, NOW, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "Policy.evaluate",
    argument: "now",
    call: (v) => policy.evaluate(ticket, any(v)),
    code: "INVALID_INSTANT",
    values: [null, {}],
  },
  {
    api: "Policy.evaluate",
    argument: "ticket",
    call: (v) => policy.evaluate(any(v), NOW),
    code: "INVALID_TICKET",
    values: [null, undefined, 42],
  },
  {
    api: "Policy.evaluateMany",
    argument: "options",
    call: (v) => policy.evaluateMany([ticket], NOW, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "Policy.evaluateMany",
    argument: "now",
    call: (v) => policy.evaluateMany([ticket], any(v)),
    code: "INVALID_INSTANT",
    values: [null, {}],
  },
  {
    api: "Policy.evaluateMany",
    argument: "tickets",
    call: (v) => policy.evaluateMany(any(v), NOW),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "Policy.deadlineMany",
    argument: "priorities",
    call: (v) => policy.deadlineMany(starts, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, true, {}],
  },
  {
    api: "Policy.deadlineMany",
    argument: "metric",
    call: (v) => policy.deadlineMany(starts, 1, any(v)),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "Policy.deadlineMany",
    argument: "out",
    call: (v) => policy.deadlineMany(starts, 1, "response", any(v)),
    code: "INVALID_ARGUMENT",
    values: [42, "out", {}],
    optional: true,
  },
  {
    api: "Policy.deadlineMany",
    argument: "starts",
    call: (v) => policy.deadlineMany(any(v), 1),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, [1]],
  },
  // Convenience functions.
  {
    api: "remaining",
    argument: "policy",
    call: (v) => remaining(any(v), ticket, NOW),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, {}],
  },
  {
    api: "remaining",
    argument: "metric",
    call: (v) => remaining(policy, ticket, NOW, any(v)),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "remaining",
    argument: "now",
    call: (v) => remaining(policy, ticket, any(v)),
    code: "INVALID_INSTANT",
    values: [null, {}],
  },
  {
    api: "isBreached",
    argument: "policy",
    call: (v) => isBreached(any(v), ticket, NOW),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, {}],
  },
  {
    api: "isBreached",
    argument: "metric",
    call: (v) => isBreached(policy, ticket, NOW, any(v)),
    code: "UNKNOWN_METRIC",
    optional: true,
  },
  {
    api: "isBreached",
    argument: "now",
    call: (v) => isBreached(policy, ticket, any(v)),
    code: "INVALID_INSTANT",
    values: [null, {}],
  },
  // Batches.
  {
    api: "EvaluationBatch.get",
    argument: "i",
    call: (v) => batch.get(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "0", -1, 1],
  },
  {
    api: "EvaluationBatch.isFailure",
    argument: "i",
    call: (v) => batch.isFailure(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "0", -1, 1],
  },
  {
    api: "AcrossBatch.get",
    argument: "i",
    call: (v) => across.get(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "0", -1, 1],
  },
  {
    api: "AcrossBatch.policyOf",
    argument: "i",
    call: (v) => across.policyOf(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "0", -1, 1],
  },
  {
    api: "evaluateAcross",
    argument: "tickets",
    call: (v) => evaluateAcross(any(v), policy, NOW),
    code: "INVALID_ARGUMENT",
  },
  {
    api: "evaluateAcross",
    argument: "policyOf",
    call: (v) => evaluateAcross([ticket], any(v), NOW),
    code: "INVALID_ARGUMENT",
  },
  {
    api: "evaluateAcross",
    argument: "now",
    call: (v) => evaluateAcross([ticket], policy, any(v)),
    code: "INVALID_INSTANT",
    values: [null, {}],
  },
  {
    api: "evaluateAcross",
    argument: "options",
    call: (v) => evaluateAcross([ticket], policy, NOW, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  // Registry.
  {
    api: "createPolicyRegistry",
    argument: "options",
    call: (v) => createPolicyRegistry(any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "PolicyRegistry.define",
    argument: "spec",
    call: (v) => registry.define(any(v)),
    code: "INVALID_POLICY_SPEC",
    values: [null, undefined, 42, "spec"],
  },
  {
    api: "PolicyRegistry.byId",
    argument: "id",
    call: (v) => registry.byId(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  // Calendar.
  {
    api: "Calendar.format",
    argument: "options",
    call: (v) => calendar.format(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "Calendar.format",
    argument: "options.style",
    call: (v) => calendar.format(NOW, { style: any(v) }),
    code: "INVALID_ARGUMENT",
    values: [null, 1, "long", {}],
  },
  {
    api: "Calendar.toLocal",
    argument: "t",
    call: (v) => calendar.toLocal(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.parse",
    argument: "input",
    call: (v) => calendar.parse(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}, "soon"],
  },
  {
    api: "Calendar.parse",
    argument: "options",
    call: (v) => calendar.parse(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "Calendar.parse",
    argument: "options.path",
    call: (v) => calendar.parse(NOW, { path: any(v) }),
    code: "INVALID_ARGUMENT",
    values: [null, 1, {}],
  },
  {
    api: "Calendar.isOpen",
    argument: "t",
    call: (v) => calendar.isOpen(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.nextOpen",
    argument: "t",
    call: (v) => calendar.nextOpen(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.nextClose",
    argument: "t",
    call: (v) => calendar.nextClose(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.previousOpen",
    argument: "t",
    call: (v) => calendar.previousOpen(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.previousClose",
    argument: "t",
    call: (v) => calendar.previousClose(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.iterateOpenIntervals",
    argument: "to",
    call: (v) => calendar.iterateOpenIntervals(NOW, any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.businessDaysBetween",
    argument: "b",
    call: (v) => calendar.businessDaysBetween(NOW, any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.openIntervals",
    argument: "to",
    call: (v) => calendar.openIntervals(NOW, any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "holidaysFromIcs",
    argument: "text",
    call: (v) => sla.holidaysFromIcs(any(v), ICS_RANGE),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "holidaysFromIcs",
    argument: "options",
    call: (v) => sla.holidaysFromIcs(EMPTY_ICS, any(v)),
    code: "INVALID_ARGUMENT",
  },
  {
    api: "holidaysFromIcs",
    argument: "options.type",
    call: (v) => sla.holidaysFromIcs(EMPTY_ICS, { ...ICS_RANGE, type: any(v) }),
    code: "INVALID_ARGUMENT",
    values: [null, 42, "holiday"],
    optional: true,
  },
  {
    api: "overridesFromIcs",
    argument: "calendar",
    call: (v) => sla.overridesFromIcs(any(v), EMPTY_ICS, ICS_RANGE),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, {}],
  },
  {
    api: "overridesFromIcs",
    argument: "options",
    call: (v) => sla.overridesFromIcs(calendar, EMPTY_ICS, any(v)),
    code: "INVALID_ARGUMENT",
  },
  {
    api: "calendarToIcs",
    argument: "calendar",
    call: (v) => sla.calendarToIcs(any(v), "2026-01-01", "2026-01-31"),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, {}],
  },
  {
    api: "calendarToIcs",
    argument: "from",
    call: (v) => sla.calendarToIcs(calendar, any(v), "2026-01-31"),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "2026-13-01"],
  },
  {
    api: "calendarToIcs",
    argument: "options",
    call: (v) => sla.calendarToIcs(calendar, "2026-01-01", "2026-01-31", any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "deadlineToIcs",
    argument: "deadline",
    call: (v) => sla.deadlineToIcs(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, {}],
  },
  {
    api: "deadlineToIcs",
    argument: "options",
    call: (v) => sla.deadlineToIcs({ uid: "u", at: new Date(0), summary: "s" }, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "Calendar.exportIndex",
    argument: "options",
    call: (v) => calendar.exportIndex("2026-04-02T00:00Z", "2026-04-03T00:00Z", any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  ...(
    ["businessMsBetweenSql", "addBusinessMsSql", "subtractBusinessMsSql", "epochMsSql", "targetDeadlineSql"] as const
  ).flatMap((name): Row[] => [
    {
      api: name,
      argument: "dialect",
      call: (v) => sla[name](any(v), "t"),
      code: "INVALID_ARGUMENT",
      values: [null, undefined, 42, "mysql"],
    },
    {
      api: name,
      argument: "input",
      call: (v) => sla[name]("duckdb", any(v)),
      code: "INVALID_ARGUMENT",
      values: [null, undefined, 42, ""],
    },
  ]),
  {
    api: "createTablesSql",
    argument: "dialect",
    call: (v) => sla.createTablesSql(any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "mysql"],
  },
  ...(["insertSql", "metaRow"] as const).map((name): Row => ({
    api: name,
    argument: "exported",
    call: (v) => sla[name](any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, {}],
  })),
  ...(["policyTargetRows", "policyTargetTable"] as const).map((name): Row => ({
    api: name,
    argument: "policy",
    call: (v) => sla[name](any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, {}, { priorities: [null] }],
  })),
  {
    api: "policyTargetsSql",
    argument: "dialect",
    call: (v) => sla.policyTargetsSql(any(v), sla.getPolicy("softone-se")),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, "mysql"],
  },
  {
    api: "policyTargetsSql",
    argument: "policy",
    call: (v) => sla.policyTargetsSql("duckdb", any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, {}],
  },
  {
    api: "exportSqlScript",
    argument: "exported",
    call: (v) => sla.exportSqlScript(any(v), "duckdb"),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42, {}],
  },
  {
    api: "Calendar.describeDay",
    argument: "date",
    call: (v) => calendar.describeDay(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.addBusinessTime",
    argument: "duration",
    call: (v) => calendar.addBusinessTime(NOW, any(v)),
    code: "INVALID_DURATION",
    values: [null, undefined, true],
  },
  {
    api: "Calendar.subtractBusinessTime",
    argument: "duration",
    call: (v) => calendar.subtractBusinessTime(NOW, any(v)),
    code: "INVALID_DURATION",
    values: [null, undefined, true],
  },
  {
    api: "Calendar.businessTimeBetween",
    argument: "b",
    call: (v) => calendar.businessTimeBetween(NOW, any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.trace",
    argument: "duration",
    call: (v) => calendar.trace(NOW, any(v)),
    code: "INVALID_DURATION",
    values: [null, undefined, true],
  },
  {
    api: "Calendar.traceBack",
    argument: "duration",
    call: (v) => calendar.traceBack(NOW, any(v)),
    code: "INVALID_DURATION",
    values: [null, undefined, true],
  },
  {
    api: "Calendar.traceBetween",
    argument: "b",
    call: (v) => calendar.traceBetween(NOW, any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.isBusinessDay",
    argument: "date",
    call: (v) => calendar.isBusinessDay(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.addBusinessDays",
    argument: "n",
    call: (v) => calendar.addBusinessDays(NOW, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "2", {}],
  },
  {
    api: "Calendar.endOfBusinessDay",
    argument: "t",
    call: (v) => calendar.endOfBusinessDay(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.endOfBusinessWeek",
    argument: "t",
    call: (v) => calendar.endOfBusinessWeek(any(v)),
    code: "INVALID_INSTANT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.addBusinessTimeMany",
    argument: "durations",
    call: (v) => calendar.addBusinessTimeMany(starts, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, "1", {}],
  },
  {
    api: "Calendar.addBusinessTimeMany",
    argument: "out",
    call: (v) => calendar.addBusinessTimeMany(starts, 1, any(v)),
    code: "INVALID_ARGUMENT",
    values: [42, "out", {}],
    optional: true,
  },
  {
    api: "Calendar.businessTimeBetweenMany",
    argument: "b",
    call: (v) => calendar.businessTimeBetweenMany(starts, any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, {}],
  },
  {
    api: "Calendar.businessTimeBetweenMany",
    argument: "out",
    call: (v) => calendar.businessTimeBetweenMany(starts, starts, any(v)),
    code: "INVALID_ARGUMENT",
    values: [42, "out", {}],
    optional: true,
  },
  // Contracts.
  {
    api: "supportLoginExpiry",
    argument: "options",
    call: (v) => supportLoginExpiry("2026-04-03T10:00", any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "billTimeBank",
    argument: "options",
    call: (v) => billTimeBank(terms, [], period, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "billTimeBank",
    argument: "period",
    call: (v) => billTimeBank(terms, [], any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "billTimeBank",
    argument: "terms",
    call: (v) => billTimeBank(any(v), [], period),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "billTimeBank",
    argument: "workLogs",
    call: (v) => billTimeBank(terms, any(v), period),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "trinaxInvoice",
    argument: "options",
    call: (v) => trinaxInvoice("none", [], period, any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "trinaxInvoice",
    argument: "period",
    call: (v) => trinaxInvoice("none", [], any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "monthlyUptime",
    argument: "options",
    call: (v) => monthlyUptime([], "2026-02", any(v)),
    code: "INVALID_ARGUMENT",
    optional: true,
  },
  {
    api: "monthlyUptime",
    argument: "outages",
    call: (v) => monthlyUptime(any(v), "2026-02"),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
  {
    api: "monthlyUptime",
    argument: "month",
    call: (v) => monthlyUptime([], any(v)),
    code: "INVALID_ARGUMENT",
    values: [null, undefined, 42],
  },
];

/** Exports that take no argument that could be null, with the reason. */
const NOTHING_TO_PROBE: Readonly<Record<string, string>> = {
  listCalendars: "takes no argument",
  listPolicies: "takes no argument",
  listProviders: "takes no argument",
  "EvaluationBatch.toArray": "takes no argument",
  "PolicyRegistry.size": "a getter",
  "AcrossBatch.nextAlertAt": "a getter (throws BATCH_REUSED once the result is spent)",
  "PolicyRegistry.clear": "takes no argument",
  specHash: "hashes any value, null included (a spec is checked where it is compiled)",
  "Calendar.toJSON": "takes no argument",
  "Policy.toJSON": "takes no argument",
  "SlaClockError.issues": "a getter",
  SlaClockError: "the error class itself (its `details` may be left out: `{}`)",
};

/** Every exported function, and every public method of an exported class, by name. */
function publicApi(): string[] {
  const names: string[] = [];
  for (const [name, value] of Object.entries(sla)) {
    if (typeof value !== "function") continue;
    if (!/^[A-Z]/.test(name)) {
      names.push(name);
      continue;
    }
    names.push(name);
    const proto = (value as { prototype: object }).prototype;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor") continue;
      names.push(`${name}.${key}`);
    }
  }
  return names;
}

/** The call's value or error code; an async API's rejection counts as its error. */
async function outcome(call: () => unknown): Promise<{ code: string } | { value: unknown }> {
  try {
    return { value: await call() };
  } catch (e) {
    if (e instanceof SlaClockError) return { code: e.code };
    return { code: `raw ${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

describe("null and non-object options", () => {
  it("the table covers every exported function and public method", () => {
    const covered = new Set([...rows.map((r) => r.api), ...Object.keys(NOTHING_TO_PROBE)]);
    const classes = new Set(["Calendar", "Policy", "EvaluationBatch", "AcrossBatch", "PolicyRegistry"]); // probed through their methods
    const missing = publicApi().filter((name) => !covered.has(name) && !classes.has(name));
    expect(missing).toEqual([]);
    expect(Calendar).toBeTypeOf("function");
    expect(Policy).toBeTypeOf("function");
    expect(EvaluationBatch).toBeTypeOf("function");
  });

  for (const row of rows) {
    it(`${row.api}(${row.argument}): a typed error, never a raw TypeError`, async () => {
      const values = (row.values ?? NOT_OPTIONS).filter((v) => !(row.optional && v === undefined));
      const seen = await Promise.all(values.map(async (v) => ({ value: v, ...(await outcome(() => row.call(v))) })));
      expect(seen).toEqual(values.map((v) => ({ value: v, code: row.code })));
      if (row.optional) {
        // `undefined` is the argument left out: the documented default.
        const left = await outcome(() => row.call(undefined));
        expect(left).not.toHaveProperty("code");
      }
    });
  }
});

describe("describeTarget", () => {
  it("refuses what definePolicy refuses, with a path, instead of describing it", () => {
    const cases: [unknown, SlaClockErrorCode, string][] = [
      [{ kind: "business" }, "INVALID_POLICY_SPEC", "target.duration"],
      [{ kind: "soon" }, "INVALID_POLICY_SPEC", "target.kind"],
      [{ kind: "none", extra: 1 }, "INVALID_POLICY_SPEC", "target"],
      [{ kind: "business", duration: "PTxyz" }, "INVALID_DURATION", "target.duration"], // was "0 hours"
      [{ kind: "business", duration: "P1D" }, "INVALID_DURATION", "target.duration"],
      [{ kind: "window", earliest: { months: 1 }, latest: { bananas: 6 } }, "INVALID_DURATION", "target.latest"],
      [{ kind: "calendar", duration: -5 }, "INVALID_DURATION", "target.duration"], // the field, not the target,
    ];
    for (const [target, code, path] of cases) {
      const e = (() => {
        try {
          describeTarget(target as never);
        } catch (error) {
          return error;
        }
        throw new Error(`described ${JSON.stringify(target)}`);
      })() as SlaClockError;
      expect(e).toBeInstanceOf(SlaClockError);
      expect([e.code, e.issues[0]?.path ?? e.details.path]).toEqual([code, path]);
    }
    expect(describeTarget({ kind: "business", duration: "PT2H" })).toBe("2 business hours");
  });
});
