/** iCalendar text for tests: a feed of the given lines, and one event of it. */

/** A VCALENDAR holding `lines` (its events, time zones), CRLF line ends. */
export const ics = (...lines: string[]): string =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...lines, "END:VCALENDAR"].join("\r\n");

/** The lines of one VEVENT with its UID and a DTSTAMP, then `lines`. */
export const event = (uid: string, ...lines: string[]): string[] => [
  "BEGIN:VEVENT",
  `UID:${uid}`,
  "DTSTAMP:20260101T000000Z",
  ...lines,
  "END:VEVENT",
];
