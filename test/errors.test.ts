/**
 * One test per SlaClockError code through the public API, and docs/errors.md lists every code.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ERROR_CODES,
  SlaClockError,
  createCalendar,
  definePolicy,
  getCalendar,
  getPolicy,
  holidaysFromIcs,
  type PolicySpec,
  type PresetCalendarId,
  type PresetPolicyId,
  type SlaClockErrorCode,
} from "../src/index";
import { sameHoursEveryDay } from "./support/calendars";
import { thrown } from "./support/errors";

const cal = () => getCalendar("softone-se");
const closed = () => createCalendar({ zone: "UTC", weekly: {} });
const always = () => createCalendar({ zone: "UTC", weekly: sameHoursEveryDay("00:00", "24:00") });

const CASES: Record<SlaClockErrorCode, [() => unknown, string]> = {
  INVALID_CALENDAR_SPEC: [
    () => createCalendar({ zone: "UTC", weekly: { mon: [["9:00", "17:00"]] } }),
    "weekly.mon[0][0]",
  ],
  INVALID_POLICY_SPEC: [
    () => definePolicy({ id: "x", name: "x", calendar: { zone: "UTC", weekly: {} }, priorities: [] } as PolicySpec),
    "priorities: list at least one priority",
  ],
  INVALID_TICKET: [
    () =>
      getPolicy("softone-se").evaluate(
        { id: "T", priority: 1, createdAt: "2026-04-01T09:00", events: [{ type: "resume", at: "2026-04-01T10:00" }] },
        "2026-04-02T00:00",
      ),
    "ticket T: events[0]",
  ],
  INVALID_INSTANT: [() => cal().isOpen(new Date(Number.NaN)), "Invalid Date"],
  INVALID_DATE: [() => cal().describeDay("2026-02-30"), "2026-02-30"],
  INVALID_DURATION: [() => cal().addBusinessTime("2026-04-01T09:00", { days: 1 }), "days have no fixed length"],
  INVALID_ARGUMENT: [() => cal().addBusinessDays("2026-04-01T09:00", 0.5), "whole number"],
  OUT_OF_RANGE: [() => cal().isOpen("1850-01-01T00:00Z"), "out of range"],
  NO_OPEN_TIME: [() => closed().nextOpen("2026-01-01T00:00Z"), "no open time within 10 years"],
  NO_CLOSING_TIME: [() => always().nextClose("2026-01-01T00:00Z"), "does not close"],
  UNKNOWN_POLICY: [() => getPolicy("acme" as PresetPolicyId), "valid ids are"],
  UNKNOWN_CALENDAR: [() => getCalendar("acme" as PresetCalendarId), "valid ids are"],
  UNKNOWN_PRIORITY: [
    // @ts-expect-error: a literal priority the preset lacks is a compile error too; this checks the run-time error
    () => getPolicy("trinax-alert").deadline("2026-04-01T09:00", { priority: 0 }),
    "valid priorities are 1, 2, 3, 4",
  ],
  UNKNOWN_METRIC: [
    () => getPolicy("trinax-alert").deadline("2026-04-01T09:00", { priority: 1, metric: "update" as never }),
    '"response" or "resolution"',
  ],
  INVALID_PRESET_OPTIONS: [() => getCalendar("trinax", { closeDeFactoHolidays: true }), "takes no options"],
  INVALID_ICS: [
    () =>
      holidaysFromIcs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR", {
        from: "2026-01-01",
        to: "2026-12-31",
      }),
    "VEVENT[0] (UID x): has no DTSTART",
  ],
  BATCH_REUSED: [
    () => {
      const policy = getPolicy("softone-se");
      const tickets = [{ id: "A", priority: 1, createdAt: "2026-04-01T09:00Z" }];
      const first = policy.evaluateMany(tickets, "2026-04-01T12:00Z");
      policy.evaluateMany(tickets, "2026-04-01T13:00Z", { reuse: first });
      return first.get(0);
    },
    "passed as `reuse` to a later call",
  ],
};

describe("every error code", () => {
  it.each(ERROR_CODES.map((c) => [c]))("%s is raised through the public API with a helpful message", async (code) => {
    const [fn, fragment] = CASES[code];
    let error: unknown;
    try {
      await fn();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SlaClockError);
    expect((error as SlaClockError).code).toBe(code);
    expect((error as SlaClockError).message).toContain(fragment);
    expect((error as SlaClockError).name).toBe("SlaClockError");
  });

  it("is documented in docs/errors.md", () => {
    const doc = readFileSync(new URL("../docs/errors.md", import.meta.url), "utf8");
    for (const code of ERROR_CODES) expect(doc).toMatch(new RegExp(`\\|\\s*\`${code}\`\\s*\\|`));
  });
});

describe("a missing value in a message", () => {
  it('is called "undefined", once (it read "got undefined undefined")', () => {
    let message = "";
    try {
      cal().addBusinessTime(undefined as never, 1000);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/got undefined$/);
    expect(message).not.toContain("undefined undefined");
  });

  it("an id over 200 characters says so, in a calendar and in a policy (it said 'expected a string')", () => {
    const long = "x".repeat(201);
    for (const fn of [
      () => createCalendar({ zone: "UTC", weekly: {}, id: long }),
      () => definePolicy({ ...getPolicy("softone-se").spec, id: long }),
    ]) {
      expect(thrown(fn).issues).toEqual([{ path: "id", message: "an id is at most 200 characters" }]);
    }
  });
});
