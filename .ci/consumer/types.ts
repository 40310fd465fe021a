/**
 * What a strict TypeScript project sees of the installed package. Type-checked by
 * `npm run check:consumer` with moduleResolution node16 and bundler, each with and without
 * skipLibCheck. Every `@ts-expect-error` below is a wrong input that must not compile: if the
 * package's types degraded to `any` (as they did when @types/luxon was missing and skipLibCheck hid
 * it), the directive would be unused and the check fails.
 *
 * The fixture deliberately does not list @types/luxon: luxon's types must come with sla-clock (it
 * depends on @types/luxon, see tsup.config.ts), and a fixture that brought its own would hide their
 * absence. Its own `import … from "luxon"` below is typed by that same, hoisted @types/luxon; a real
 * project that imports luxon itself would list @types/luxon as well.
 */
import { DateTime, Duration } from "luxon";
import {
  createCalendar,
  definePolicy,
  getCalendar,
  getPolicy,
  SlaClockError,
  type Calendar,
  type DurationInput,
  type InstantInput,
  type Policy,
  type PriorityId,
  type Target,
} from "sla-clock";

/** `true` only for `any`: `1 & T` is `any` for `any` and `never`/`1` otherwise. */
type IsAny<T> = 0 extends 1 & T ? true : false;
function notAny<T>(isAny: IsAny<T>): IsAny<T> {
  return isAny;
}
notAny<InstantInput>(false);
notAny<DurationInput>(false);
notAny<Calendar>(false);
notAny<Policy>(false);
notAny<PriorityId>(false);
notAny<Target>(false);
notAny<ReturnType<typeof getPolicy>>(false);
notAny<Parameters<Policy["deadline"]>[0]>(false);

// Right inputs, luxon's own types among them.
const policy = getPolicy("softone-se");
const due: Date | null = policy.deadline("2026-04-02T11:00", { priority: 2 });
policy.deadline(DateTime.fromISO("2026-04-02T11:00", { zone: "Europe/Stockholm" }), { priority: 2 });
policy.deadline(new Date("2026-04-02T09:00:00Z"), { priority: 2, metric: "resolution" });
const calendar = getCalendar("softone-se");
calendar.addBusinessTime(1775120400000, Duration.fromObject({ hours: 2 }));
calendar.addBusinessTime("2026-04-02T11:00", { hours: 2, minutes: 30 });
const own = createCalendar({
  zone: "Europe/Stockholm",
  weekly: { mon: [["08:00", "17:00"]], fri: [["08:00", "12:00"]] },
  holidays: { country: "SE" },
});
const gdpr = definePolicy({
  id: "gdpr-incident",
  name: "GDPR personal-data incident",
  calendar: own,
  priorities: [{ id: "incident", label: "Incident", targets: { response: { kind: "calendar", duration: "PT72H" } } }],
});
try {
  gdpr.deadline("2026-04-02T16:45", { priority: "incident" });
} catch (e) {
  if (e instanceof SlaClockError) {
    const code: string = e.code;
    void code;
  }
}
void due;

// Wrong inputs: each must be a compile error.

// @ts-expect-error: not an instant
policy.deadline({ foo: 1 }, { priority: 2 });
// @ts-expect-error: not an instant
calendar.isOpen([2026, 4, 2]);
// @ts-expect-error: not a duration (unknown unit)
calendar.addBusinessTime("2026-04-02T11:00", { hour: 2 });
// @ts-expect-error: not a duration
calendar.addBusinessTime("2026-04-02T11:00", true);
// @ts-expect-error: not a preset
getPolicy("softone-dk");
// @ts-expect-error: a priority is given
policy.deadline("2026-04-02T11:00", {});

createCalendar({
  zone: "Europe/Stockholm",
  weekly: { mon: [["08:00", "17:00"]] },
  // @ts-expect-error: misspelt spec key (holidays)
  holiday: { country: "SE" },
});
createCalendar({
  zone: "Europe/Stockholm",
  // @ts-expect-error: misspelt weekday (mon)
  weekly: { monday: [["08:00", "17:00"]] },
});
definePolicy({
  id: "p",
  name: "P",
  calendar: own,
  // @ts-expect-error: misspelt spec key (priorities)
  priority: [],
});
definePolicy({
  id: "p",
  name: "P",
  calendar: own,
  // @ts-expect-error: misspelt target key (response)
  priorities: [{ id: 1, label: "One", targets: { respnse: { kind: "business", duration: { hours: 4 } } } }],
});
definePolicy({
  id: "p",
  name: "P",
  calendar: own,
  // @ts-expect-error: not a target kind
  priorities: [{ id: 1, label: "One", targets: { response: { kind: "buisness", duration: { hours: 4 } } } }],
});

// A preset's Policy carries its priority ids in its type (PresetPriority): a literal priority its
// table lacks does not compile; "3" works as 3 does, and a priority in a plain number or string is
// checked at run time (SlaClockError UNKNOWN_PRIORITY).
// @ts-expect-error: softone-se has priorities 1–5
policy.deadline("2026-04-02T11:00", { priority: "x" });
// @ts-expect-error: Trinax numbers its priorities 1–4
getPolicy("trinax-access").deadline("2026-04-02T11:00", { priority: 5 });
// @ts-expect-error: softone-se has priorities 1–5
policy.target(6);
policy.deadline("2026-04-02T11:00", { priority: "3" });
const fromInput: number = Number("3");
policy.window("2026-04-02T11:00", { priority: fromInput, metric: "resolution" });
const anyPolicy: Policy = getPolicy("trinax-access");
anyPolicy.deadline("2026-04-02T11:00", { priority: 5 });
