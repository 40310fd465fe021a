/**
 * SoftOne support login (customer guide): a support login is valid for 8 working hours, or — when
 * granted on a Friday — 24 or 72 hours, as the customer chooses.
 *
 *   npm run example:support-login
 */
import { DateTime } from "luxon";
import { supportLoginExpiry } from "sla-clock";

const show = (d: Date) => DateTime.fromJSDate(d, { zone: "Europe/Stockholm" }).toFormat("ccc yyyy-LL-dd HH:mm");
const grants: [string, { fridayChoice?: 24 | 72 }][] = [
  ["2026-04-01T14:00", {}], // Wednesday before Easter: the eve closes at 12:00, Easter Monday is closed
  ["2026-06-18T15:30", {}], // Thursday before Midsommarafton (an eve: open 08–12)
  ["2026-04-10T15:00", {}], // a Friday, no choice made: 8 working hours
  ["2026-04-10T15:00", { fridayChoice: 24 }],
  ["2026-04-10T15:00", { fridayChoice: 72 }],
];
for (const [granted, options] of grants) {
  const choice = options.fridayChoice === undefined ? "8 working hours" : `${options.fridayChoice} hours`;
  console.log(
    `granted ${show(new Date(DateTime.fromISO(granted, { zone: "Europe/Stockholm" }).toMillis()))}, ${choice.padEnd(15)} → expires ${show(supportLoginExpiry(granted, options))}`,
  );
}
