/**
 * The bulk paths agree with the single-item paths on random inputs, and flag bad elements in place.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  METRIC_STATUSES,
  SlaClockError,
  getCalendar,
  getPolicy,
  listCalendars,
  listPolicies,
  type Ticket,
} from "../src/index";
import { buildTicket, scenario } from "./support/tickets";

const H = 3_600_000;
const instant = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 0, 1) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5, Date.UTC(1800, 0, 1), Date.UTC(2300, 0, 1)),
  },
);
const duration = fc.oneof(
  fc.integer({ min: -200 * H, max: 200 * H }),
  fc.constantFrom(0, 2 * H, 4 * H, 12 * H, 48 * H, Number.NaN),
);

function single<T>(fn: () => T): T | number {
  try {
    return fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlaClockError);
    return Number.NaN;
  }
}

describe("calendar bulk arithmetic", () => {
  it("addBusinessTimeMany and businessTimeBetweenMany agree with the single calls, NaN where those throw", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...listCalendars()),
        fc.array(fc.tuple(instant, duration, instant), { minLength: 1, maxLength: 40 }),
        (id, rows) => {
          const cal = getCalendar(id);
          const starts = Float64Array.from(rows.map((r) => r[0]));
          const durations = Float64Array.from(rows.map((r) => r[1]));
          const ends = Float64Array.from(rows.map((r) => r[2]));
          const added = cal.addBusinessTimeMany(starts, durations);
          const between = cal.businessTimeBetweenMany(starts, ends);
          rows.forEach(([s, d, e], i) => {
            const expectedAdd = single(() => cal.addBusinessTime(s, d).getTime());
            expect(added[i]).toBe(expectedAdd);
            expect(between[i]).toBe(single(() => cal.businessTimeBetween(s, e)));
          });
          // One number for every duration, and an output buffer that is reused.
          const out = new Float64Array(rows.length);
          expect(cal.addBusinessTimeMany(starts, 2 * H, out)).toBe(out);
          rows.forEach(([s], i) => expect(out[i]).toBe(single(() => cal.addBusinessTime(s, 2 * H).getTime())));
        },
      ),
      { numRuns: 150 },
    );
  });

  it("rejects arguments that are not typed arrays of matching length", () => {
    const cal = getCalendar("softone-se");
    expect(() => cal.addBusinessTimeMany([1] as unknown as Float64Array, 1)).toThrow(/starts: expected a Float64Array/);
    expect(() => cal.addBusinessTimeMany(new Float64Array(2), new Float64Array(3))).toThrow(/as long as starts \(2\)/);
    expect(() => cal.businessTimeBetweenMany(new Float64Array(2), new Float64Array(1))).toThrow(/as long as a \(2\)/);
    expect(() => cal.addBusinessTimeMany(new Float64Array(2), 1, new Float64Array(1))).toThrow(
      /out: expected a Float64Array of at least 2/,
    );
  });
});

describe("policy bulk paths", () => {
  it("deadlineMany agrees with deadline; NaN for no target or a bad start", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...listPolicies().map((p) => p.id)),
        fc.constantFrom("response" as const, "resolution" as const),
        fc.array(fc.tuple(instant, fc.nat()), { minLength: 1, maxLength: 30 }),
        (id, metric, rows) => {
          const policy = getPolicy(id);
          const ids = policy.priorities.map((p) => p.id);
          const priorities = rows.map((r) => ids[r[1] % ids.length]!);
          const out = policy.deadlineMany(Float64Array.from(rows.map((r) => r[0])), priorities, metric);
          rows.forEach(([s], i) => {
            const expected = single(
              () => policy.deadline(s, { priority: priorities[i]!, metric })?.getTime() ?? Number.NaN,
            );
            expect(out[i]).toBe(expected);
          });
        },
      ),
      { numRuns: 150 },
    );
    expect(() => getPolicy("softone-se").deadlineMany(new Float64Array(1), [9])).toThrow(SlaClockError);
  });

  it("evaluateMany gives what evaluate gives, ticket by ticket, with failures in place", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(scenario, fc.boolean()), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 60 * 86_400_000 }),
        (rows, later) => {
          const policy = rows[0]![0].policy;
          const now = Math.max(...rows.map((r) => r[0].createdAt)) + later;
          // Every third flagged ticket is broken on purpose: a resume without a pause.
          const tickets: Ticket[] = rows.map(([s, broken], i) => {
            const t = buildTicket(policy, s.createdAt, s.priority, s.steps);
            return broken && i % 3 === 0
              ? { ...t, id: `bad-${i}`, events: [{ type: "resume", at: s.createdAt }] }
              : { ...t, id: `t-${i}` };
          });
          const batch = policy.evaluateMany(tickets, now);
          expect(batch.length).toBe(tickets.length);
          tickets.forEach((t, i) => {
            let expected: unknown;
            try {
              expected = policy.evaluate(t, now);
            } catch (e) {
              expect(batch.isFailure(i)).toBe(true);
              expect(batch.get(i)).toMatchObject({
                index: i,
                id: t.id,
                error: { code: (e as SlaClockError).code, message: (e as SlaClockError).message },
              });
              return;
            }
            expect(batch.get(i)).toEqual(expected);
            const r = expected as ReturnType<typeof policy.evaluate>;
            expect(METRIC_STATUSES[batch.response.status[i]!]).toBe(r.response.status);
            expect(batch.resolution.remaining[i]).toBe(r.resolution.remaining ?? Number.NaN);
          });
          expect([...batch]).toHaveLength(tickets.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
