/**
 * Instants written as text: RFC 3339 offsets, RFC 9557 zone annotations (the default text of
 * Java's `ZonedDateTime` and of `Temporal.ZonedDateTime`), offsets out of range and time-only
 * strings. The rule: the offset decides the instant; an annotation that disagrees is an error;
 * nothing is ever read shifted.
 */
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { createCalendar, getPolicy } from "../src/index";
import { cli } from "./support/cli";
import { toEpochMs } from "../src/time/instant";
import { ZoneRules } from "../src/time/zone";
import { thrown } from "./support/errors";
import { sameHoursEveryDay } from "./support/calendars";

/** The parser every public function reads instants with, for a calendar in Stockholm. */
const STOCKHOLM = new ZoneRules("Europe/Stockholm");
const read = (text: string): string => new Date(toEpochMs(text, STOCKHOLM)).toISOString();

describe("RFC 9557 zone annotations", () => {
  it.each([
    ["2026-04-02T09:00+02:00[Europe/Stockholm]", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02T09:00:00.000+02:00[Europe/Stockholm]", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02T09:00+02:00[!Europe/Stockholm]", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02T09:00+02:00[Europe/Stockholm][u-ca=iso8601]", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02T09:00+02:00[Europe/Stockholm][x-unknown=tag]", "2026-04-02T07:00:00.000Z"],
    // Z: the instant is known, the local offset is not (RFC 9557 §2), so any zone fits.
    ["2026-04-02T07:00Z[Europe/Stockholm]", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02T07:00Z[America/New_York]", "2026-04-02T07:00:00.000Z"],
    // No offset: wall time in the annotated zone, not in the calendar's.
    ["2026-04-02T09:00[America/New_York]", "2026-04-02T13:00:00.000Z"],
    ["2026-04-02T09:00[+05:00]", "2026-04-02T04:00:00.000Z"],
    ["2026-04-02T09:00+05:00[+05:00]", "2026-04-02T04:00:00.000Z"],
    // The fall-back hour happens twice; the offset says which one is meant.
    ["2026-10-25T02:30+02:00[Europe/Stockholm]", "2026-10-25T00:30:00.000Z"],
    ["2026-10-25T02:30+01:00[Europe/Stockholm]", "2026-10-25T01:30:00.000Z"],
    // Local mean time with seconds, as Java prints it; rounded (Temporal) or truncated (luxon).
    ["1960-01-01T12:00-00:44:30[Africa/Monrovia]", "1960-01-01T12:44:30.000Z"],
    ["1960-01-01T12:00-00:45[Africa/Monrovia]", "1960-01-01T12:44:30.000Z"],
    ["1960-01-01T12:00-00:44[Africa/Monrovia]", "1960-01-01T12:44:30.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(read(text)).toBe(iso);
  });

  it.each([
    ["2026-04-02T09:00+01:00[Europe/Stockholm]", "disagrees with [Europe/Stockholm], which is at +02:00"],
    ["2026-04-02T09:00+02:00[America/New_York]", "disagrees with [America/New_York]"],
    ["2026-04-02T09:00+02:00[+03:00]", "disagrees with [+03:00]"],
    ["1960-01-01T12:00-00:46[Africa/Monrovia]", "disagrees with [Africa/Monrovia], which is at -00:44:30"],
    ["2026-04-02T09:00+02:00[Mars/Olympus_Mons]", "is not an IANA time zone"],
    ["2026-04-02T09:00+02:00[Europe/Stockholm][!x-unknown=tag]", "critical annotation [!x-unknown=tag]"],
    ["2026-04-02T09:00+02:00[u-ca=iso8601][Europe/Stockholm]", "must come first"],
    ["2026-04-02T09:00+02:00[Europe/Stockholm", "brackets may only close the timestamp"],
    ["2026-04-02T09:00[Europe/Stockholm]+02:00", "brackets may only close the timestamp"],
    ["2026-04-02T09:00+02:00[U-CA=iso8601]", "not a valid annotation"],
    ["2026-04-02T09:00+02:00[]", "neither a time-zone name nor an offset"],
  ])("%s is refused: %s", (text, message) => {
    const e = thrown(() => read(text));
    expect(e.code).toBe("INVALID_INSTANT");
    expect(e.message).toContain(message);
  });
});

describe("through the public API", () => {
  const always = createCalendar({ zone: "Europe/Stockholm", weekly: sameHoursEveryDay("00:00", "24:00") });
  it("reads the annotated instant, not one shifted by the calendar's offset", () => {
    expect(always.addBusinessTime("2026-04-02T09:00+02:00[Europe/Stockholm]", 0).toISOString()).toBe(
      "2026-04-02T07:00:00.000Z",
    );
    expect(thrown(() => always.isOpen("2026-04-02T09:00+01:00[Europe/Stockholm]")).code).toBe("INVALID_INSTANT");
    expect(thrown(() => always.isOpen("2026-04-02T09:00+25:00")).code).toBe("INVALID_INSTANT");
    expect(thrown(() => always.isOpen("09:00")).code).toBe("INVALID_INSTANT");
  });
});

describe("offsets and dates that are not there", () => {
  it.each([
    ["2026-04-02T09:00+25:00", "outside ±18:00"],
    ["2026-04-02T09:00-99:99", "outside ±18:00"],
    ["2026-04-02T09:00:00.000+19:00", "outside ±18:00"],
    ["2026-04-02T09:00+18:01", "outside ±18:00"],
    ["2026-04-02T09:00+02:60", "outside ±18:00"],
    ["09:00", "starts with its date"],
    ["09:00:00Z", "starts with its date"],
    ["T09:00", "starts with its date"],
    ["2026-04-02T09:00 +02:00", "is not an ISO-8601 date-time"],
    ["2026-02-30T09:00Z", "is not an ISO-8601 date-time"],
  ])("%s is refused: %s", (text, message) => {
    const e = thrown(() => read(text));
    expect(e.code).toBe("INVALID_INSTANT");
    expect(e.message).toContain(message);
  });

  it.each([
    ["2026-04-02T09:00+18:00", "2026-04-01T15:00:00.000Z"],
    ["2026-04-02T09:00-18:00", "2026-04-03T03:00:00.000Z"],
    ["2026-04-02T09:00-00:00", "2026-04-02T09:00:00.000Z"],
    ["2026-04-02T0900-0200", "2026-04-02T11:00:00.000Z"],
    ["2026-04-02T09Z", "2026-04-02T09:00:00.000Z"],
    ["2026-W14-4T09:00Z", "2026-04-02T09:00:00.000Z"],
    ["2026-04-02T09:00", "2026-04-02T07:00:00.000Z"],
    ["2026-04-02", "2026-04-01T22:00:00.000Z"],
  ])("%s is still %s", (text, iso) => {
    expect(read(text)).toBe(iso);
  });
});

/** Every zone the runtime and luxon both know. */
const ZONES = Intl.supportedValuesOf("timeZone").filter((zone) => DateTime.now().setZone(zone).isValid);
const instants = fc.integer({ min: Date.UTC(1900, 0, 2), max: Date.UTC(2200, 11, 30) });
/** `±HH:MM` written independently of src/: the wall time of `ms` at `offsetMinutes`, then the offset. */
function written(ms: number, offsetMinutes: number): string {
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offsetMinutes);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${wall}${offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
/** An offset in minutes as Java's `ZoneOffset` prints it: `+HH:MM`, with `:SS` when it has seconds. */
function javaOffset(minutes: number): string {
  const seconds = Math.round(Math.abs(minutes) * 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${minutes < 0 ? "-" : "+"}${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}`;
  return seconds % 60 === 0 ? text : `${text}:${pad(seconds % 60)}`;
}
/** The zone's offset at `ms` in minutes as luxon reports it (fractional for local mean time). */
const zoneOffset = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

describe("any instant printed as …±HH:MM[Zone]", () => {
  it("reads back to the same epoch ms (luxon's and Java's text)", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (ms, zone) => {
        const dt = DateTime.fromMillis(ms, { zone });
        // luxon writes local mean time's offset truncated to the minute; Java writes its seconds.
        expect(read(`${dt.toISO()}[${zone}]`)).toBe(new Date(ms).toISOString());
        expect(read(`${dt.toISO({ includeOffset: false })}${javaOffset(dt.offset)}[${zone}]`)).toBe(
          new Date(ms).toISOString(),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("is never read shifted: with any offset, the answer's wall time and offset in the zone are the written ones, or INVALID_INSTANT", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), fc.integer({ min: -18 * 60, max: 18 * 60 }), (ms, zone, o) => {
        const text = `${written(ms, o)}[${zone}]`;
        let result: number;
        try {
          result = Date.parse(read(text));
        } catch {
          expect(thrown(() => read(text)).code).toBe("INVALID_INSTANT");
          // Refused only where the zone is not at that offset at that wall time.
          if (zoneOffset(ms, zone) === o) expect.unreachable(`${text} is consistent but was refused`);
          return;
        }
        const there = DateTime.fromMillis(result, { zone });
        expect(there.toISO({ includeOffset: false })).toBe(written(ms, o).slice(0, 23));
        expect(Math.abs(there.offset - o)).toBeLessThan(1);
      }),
      { numRuns: 500 },
    );
  });

  it("outside ±18:00 is refused, with or without an annotation", () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: 18 * 60 + 1, max: 99 * 60 + 59 }),
        fc.boolean(),
        fc.boolean(),
        (ms, o, negative, annotated) => {
          const text = `${written(ms, negative ? -o : o)}${annotated ? "[Europe/Stockholm]" : ""}`;
          const e = thrown(() => read(text));
          expect(e.code).toBe("INVALID_INSTANT");
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("the CLI reads annotated instants the same way", () => {
  it("takes the offset of a bracketed start, as the library does", async () => {
    const policy = getPolicy("softone-se");
    const expected = policy.deadline("2026-04-02T09:00+02:00", { priority: "3" });
    const annotated = await cli([
      "deadline",
      "softone-se",
      "--priority",
      "3",
      "2026-04-02T09:00+02:00[Europe/Stockholm]",
    ]);
    const plain = await cli(["deadline", "softone-se", "--priority", "3", "2026-04-02T09:00+02:00"]);
    expect(annotated.code).toBe(0);
    expect(annotated.out).toBe(plain.out);
    expect(policy.deadline("2026-04-02T09:00+02:00[Europe/Stockholm]", { priority: "3" })).toEqual(expected);
  });

  it("refuses a bracket that disagrees with the offset", async () => {
    const r = await cli(["deadline", "softone-se", "--priority", "3", "2026-04-02T09:00+01:00[Europe/Stockholm]"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("disagrees with [Europe/Stockholm]");
  });
});
