/**
 * Specs, durations and options are plain data. A `Map`, a `Set` or a `Date` where an object belongs
 * keeps its content out of its own keys: zod's object schemas read a Map as `{}`, and a duration
 * read key by key read `new Map([["hours", 2]])` as zero. Before this was checked, a calendar with
 * `weekly: new Map(…)` was closed every day, a two-hour target as a Map gave a deadline at the
 * ticket's creation, the registry handed a spec with a Map the policy of a valid spec whose text
 * was `{}`, and a BigInt or a cycle escaped the registry and specHash as a TypeError or a stack
 * overflow. Each is now a typed error naming the value's path.
 */
import { Duration } from "luxon";
import { describe, expect, it } from "vitest";
import {
  calendarToIcs,
  createCalendar,
  createPolicyRegistry,
  definePolicy,
  describeTarget,
  getCalendar,
  getPolicy,
  monthlyUptime,
  specHash,
  supportLoginExpiry,
  type CalendarSpec,
  type PolicySpec,
} from "../src/index";
import { thrown } from "./support/errors";

const calendarSpec = (): CalendarSpec => {
  const spec = JSON.parse(JSON.stringify(getCalendar("softone-se").spec)) as CalendarSpec & { id?: string };
  delete spec.id;
  return spec;
};
const policySpec = (): PolicySpec & Record<string, unknown> =>
  ({ ...JSON.parse(JSON.stringify(getPolicy("softone-se").spec)), id: "acme" }) as PolicySpec & Record<string, unknown>;

describe("a value whose content is not its keys, where plain data belongs", () => {
  it("is refused in a calendar's weekly hours (a Map was read as no hours at all)", () => {
    const weekly = new Map(Object.entries(calendarSpec().weekly));
    const error = thrown(() => createCalendar({ ...calendarSpec(), weekly } as unknown as CalendarSpec));
    expect(error.code).toBe("INVALID_CALENDAR_SPEC");
    expect(error.issues).toEqual([{ path: "weekly", message: expect.stringContaining("got a Map") }]);
    expect(error.message).toContain("Object.fromEntries(map)");
  });

  it("is refused in a member of a combined calendar, with the member's path", () => {
    const member = { ...calendarSpec(), weekly: new Map(Object.entries(calendarSpec().weekly)) };
    const error = thrown(() => createCalendar({ anyOf: [calendarSpec(), member] } as unknown as CalendarSpec));
    expect(error.code).toBe("INVALID_CALENDAR_SPEC");
    expect(error.issues).toEqual([{ path: "anyOf[1].weekly", message: expect.stringContaining("got a Map") }]);
  });

  it("is refused where a date string belongs, with a hint", () => {
    const spec = { ...calendarSpec(), closedDates: ["2026-06-01", new Date("2026-06-02")] };
    const error = thrown(() => createCalendar(spec as unknown as CalendarSpec));
    expect(error.issues).toEqual([{ path: "closedDates[1]", message: expect.stringContaining("got a Date") }]);
    expect(error.message).toContain('"2026-04-02"');
  });

  it("is refused as a policy's target duration (a Map was a zero target: due at creation)", () => {
    const spec = policySpec();
    (spec.priorities[0]!.targets.response as { duration: unknown }).duration = new Map([["hours", 2]]);
    const error = thrown(() => definePolicy(spec));
    expect(error.code).toBe("INVALID_POLICY_SPEC");
    expect(error.issues[0]?.path).toBe("priorities[0].targets.response.duration");
  });

  it("is refused as a priority's clauses (a Map was read as none)", () => {
    const spec = policySpec();
    (spec.priorities[0] as { clauses?: unknown }).clauses = new Set(["§4"]);
    const error = thrown(() => definePolicy(spec));
    expect(error.issues[0]?.path).toBe("priorities[0].clauses");
    expect(error.message).toContain("Array.from(set)");
  });

  it("is refused as a duration to add (a Map was zero: the start came back)", () => {
    const calendar = getCalendar("softone-se");
    for (const duration of [new Map([["hours", 2]]), new Date(7_200_000)]) {
      const error = thrown(() => calendar.addBusinessTime("2026-04-01T10:00", duration as never));
      expect(error.code).toBe("INVALID_DURATION");
    }
    // What is plain enough stays as it was: a luxon Duration, an ordinary object, an instance of a class.
    const twoHours = "2026-04-01T10:00:00.000Z";
    expect(calendar.addBusinessTime("2026-04-01T10:00", Duration.fromObject({ hours: 2 })).toISOString()).toBe(
      twoHours,
    );
    expect(calendar.addBusinessTime("2026-04-01T10:00", { hours: 2 }).toISOString()).toBe(twoHours);
    class Hours {
      hours = 2;
    }
    expect(calendar.addBusinessTime("2026-04-01T10:00", new Hours()).toISOString()).toBe(twoHours);
  });

  it("is refused as a target to describe and as options", () => {
    expect(thrown(() => describeTarget(new Map([["kind", "none"]]) as never)).issues[0]?.path).toBe("target");
    const ticket = { id: "a", priority: 1, createdAt: "2026-04-01T10:00" };
    const error = thrown(() => getPolicy("softone-se").evaluate(ticket, "2026-04-03T10:00", new Map() as never));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain("got a Map");
  });

  it("leaves a policy whose calendar is a Calendar as it was", () => {
    const spec = { ...policySpec(), calendar: getCalendar("softone-se") };
    expect(definePolicy(spec).deadline("2026-04-01T10:00", { priority: 1 })?.toISOString()).toBe(
      "2026-04-01T10:00:00.000Z",
    );
    const registry = createPolicyRegistry();
    expect(registry.define(spec)).toBe(registry.define({ ...spec }));
  });
});

