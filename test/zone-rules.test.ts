/**
 * The per-month offset cache of ZoneRules against luxon itself, for every zone of the runtime,
 * at random instants from 1900 to 2200 and right around transitions.
 */
import fc from "fast-check";
import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { ZoneRules } from "../src/time/zone";

const zones = Intl.supportedValuesOf("timeZone");
const luxonOffset = (zone: IANAZone, t: number) => Math.round(zone.offset(t) * 60_000);

describe("zone offsets", () => {
  it("equal luxon's in every zone, including the instants next to each transition", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: zones.length - 1 }),
        fc.array(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 11, 31) }), {
          minLength: 3,
          maxLength: 3,
        }),
        (z, instants) => {
          const name = zones[z]!;
          const rules = new ZoneRules(name);
          const zone = IANAZone.create(name);
          for (const t of instants) {
            expect(rules.offsetAt(t)).toBe(luxonOffset(zone, t));
            // Walk to the next change within 200 days (6-hour steps), then check both sides of it.
            const prev = luxonOffset(zone, t);
            for (let u = t + 6 * 3_600_000; u < t + 200 * 86_400_000; u += 6 * 3_600_000) {
              const o = luxonOffset(zone, u);
              if (o === prev) continue;
              let lo = u - 6 * 3_600_000;
              let hi = u;
              while (hi - lo > 1000) {
                const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
                if (luxonOffset(zone, mid) === prev) lo = mid;
                else hi = mid;
              }
              expect(rules.offsetAt(hi - 1000)).toBe(luxonOffset(zone, hi - 1000));
              expect(rules.offsetAt(hi)).toBe(luxonOffset(zone, hi));
              break;
            }
          }
        },
      ),
      { numRuns: zones.length },
    );
  });
});
