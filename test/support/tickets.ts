/**
 * Random valid tickets for property tests: random steps walked through the ticket state machine.
 */
import fc from "fast-check";
import { getPolicy, type Policy, type Ticket, type TicketEvent } from "../../src/index";

const MIN = 60_000;
export const DAY = 86_400_000;
const FROM = Date.UTC(2025, 0, 1);
const TO = Date.UTC(2028, 0, 1);

export const policies: readonly Policy[] = [
  getPolicy("softone-se"),
  getPolicy("softone-fi"),
  getPolicy("trinax-attend"),
  getPolicy("moch-extended"),
];

export interface Step {
  readonly gap: number;
  readonly pick: number;
  readonly priority: number;
}

/** Turns random steps into a valid event list by walking the ticket's state machine. */
export function buildTicket(
  policy: Policy,
  createdAt: number,
  priority: number,
  steps: readonly Step[],
  withPauses = true,
): Ticket {
  const ids = policy.priorities.map((p) => p.id);
  let t = createdAt;
  let paused = false;
  let resolved = false;
  let responded = false;
  const events: TicketEvent[] = [];
  for (const step of steps) {
    t += step.gap;
    const options: TicketEvent["type"][] = ["priority"];
    if (!resolved) options.push("resolve");
    else options.push("reopen");
    if (!resolved && withPauses) options.push(paused ? "resume" : "pause");
    if (!responded) options.push("respond");
    const type = options[step.pick % options.length]!;
    if (type === "priority") events.push({ type, at: t, priority: ids[step.priority % ids.length]! });
    else events.push({ type, at: t });
    if (type === "pause") paused = true;
    if (type === "resume") paused = false;
    if (type === "resolve") {
      resolved = true;
      paused = false;
    }
    if (type === "reopen") resolved = false;
    if (type === "respond") responded = true;
  }
  return { id: "prop", priority: ids[priority % ids.length]!, createdAt, events };
}

export const step = fc.record({
  gap: fc.oneof(fc.integer({ min: 0, max: 3 * 60 * MIN }), fc.integer({ min: 0, max: 5 * DAY })),
  pick: fc.nat(),
  priority: fc.nat(),
});

export const scenario = fc.record({
  policy: fc.constantFrom(...policies),
  // Mostly today's years; sometimes before 1970, where instants are negative epoch ms (a "none"
  // marker of -1 once read as a real instant there and hid every breach).
  createdAt: fc.oneof(
    { arbitrary: fc.integer({ min: FROM, max: TO }), weight: 4 },
    { arbitrary: fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(1970, 0, 10) }), weight: 1 },
  ),
  priority: fc.nat(),
  steps: fc.array(step, { maxLength: 8 }),
  later: fc.integer({ min: 0, max: 40 * DAY }),
  later2: fc.integer({ min: 0, max: 10 * DAY }),
});

/**
 * `n` valid tickets spread over {@link policies} (each ticket's policy in `chosen`), sampled with
 * `seed`; every `longEvery`-th pick gets a longer event list (up to 32 steps). Ids are
 * `${idPrefix}-${seed}-${i}`.
 */
export function ticketsOverPolicies(
  n: number,
  seed: number,
  idPrefix: string,
  longEvery: number,
): { tickets: Ticket[]; chosen: Policy[] } {
  const rows = fc.sample(fc.tuple(scenario, fc.nat(), fc.array(step, { maxLength: 24 })), { numRuns: n, seed });
  const tickets: Ticket[] = [];
  const chosen: Policy[] = [];
  for (const [{ createdAt, priority, steps }, pick, more] of rows) {
    const policy = policies[pick % policies.length]!;
    const all = pick % longEvery === 0 ? [...steps, ...more] : steps;
    tickets.push({ ...buildTicket(policy, createdAt, priority, all), id: `${idPrefix}-${seed}-${tickets.length}` });
    chosen.push(policy);
  }
  return { tickets, chosen };
}
