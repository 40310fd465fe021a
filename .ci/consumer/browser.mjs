// A browser app, bundled by .ci/check-consumer.ts with esbuild (platform browser, so the package's
// "browser" export condition: dist/browser/) and run without a Node require. Bad input still gets
// zod's message (zod is in the bundle), a custom calendar without holidays works, and a preset
// works once date-holidays is registered, as docs/performance.md tells a bundled app to do.
import Holidays from "date-holidays";
import { createCalendar, getPolicy, registerDateHolidays } from "sla-clock";

const day = [["08:00", "16:00"]];
try {
  createCalendar({ zone: "Europe/Stockholm", weekly: { mon: [["8:00", "16:00"]] } });
} catch (e) {
  console.log(`browser ${e.code} ${e.details.issues[0].path}`);
}
// A message zod words itself: English in the bundle too (src/util/zod-locale.ts).
try {
  createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day }, closedDates: 5 });
} catch (e) {
  console.log(`browser ${e.details.issues[0].path}: ${e.details.issues[0].message}`);
}
const cal = createCalendar({ zone: "Europe/Stockholm", weekly: { mon: day, tue: day } });
console.log(`browser ${cal.addBusinessTime("2026-03-02T09:00:00Z", { hours: 4 }).toISOString()}`);
registerDateHolidays(Holidays);
console.log(`browser ${getPolicy("softone-se").deadline("2026-04-02T11:00", { priority: 2 }).toISOString()}`);
