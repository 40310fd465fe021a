/**
 * Tickets whose reading runs caller code that throws (getters, Proxy traps): each must fail alone,
 * with `INVALID_TICKET`, in `evaluate`, `evaluateMany` and `evaluateAcross`.
 */

/** Throws, as the caller's code in these tickets does. */
export const boom = (): never => {
  throw new Error("boom");
};

/** One unreadable ticket per way of throwing, by name, created at `createdAt` (epoch ms). */
export function unreadableTickets(createdAt: number): Record<string, () => unknown> {
  return {
    "a throwing getter": () => ({
      priority: 1,
      createdAt,
      get id(): string {
        return boom();
      },
    }),
    "a throwing getter on an event": () => ({
      id: "getter-event",
      priority: 1,
      createdAt,
      events: [
        {
          type: "pause",
          get at(): number {
            return boom();
          },
        },
      ],
    }),
    "a Proxy whose traps throw": () =>
      new Proxy({ id: "proxy", priority: 1, createdAt }, { get: boom, ownKeys: boom, getPrototypeOf: boom, has: boom }),
    "a Proxy for its events": () => ({
      id: "proxy-events",
      priority: 1,
      createdAt,
      events: new Proxy([], { get: boom, getPrototypeOf: boom }),
    }),
    "a Date whose getTime is not a Date's": () => ({
      id: "fake-date",
      priority: 1,
      createdAt: new Proxy(new Date(createdAt), {}),
    }),
  };
}
