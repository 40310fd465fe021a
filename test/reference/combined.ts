/**
 * A deliberately naive reference for combined calendars (`anyOf` / `allOf`): step through time one
 * whole minute at a time and ask each member whether it is open during that minute. Each member is
 * a {@link RefCalendar}, read once as its list of open stretches over the window. With members
 * whose boundaries fall on whole minutes (their hours are whole minutes and their zones' offsets
 * are whole minutes, as every zone of the scenarios has had since 1936) a minute is either wholly open or wholly closed for each member, so
 * the count of open minutes is the exact open time.
 *
 * Slow and obviously right is the point. Shares no code with src/.
 */
import type { RefCalendar } from "./calendar";
import { MINUTE } from "./zone";

export type RefCombination = "anyOf" | "allOf";

/** The members' open minutes over a window, as one boolean per minute and member. */
export class RefCombined {
  readonly kind: RefCombination;
  readonly from: number;
  readonly to: number;
  /** `open[m][k]`: member m is open during minute k of the window. */
  readonly #open: boolean[][];

  constructor(kind: RefCombination, members: readonly RefCalendar[], from: number, to: number) {
    this.kind = kind;
    this.from = from;
    this.to = to;
    this.#open = members.map((member) => {
      const minutes: boolean[] = new Array<boolean>((to - from) / MINUTE).fill(false);
      for (const [s, e] of member.openIntervals(from, to))
        for (let t = s; t < e; t += MINUTE) minutes[(t - from) / MINUTE] = true;
      return minutes;
    });
  }

  /** Whether the combination is open during the minute starting at `t` (a whole minute in the window). */
  isOpen(t: number): boolean {
    const k = (t - this.from) / MINUTE;
    return this.kind === "anyOf" ? this.#open.some((m) => m[k]) : this.#open.every((m) => m[k]);
  }

  /** The open minutes of the window as maximal `[start, end)` stretches, with their total in ms. */
  stretches(): { stretches: [number, number][]; totalMs: number } {
    const stretches: [number, number][] = [];
    let totalMs = 0;
    for (let t = this.from; t < this.to; t += MINUTE) {
      if (!this.isOpen(t)) continue;
      totalMs += MINUTE;
      const last = stretches[stretches.length - 1];
      if (last !== undefined && last[1] === t) last[1] = t + MINUTE;
      else stretches.push([t, t + MINUTE]);
    }
    return { stretches, totalMs };
  }

  /**
   * The instant at which `d` (a whole number of minutes, > 0) of open time has been used up counting
   * from `start` (a whole minute), or `undefined` when it is not used up within the window.
   */
  add(start: number, d: number): number | undefined {
    let left = d;
    for (let t = start; t < this.to; t += MINUTE) {
      if (!this.isOpen(t)) continue;
      left -= MINUTE;
      if (left === 0) return t + MINUTE;
    }
    return undefined;
  }
}
