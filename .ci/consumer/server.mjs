// A Node server app, bundled by .ci/check-consumer.ts with esbuild (platform node) and run from a
// folder without node_modules, as a bundle shipped to a server or a function is. zod is loaded on
// the first validation: without the "browser" condition it cannot be, and the error must say so
// (not blame the spec); with the condition (dist/browser/ imports zod statically) the app works.
import Holidays from "date-holidays";
import { createCalendar, registerDateHolidays } from "sla-clock";

registerDateHolidays(Holidays);
try {
  // Eves and a holiday source: a spec the fast check leaves to zod (as the README's first example).
  const cal = createCalendar({
    zone: "Europe/Stockholm",
    weekly: { mon: [["08:00", "16:00"]] },
    holidays: { country: "SE" },
    eves: { closeAt: "13:00" },
  });
  console.log(`server ${cal.addBusinessTime("2026-03-02T09:00:00Z", { hours: 4 }).toISOString()}`);
} catch (e) {
  console.log(`server ${e.name} ${e.code ?? "-"} ${/--conditions=browser/.test(e.message) ? "advice" : "no advice"}`);
}
