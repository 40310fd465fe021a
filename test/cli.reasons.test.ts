/**
 * The words the CLI's tables give a day's reasons (`sla-clock hours`, `explain`).
 */
import { describe, expect, it } from "vitest";
import { createCalendar } from "../src/index";
import { describeReason } from "../src/cli/reasons";

describe("describeReason", () => {
  it("an openDates entry names the holidays it overrides, or is an open date (it said 'open despite the data')", () => {
    const calendar = createCalendar({
      zone: "Europe/Stockholm",
      weekly: { tue: [["08:00", "17:00"]] },
      holidays: { country: "SE" },
      openDates: [
        { date: "2026-01-06", name: "Open Epiphany" },
        { date: "2026-06-21", hours: [["10:00", "14:00"]], name: "Open Sunday" },
      ],
    });
    const words = (date: string) => calendar.describeDay(date).reasons.map(describeReason);
    expect(words("2026-01-06")).toEqual(["open despite trettondedag jul (Epiphany) (Open Epiphany)"]);
    expect(words("2026-06-21")).toEqual(["open date (Open Sunday)"]);
  });
});
