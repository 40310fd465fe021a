/**
 * Classifies where a peer's answer differs from sla-clock's. Each disagreement is explained, if
 * possible, by the smallest combination of known differences that reproduces the peer's answer to
 * the millisecond with sla-clock itself:
 *
 * - `eve`: the same calendar without the eves' 13:00 close (the peers have no per-date hours);
 * - `minute`: the start rounded to a whole minute (up or down) — peers that step in minutes;
 * - `next opening`: the next opening instead of a closing instant (the other convention for a
 *   duration used up exactly at a close);
 * - `zone`: the same hours read in the peer process's host zone instead of Europe/Stockholm;
 * - `dst`: off by exactly the DST shift from one of the above, with a DST change in between.
 *
 * Anything else is `other` and is listed in full.
 */
import { DateTime } from "luxon";
import type { Calendar } from "../src/index";
import { HOUR, MINUTE } from "./workload";

export const CLASSES = ["eve", "minute", "next opening", "zone", "dst", "other"] as const;
export type DisagreementClass = (typeof CLASSES)[number];

interface CalendarModel {
  readonly tags: readonly DisagreementClass[];
  readonly cal: Calendar;
}

export interface Classifier {
  /** The classes that explain a peer answer, or `["other"]`. */
  classify(start: number, duration: number, peer: number): DisagreementClass[];
}

export function makeClassifier(
  exact: Calendar,
  noEves: Calendar,
  hostZone?: { exact: Calendar; noEves: Calendar },
): Classifier {
  const calendars: CalendarModel[] = [
    { tags: [], cal: exact },
    { tags: ["eve"], cal: noEves },
  ];
  if (hostZone !== undefined) {
    calendars.push({ tags: ["zone"], cal: hostZone.exact }, { tags: ["zone", "eve"], cal: hostZone.noEves });
  }
  const startings: { tags: DisagreementClass[]; f: (s: number) => number }[] = [
    { tags: [], f: (s) => s },
    { tags: ["minute"], f: (s) => Math.ceil(s / MINUTE) * MINUTE },
    { tags: ["minute"], f: (s) => Math.floor(s / MINUTE) * MINUTE },
  ];
  const endings: { tags: DisagreementClass[]; f: (cal: Calendar, t: number) => number }[] = [
    { tags: [], f: (_, t) => t },
    { tags: ["next opening"], f: (cal, t) => cal.nextOpen(t).getTime() },
  ];
  // Every combination, simplest first.
  const models: { tags: DisagreementClass[]; answer: (s: number, d: number) => number }[] = [];
  for (const c of calendars) {
    for (const s of startings) {
      for (const e of endings) {
        const tags = [...c.tags, ...s.tags, ...e.tags];
        models.push({ tags, answer: (start, d) => e.f(c.cal, c.cal.addBusinessTime(s.f(start), d).getTime()) });
      }
    }
  }
  // Fewest differences first; at equal count prefer the zone, then the eve, then minutes, and
  // take the other convention last (it can coincide with a zone shift of one hour).
  const weight = (tags: readonly DisagreementClass[]) =>
    tags.reduce((w, t) => w + { zone: 0, eve: 1, minute: 2, "next opening": 3, dst: 4, other: 5 }[t], 0);
  models.sort((a, b) => a.tags.length - b.tags.length || weight(a.tags) - weight(b.tags));
  const dstBetween = (a: number, b: number) => {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const offset = (t: number) => DateTime.fromMillis(t, { zone: "Europe/Stockholm" }).offset;
    return offset(lo) !== offset(hi);
  };

  return {
    classify(start, duration, peer) {
      if (Number.isNaN(peer)) return ["other"];
      const answers = models.map((m) => m.answer(start, duration));
      for (let k = 0; k < models.length; k++) {
        if (answers[k] === peer) return models[k]!.tags.length === 0 ? [] : models[k]!.tags;
      }
      for (let k = 0; k < models.length; k++) {
        if (Math.abs(answers[k]! - peer) === HOUR && dstBetween(start, peer)) return [...models[k]!.tags, "dst"];
      }
      return ["other"];
    },
  };
}
