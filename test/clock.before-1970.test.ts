/**
 * Tickets before 1970 (negative epoch milliseconds) are judged like any others. The ticket clock
 * once marked "not breached" and "not crossed" with -1, which is itself an instant (1969-12-31
 * 23:59:59.999Z): every breach and alert crossing before 1970 read as none, so a 1960 P1 ticket
 * 45 business hours over its 2-hour target was reported `running` — a silent wrong answer inside the
 * supported 1900–2200 range. Hand-counted on softone-se (weekdays 08:00–12:00 and 13:00–16:00
 * Stockholm; P1: response within 2 business hours — the SoftOne SE priority table).
 */
import { describe, expect, it } from "vitest";
import { definePolicy, getPolicy, type Ticket } from "../src/index";

const softone = getPolicy("softone-se");
const withAlerts = definePolicy({ ...softone.spec, id: "softone-se-alerts", alerts: [0.5, 0.75] });
const iso = (d: Date | null) => (d === null ? null : d.toISOString());

describe("tickets before 1970", () => {
  // Wed 1960-03-02 09:00 Stockholm (CET, 08:00Z): the 2 business hours end at 11:00 (10:00Z), 50 %
  // at 10:00, 75 % at 10:30; a week later nothing has answered it.
  const ticket: Ticket = { id: "T-1960", priority: 1, createdAt: "1960-03-02T09:00" };

  it("a P1 never answered breaches at 11:00 on its first day, and its alerts are crossed", () => {
    const { response } = withAlerts.evaluate(ticket, "1960-03-10T12:00");
    expect(response.status).toBe("breached");
    expect(iso(response.breachedAt)).toBe("1960-03-02T10:00:00.000Z");
    expect(iso(response.deadline)).toBe("1960-03-02T10:00:00.000Z");
    expect(response.alerts.map((a) => iso(a.at))).toEqual(["1960-03-02T09:00:00.000Z", "1960-03-02T09:30:00.000Z"]);
  });

  it("a response at 10:30 meets the target, one at 11:30 breached it at 11:00", () => {
    const at = (time: string) =>
      softone.evaluate({ ...ticket, events: [{ type: "respond", at: time }] }, "1960-03-10T12:00");
    expect(at("1960-03-02T10:30").response.status).toBe("met");
    const late = at("1960-03-02T11:30").response;
    expect(late.status).toBe("breached");
    expect(iso(late.breachedAt)).toBe("1960-03-02T10:00:00.000Z");
  });

  it("near the epoch: created Tue 1969-12-30 15:00, due Wed 1969-12-31 09:00, as in 2025", () => {
    // Tue 15:00–16:00 is the first hour; Wed 31 December (nyårsafton) is an eve, open 08:00–12:00:
    // the second hour ends 09:00 (08:00Z) — the same as the same dates of 2025 give.
    const { response } = softone.evaluate(
      { id: "T-1969", priority: 1, createdAt: "1969-12-30T15:00" },
      "1970-01-05T12:00",
    );
    expect(response.status).toBe("breached");
    expect(iso(response.breachedAt)).toBe("1969-12-31T08:00:00.000Z");
    const in2025 = softone.evaluate({ id: "T-2025", priority: 1, createdAt: "2025-12-30T15:00" }, "2026-01-05T12:00");
    expect(iso(in2025.response.breachedAt)).toBe("2025-12-31T08:00:00.000Z");
  });

  it("evaluateMany agrees with evaluate on tickets from 1900 to 1970", () => {
    const tickets: Ticket[] = [];
    for (let year = 1900; year < 1970; year += 3)
      for (const [priority, month] of [
        [1, "02"],
        [3, "06"],
        [5, "10"],
      ] as const)
        tickets.push({
          id: `T-${year}-${priority}`,
          priority,
          createdAt: `${year}-${month}-1${priority}T10:15`,
          events: [{ type: "respond", at: `${year}-${month}-2${priority}T09:00` }],
        });
    const now = "1970-06-01T12:00";
    const batch = withAlerts.evaluateMany(tickets, now);
    expect(batch.failures).toEqual([]);
    const breached = tickets.filter((t, i) => {
      const one = withAlerts.evaluate(t, now);
      expect(batch.get(i)).toEqual(one);
      return one.response.status === "breached";
    });
    // Responded ten days after creation: most of them late.
    expect(breached.length).toBeGreaterThan(tickets.length / 2);
  });
});