describe("the policy registry and specHash with values that have no JSON text", () => {
  it("does not hand a spec with a Map the policy of a valid spec written {} there", () => {
    const registry = createPolicyRegistry();
    const valid = policySpec();
    (valid.priorities[0] as { clauses?: unknown }).clauses = {};
    registry.define(valid);
    const withMap = policySpec();
    (withMap.priorities[0] as { clauses?: unknown }).clauses = new Map([["response", "§9"]]);
    const error = thrown(() => registry.define(withMap));
    expect(error.code).toBe("INVALID_POLICY_SPEC");
    expect(error.issues[0]?.path).toBe("priorities[0].clauses");
  });

  it("says what definePolicy says of a BigInt, NaN or a cycle (not a TypeError or a stack overflow)", () => {
    const registry = createPolicyRegistry();
    const bigint = policySpec();
    (bigint.priorities[0]!.targets.response as { duration: unknown }).duration = { hours: 2n };
    const nan = policySpec();
    (nan as Record<string, unknown>)["description"] = Number.NaN;
    const cycle = policySpec();
    cycle["extra"] = cycle;
    for (const spec of [bigint, nan, cycle]) {
      const expected = thrown(() => definePolicy(spec));
      expect(thrown(() => registry.define(spec)).message).toBe(expected.message);
    }
    expect(registry.size).toBe(0);
  });

  it("compiles and keeps a valid spec once, whatever its key order", () => {
    const registry = createPolicyRegistry();
    const spec = policySpec();
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as unknown as PolicySpec;
    expect(registry.define(spec)).toBe(registry.define(reordered));
    expect(registry.size).toBe(1);
  });

  it("has specHash refuse them with the value's path", () => {
    const cases: [unknown, string, string][] = [
      [{ weekly: new Map() }, "spec.weekly", "a Map is not plain data"],
      [{ a: [1, Number.NaN] }, "spec.a[1]", "NaN has no JSON form"],
      [{ a: { b: 1n } }, "spec.a.b", "a BigInt has no JSON form"],
      [{ a: [undefined] }, "spec.a[0]", "undefined in an array has no JSON form"],
      [{ f: () => 1 }, "spec.f", "a function has no JSON form"],
      [{ d: new Date(0) }, "spec.d", "a Date is not plain data"],
    ];
    for (const [value, path, why] of cases) {
      const error = thrown(() => specHash(value));
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.message).toBe(`specHash: ${path}: ${why}`);
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic["self"] = { back: cyclic };
    expect(thrown(() => specHash(cyclic)).message).toBe(
      "specHash: spec.self.back: the value contains itself (a cycle)",
    );
    // The same object twice is not a cycle, and hashes as its copy does.
    const shared = { hours: 2 };
    expect(specHash({ a: shared, b: shared })).toBe(specHash({ a: { hours: 2 }, b: { hours: 2 } }));
    // An undefined member is left out, as before.
    expect(specHash({ a: 1, b: undefined })).toBe(specHash({ a: 1 }));
  });
});

