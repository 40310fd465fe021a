/**
 * GDPR (SoftOne customer guide): a personal-data incident must be reported to the authority within
 * 72 hours — calendar time, weekends and holidays included. A one-priority policy of calendar
 * targets does it, and shows how a calendar target differs from a business one.
 *
 *   npm run example:gdpr
 */
import { DateTime } from "luxon";
import { definePolicy, getCalendar } from "sla-clock";

const incident = definePolicy({
  id: "gdpr-incident",
  name: "GDPR personal-data incident",
  calendar: getCalendar("softone-se"),
  priorities: [
    {
      id: "incident",
      label: "Personuppgiftsincident",
      labelEn: "Personal-data incident",
      targets: { response: { kind: "calendar", duration: { hours: 72 } } },
    },
  ],
});
const show = (d: Date | null) =>
  d === null ? "–" : DateTime.fromJSDate(d, { zone: "Europe/Stockholm" }).toFormat("ccc yyyy-LL-dd HH:mm ZZZZ");

for (const found of ["2026-04-02T16:45", "2026-03-27T10:00", "2026-12-23T09:00"]) {
  const due = incident.deadline(found, { priority: "incident" });
  const businessInstead = getCalendar("softone-se").addBusinessTime(found, { hours: 72 });
  console.log(`found ${found}: report by ${show(due)} (72 business hours would have been ${show(businessInstead)})`);
}
