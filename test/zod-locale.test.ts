/**
 * The schemas are written with zod/mini (src/util/zod-module.ts), which, unlike zod's classic API,
 * configures no locale: without one, every message zod words itself is "Invalid input". sla-clock
 * gives zod its English messages when it loads zod, unless the app has chosen a locale, as the
 * classic API did. Each case runs in a fresh child, since zod's configuration is process-wide.
 */
import { describe, expect, it } from "vitest";
import { lazyLoadChild } from "./support/lazy-load-child";

const child = (body: string): string[] => lazyLoadChild("[\\\\/]node_modules[\\\\/]zod[\\\\/]", body);

const wordedByZod = `
for (const spec of [
  { zone: "Europe/Stockholm", weekly: { mon: day }, closedDates: 5 },
  { id: "x".repeat(201), zone: "Europe/Stockholm", weekly: { mon: day } },
]) {
  try { sla.createCalendar(spec); } catch (e) { console.log(e.details.issues[0].message); }
}
try {
  sla.definePolicy({ id: "p", name: "n", calendar: { zone: "UTC", weekly: { mon: day } },
    priorities: [{ id: "x".repeat(101), label: "P1", targets: { response: { kind: "none" }, resolution: { kind: "none" } } }] });
} catch (e) { console.log(e.details.issues[0].message); }
`;

describe("zod's own messages", () => {
  it("are English when the app configured no locale", () => {
    expect(child(wordedByZod)).toEqual([
      "Invalid input: expected array, received number",
      "an id is at most 200 characters",
      "Too big: expected string to have <=100 characters",
    ]);
  });

  it("follow a locale the app configured, as with zod's classic API", () => {
    const out = child(`
const z = require("zod");
z.config(z.locales.de());
${wordedByZod}`);
    expect(out[0]).toBe("Ungültige Eingabe: erwartet Array, erhalten Zahl");
    expect(out[1]).toBe("an id is at most 200 characters"); // sla-clock's own words stay
  });
});
