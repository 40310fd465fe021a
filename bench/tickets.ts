/**
 * Tickets for the `evaluateMany` figure: created uniformly over 2023-01-01 … 2032-12-01 (UTC, ms
 * resolution), priorities 1–5, seeded. 90 % have a first response, 70 % are resolved. Every tenth
 * ticket is paused (waiting for the customer), resumed, and changes priority (to 3 for a priority
 * 1 or 2 case, as SoftOne does once a workaround exists; otherwise to another level) before its
 * response. Instants are epoch-millisecond numbers, or `Date`s when asked.
 */
import type { Ticket, TicketEvent } from "../src/index";
import { HOUR, prng } from "./workload";

export const TICKETS_FROM = Date.UTC(2023, 0, 1);
export const TICKETS_TO = Date.UTC(2032, 11, 1);
/** "Now" for the evaluation: after every event of every ticket. */
export const TICKETS_NOW = Date.UTC(2033, 2, 1);
const DAY = 24 * HOUR;

export function makeTickets(n: number, seed: number, asDates: boolean): Ticket[] {
  const random = prng(seed);
  const at = (ms: number) => (asDates ? new Date(ms) : ms);
  const tickets: Ticket[] = new Array<Ticket>(n);
  for (let i = 0; i < n; i++) {
    const createdAt = TICKETS_FROM + Math.floor(random() * (TICKETS_TO - TICKETS_FROM));
    const priority = 1 + Math.floor(random() * 5);
    const events: TicketEvent[] = [];
    let t = createdAt;
    if (i % 10 === 0) {
      t += Math.floor(random() * 8 * HOUR);
      events.push({ type: "pause", at: at(t) });
      t += 10 * 60_000 + Math.floor(random() * 3 * DAY);
      events.push({ type: "resume", at: at(t) });
      t += Math.floor(random() * 4 * HOUR);
      const changed = priority <= 2 ? 3 : 1 + ((priority + Math.floor(random() * 4)) % 5);
      events.push({ type: "priority", at: at(t), priority: changed });
    }
    const responds = random() < 0.9;
    const resolves = random() < 0.7;
    if (responds) {
      t += Math.floor(random() * 2 * DAY);
      events.push({ type: "respond", at: at(t) });
    }
    if (resolves) {
      t += HOUR + Math.floor(random() * 30 * DAY);
      events.push({ type: "resolve", at: at(t) });
    }
    tickets[i] = { id: i, priority, createdAt: at(createdAt), events };
  }
  return tickets;
}
