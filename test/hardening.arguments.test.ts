/**
 * Arguments that real callers pass by mistake, found by probing the public API: options given as a
 * Map or an array (silently read as no options), values a message cannot print with JSON (a BigInt
 * priority from a database driver, an object without a prototype), an empty ICS file, and a
 * fraction of a second longer than the millisecond. Each is now a typed error or the documented
 * answer.
 */
import { describe, expect, it } from "vitest";
import {
  calendarToIcs,
  deadlineToIcs,
  getCalendar,
  getPolicy,
  holidaysFromIcs,
  overridesFromIcs,
  supportLoginExpiry,
  trinaxInvoice,
  type PresetOptions,
  type SupportLoginOptions,
} from "../src/index";
import { rejected, thrown } from "./support/errors";
import { event, ics } from "./support/ics";

const softone = () => getCalendar("softone-se");

describe("options that are not a plain object", () => {
  it("are refused by the preset functions instead of read as no options", () => {
    // A Map's entries are not its keys: getPolicy opened on Christmas Eve, and getCalendar kept UTC.
    const map = new Map([["closeDeFactoHolidays", true]]) as unknown as PresetOptions;
    expect(thrown(() => getPolicy("softone-se", map)).code).toBe("INVALID_PRESET_OPTIONS");
    const zone = new Map([["hoursZone", "Europe/Copenhagen"]]) as unknown as PresetOptions;
    const error = thrown(() => getCalendar("moch-standard", zone));
    expect(error.code).toBe("INVALID_PRESET_OPTIONS");
    expect(error.message).toContain("got a Map");
    expect(thrown(() => getCalendar("moch-standard", [] as unknown as PresetOptions)).code).toBe(
      "INVALID_PRESET_OPTIONS",
    );
  });

  it("are refused by supportLoginExpiry (a Map was the default 8 working hours)", () => {
    const options = new Map([["fridayChoice", 72]]) as unknown as SupportLoginOptions;
    expect(thrown(() => supportLoginExpiry("2026-04-10T15:00", options)).code).toBe("INVALID_ARGUMENT");
    expect(thrown(() => supportLoginExpiry("2026-04-10T15:00", [72] as unknown as SupportLoginOptions)).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(
      thrown(() => supportLoginExpiry("2026-04-10T15:00", new Date() as unknown as SupportLoginOptions)).code,
    ).toBe("INVALID_ARGUMENT");
  });

  it("are refused by the ICS functions (a Map's prodId was dropped)", async () => {
    const options = new Map([["prodId", "-//X//Y//EN"]]) as never;
    const deadline = { uid: "u", at: new Date(0), summary: "s" };
    expect((await rejected(() => deadlineToIcs(deadline, options))).code).toBe("INVALID_ARGUMENT");
    expect((await rejected(() => calendarToIcs(softone(), "2026-01-01", "2026-01-31", options))).code).toBe(
      "INVALID_ARGUMENT",
    );
    const feed = ics(...event("a", "DTSTART;VALUE=DATE:20260105", "SUMMARY:Closed"));
    const range = new Map([["from", "2026-01-01"]]) as never;
    expect((await rejected(() => overridesFromIcs(softone(), feed, range))).code).toBe("INVALID_ARGUMENT");
  });
});

describe("evaluate's explain option", () => {
  it("is true or false: another value was answered without an explanation", () => {
    const ticket = { id: "t", createdAt: "2026-04-02T09:00", priority: 1 };
    for (const explain of ["yes", 1, null])
      expect(
        thrown(() => getPolicy("softone-se").evaluate(ticket, "2026-04-03T09:00", { explain } as never)).code,
      ).toBe("INVALID_ARGUMENT");
  });
});

describe("values an error message cannot print as JSON", () => {
  it("give the documented code, not a TypeError of the message's own", () => {
    const policy = getPolicy("softone-se");
    // A BIGINT column read through a database driver arrives as a bigint.
    const priority = thrown(() => policy.deadline("2026-04-02T09:00", { priority: 3n as never }));
    expect(priority.code).toBe("UNKNOWN_PRIORITY");
    expect(priority.message).toContain("3n");
    expect(thrown(() => policy.target(3n as never)).code).toBe("UNKNOWN_PRIORITY");
    const batch = policy.evaluateMany([{ id: "t", createdAt: "2026-04-02T09:00", priority: 1 }], "2026-04-03T09:00");
    expect(thrown(() => batch.get(0n as never)).code).toBe("INVALID_ARGUMENT");
    // An object without a prototype has no toString; one whose toString throws is the caller's.
    const bare = Object.create(null) as never;
    expect(thrown(() => getPolicy(bare)).code).toBe("UNKNOWN_POLICY");
    expect(thrown(() => getCalendar(bare)).code).toBe("UNKNOWN_CALENDAR");
    expect(thrown(() => softone().addBusinessDays("2026-04-02T09:00", bare)).code).toBe("INVALID_ARGUMENT");
    const loud = {
      toString: () => {
        throw new Error("toString");
      },
    } as never;
    expect(thrown(() => trinaxInvoice(loud, [], { from: "2026-01-01", to: "2026-01-31" } as never)).code).toBe(
      "INVALID_ARGUMENT",
    );
    expect(
      thrown(() =>
        policy.evaluate({ id: "t", createdAt: "2026-04-02T09:00", priority: 1 }, "2026-04-03T09:00", {
          atRiskThreshold: bare,
        }),
      ).code,
    ).toBe("INVALID_ARGUMENT");
  });
});

describe("ICS text", () => {
  it("that is empty is INVALID_ICS (ical.js gave nothing, and reading it threw a TypeError)", async () => {
    for (const text of ["", "\r\n", "\uFEFF", "  \n"]) {
      const error = await rejected(() => holidaysFromIcs(text, { from: "2026-01-01", to: "2026-12-31" }));
      expect(error.code).toBe("INVALID_ICS");
      expect(error.message).toContain("empty");
    }
  });

  it("that starts with a byte-order mark is read as without it", async () => {
    const feed = ics(...event("a", "DTSTART;VALUE=DATE:20260105", "SUMMARY:Closed"));
    const range = { from: "2026-01-01", to: "2026-12-31" };
    expect(await holidaysFromIcs(`\uFEFF${feed}`, range)).toEqual(await holidaysFromIcs(feed, range));
  });
});

describe("a fraction of a second", () => {
  it("is cut to the millisecond however many nines it has (17 were a whole second, refused)", () => {
    const calendar = softone();
    for (const [text, expected] of [
      ["2026-04-02T10:00:00.99999999999999999Z", "2026-04-02T10:00:00.999Z"],
      ["2026-04-02T10:00:00.99999999999999999", "2026-04-02T08:00:00.999Z"],
      ["2026-04-02T10:00:00.999999999999999999999+02:00", "2026-04-02T08:00:00.999Z"],
      ["2026-04-02T10:00:00.1239Z", "2026-04-02T10:00:00.123Z"],
    ])
      expect(calendar.parse(text).toISOString()).toBe(expected);
  });
});