describe("a spec whose reading throws, nests without end or repeats a million times", () => {
  const throwingName = (): PolicySpec => {
    const spec = policySpec();
    Object.defineProperty(spec, "name", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    return spec;
  };

  it("is a typed error when a getter of the spec throws (it escaped as the getter's Error)", () => {
    const weekly = {
      ...calendarSpec(),
      get weekly(): never {
        throw new Error("boom");
      },
    };
    for (const [run, code] of [
      [() => createCalendar(weekly as CalendarSpec), "INVALID_CALENDAR_SPEC"],
      [() => createCalendar({ anyOf: [calendarSpec(), weekly] } as unknown as CalendarSpec), "INVALID_CALENDAR_SPEC"],
      [() => definePolicy(throwingName()), "INVALID_POLICY_SPEC"],
      [() => createPolicyRegistry().define(throwingName()), "INVALID_POLICY_SPEC"],
    ] as const) {
      const error = thrown(run);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(/: the spec cannot be read: reading it threw Error: boom$/);
    }
    expect(thrown(() => specHash(throwingName())).message).toBe("specHash: spec: reading it threw Error: boom");
  });

  it("is a typed error when it nests deeper than any spec (the registry's and specHash's writers overflowed the stack)", () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const spec = { ...policySpec(), description: deep } as unknown as PolicySpec;
    expect(thrown(() => createPolicyRegistry().define(spec)).message).toBe(thrown(() => definePolicy(spec)).message);
    expect(thrown(() => specHash({ a: deep })).message).toMatch(/: it is nested deeper than 64 levels$/);
    expect(thrown(() => createCalendar({ ...calendarSpec(), closedDates: deep } as unknown as CalendarSpec)).code).toBe(
      "INVALID_CALENDAR_SPEC",
    );
  });

  it("lists the first 20 issues in the message and all of them in `issues`", () => {
    const closedDates = Array.from({ length: 5_000 }, () => "2026-06-03");
    const error = thrown(() => createCalendar({ ...calendarSpec(), closedDates }));
    expect(error.issues).toHaveLength(4_999);
    expect(error.message.match(/is already given at/g)).toHaveLength(20);
    expect(error.message).toMatch(/; and 4979 more issues \(see the error's `issues`\)$/);
    const two = thrown(() => createCalendar({ ...calendarSpec(), closedDates: ["x", "y"] }));
    expect(two.message).toBe(
      'Invalid calendar spec: closedDates[0]: "x" is not a date; use "YYYY-MM-DD"; closedDates[1]: "y" is not a date; use "YYYY-MM-DD"',
    );
  });
});

describe("an option that is not one (a misspelt key)", () => {
  const ticket = { id: "a", priority: 1, createdAt: "2026-04-01T10:00" };
  const policy = getPolicy("softone-se");
  const calendar = getCalendar("softone-se");

  it("is refused, with the key it probably meant (it was ignored: the default answered)", () => {
    const cases: [() => unknown, string][] = [
      // The response's deadline came back for a misspelt metric: due 12:00 instead of 16:00.
      [
        () => policy.deadline("2026-04-01T10:00", { priority: 1, metrc: "resolution" } as never),
        'unknown option "metrc" (did you mean "metric"?); the options are priority, metric',
      ],
      [
        () => policy.window("2026-04-01T10:00", { priority: 1, Metric: "resolution" } as never),
        'unknown option "Metric" (did you mean "metric"?)',
      ],
      [
        () => policy.explain("2026-04-01T10:00", { priority: 1, metric: "response", verbose: true } as never),
        'unknown option "verbose"; the options are priority, metric',
      ],
      [
        () => policy.evaluate(ticket, "2026-04-01T11:00", { atRiskTreshold: 0.4 } as never),
        'unknown option "atRiskTreshold" (did you mean "atRiskThreshold"?)',
      ],
      [
        () => policy.evaluateMany([ticket], "2026-04-01T11:00", { reuze: undefined } as never),
        'unknown option "reuze" (did you mean "reuse"?)',
      ],
      [
        () => calendar.format("2026-04-01T10:00", { styel: "date" } as never),
        'unknown option "styel" (did you mean "style"?)',
      ],
      [() => calendar.parse("2026-04-01T10:00", { pth: "x" } as never), 'unknown option "pth" (did you mean "path"?)'],
      [
        () => createPolicyRegistry({ maxPolicy: 5 } as never),
        'unknown option "maxPolicy" (did you mean "maxPolicies"?)',
      ],
    ];
    for (const [run, message] of cases) {
      const error = thrown(run);
      expect(error.code).toBe("INVALID_ARGUMENT");
      expect(error.message).toContain(message);
    }
  });

  it("is refused by the contract functions and the iCalendar exports too", async () => {
    const uptime = thrown(() => monthlyUptime([], "2026-04", { commitment: 99.9 } as never));
    expect(uptime.message).toContain('unknown option "commitment"; the options are zone, commitmentPercent');
    const login = thrown(() => supportLoginExpiry("2026-04-03T10:00", { fridaychoice: 72 } as never));
    expect(login.message).toContain('unknown option "fridaychoice" (did you mean "fridayChoice"?)');
    await expect(calendarToIcs(calendar, "2026-04-01", "2026-04-30", { prodID: "x" } as never)).rejects.toThrow(
      'unknown option "prodID" (did you mean "prodId"?)',
    );
  });

  it("lets the options that are one through, and inherited keys too", () => {
    expect(policy.deadline("2026-04-01T10:00", { priority: 1, metric: "resolution" })?.toISOString()).toBe(
      "2026-04-01T14:00:00.000Z",
    );
    const inherited = Object.assign(Object.create({ debug: true }) as object, { priority: 1 });
    expect(policy.deadline("2026-04-01T10:00", inherited as never)?.toISOString()).toBe("2026-04-01T10:00:00.000Z");
    expect(
      policy.evaluate(ticket, "2026-04-01T11:00", { atRiskThreshold: 0.4, alerts: [0.5], inOpenHours: true }).id,
    ).toBe("a");
  });
});
