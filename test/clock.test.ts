/**
 * Hand-written ticket timelines for every rule of the ticket clock. Expected values were worked out
 * by hand on the 2026 calendars (softone-se: weekdays 08–12 and 13–16 Stockholm time, eves close
 * 13:00; trinax: weekdays 08–17).
 */
import { describe, expect, it } from "vitest";
import { SlaClockError, definePolicy, getPolicy, isBreached, remaining, type Ticket } from "../src/index";

const H = 3_600_000;
const at = (iso: string) => new Date(iso);
const softone = getPolicy("softone-se");

describe("pauses", () => {
  const ticket: Ticket = {
    id: "pause-weekend",
    priority: 2,
    createdAt: "2026-03-20T14:00", // Friday
    events: [
      { type: "pause", at: "2026-03-20T15:00" },
      { type: "resume", at: "2026-03-23T10:00" }, // Monday
    ],
  };

  it("never count paused business time: P2 (4 h) paused over a weekend", () => {
    const { response } = softone.evaluate(ticket, "2026-03-23T12:00");
    expect(response).toMatchObject({
      status: "running",
      measure: "business",
      targetMs: 4 * H,
      elapsed: 3 * H,
      remaining: H,
      fractionUsed: 0.75,
      atRisk: true,
      breachedAt: null,
    });
    expect(response.deadline).toEqual(at("2026-03-23T14:00+01:00")); // 12–13 is lunch
  });

  it("without the pause the same ticket breached on Monday at 10:00", () => {
    const { response } = softone.evaluate({ ...ticket, events: [] }, "2026-03-23T12:00");
    expect(response.status).toBe("breached");
    expect(response.breachedAt).toEqual(at("2026-03-23T10:00+01:00"));
  });

  it("move a calendar-time target by the paused calendar time (P3 resolution: 4 weeks, across DST)", () => {
    const { resolution } = softone.evaluate({ ...ticket, priority: 3 }, "2026-03-23T12:00");
    // Due 2026-04-17 14:00 (+02:00, wall time kept across the DST switch) plus 67 h paused.
    expect(resolution).toMatchObject({
      status: "running",
      measure: "calendar",
      targetMs: 671 * H,
      elapsed: 3 * H,
      remaining: 668 * H,
    });
    expect(resolution.deadline).toEqual(at("2026-04-20T09:00+02:00"));
  });

  it("make a breach while paused impossible; the deadline is projected from now", () => {
    const paused: Ticket = {
      id: "p",
      priority: 1,
      createdAt: "2026-04-01T09:00",
      events: [{ type: "pause", at: "2026-04-01T10:30" }],
    };
    const still = softone.evaluate(paused, "2026-04-07T09:00").response;
    expect(still).toMatchObject({
      status: "paused",
      elapsed: 1.5 * H,
      remaining: 0.5 * H,
      breachedAt: null,
      atRisk: true,
    });
    expect(still.deadline).toEqual(at("2026-04-07T09:30+02:00"));
    const resumed = softone.evaluate(
      { ...paused, events: [...paused.events!, { type: "resume", at: "2026-04-07T10:00" }] },
      "2026-04-07T11:00",
    );
    expect(resumed.response.breachedAt).toEqual(at("2026-04-07T10:30+02:00"));
  });

  it("pausing exactly at the deadline breaches only when the clock runs again", () => {
    const t: Ticket = {
      id: "edge",
      priority: 1,
      createdAt: "2026-04-01T09:00",
      events: [{ type: "pause", at: "2026-04-01T11:00" }],
    };
    expect(softone.evaluate(t, "2026-04-01T13:00").response).toMatchObject({
      status: "paused",
      remaining: 0,
      breachedAt: null,
    });
    const resumed = softone.evaluate(
      { ...t, events: [...t.events!, { type: "resume", at: "2026-04-01T14:00" }] },
      "2026-04-01T14:00",
    );
    expect(resumed.response.breachedAt).toEqual(at("2026-04-01T14:00+02:00"));
  });
});

describe("priority changes (000 §4: priority 3 'tilldelas även prioritet 1 och 2 ärenden, där en alternativ lösning kan tillhandahållas')", () => {
  it("an upgrade whose new target is already over breaches at the change, even with a reply at the same instant", () => {
    // Mon 2026-04-13, P2 (response 4 business hours) from 09:00: at 11:30 2.5 h are counted; the
    // priority goes to 1 (2 h) and the agent replies in the same update. The 2-hour deadline was
    // 11:00 (docs/semantics.md: over the new target, the metric breaches at the change).
    const events = (reply: string): Ticket => ({
      id: "upgrade",
      priority: 2,
      createdAt: "2026-04-13T09:00",
      events: [
        { type: "priority", at: "2026-04-13T11:30", priority: 1 },
        { type: "respond", at: reply },
      ],
    });
    const same = softone.evaluate(events("2026-04-13T11:30"), "2026-04-13T15:00").response;
    expect(same).toMatchObject({ status: "breached", elapsed: 2.5 * H, remaining: -0.5 * H });
    expect(same.breachedAt).toEqual(at("2026-04-13T11:30+02:00"));
    expect(same.alerts[0]!.at).toEqual(at("2026-04-13T11:30+02:00"));
    // Used up exactly at the change (P2 → P1 at 11:00, 2 h counted): a reply then meets it, as a stop at the deadline does.
    const exact = softone.evaluate(
      {
        ...events("2026-04-13T11:00"),
        events: [
          { type: "priority", at: "2026-04-13T11:00", priority: 1 },
          { type: "respond", at: "2026-04-13T11:00" },
        ],
      },
      "2026-04-13T15:00",
    ).response;
    expect(exact).toMatchObject({ status: "met", breachedAt: null });
    // Changed while paused: breached at the resume, even with a reply at that instant.
    const paused = softone.evaluate(
      {
        id: "paused",
        priority: 2,
        createdAt: "2026-04-13T09:00",
        events: [
          { type: "pause", at: "2026-04-13T11:30" },
          { type: "priority", at: "2026-04-13T12:00", priority: 1 },
          { type: "resume", at: "2026-04-13T14:00" },
          { type: "respond", at: "2026-04-13T14:00" },
        ],
      },
      "2026-04-13T15:00",
    ).response;
    expect(paused).toMatchObject({ status: "breached" });
    expect(paused.breachedAt).toEqual(at("2026-04-13T14:00+02:00"));
  });

  it("a 1 → 3 downgrade applies the 4-week target to the time counted since creation", () => {
    const t: Ticket = {
      id: "downgrade",
      priority: 1,
      createdAt: "2026-04-01T09:00",
      events: [
        { type: "respond", at: "2026-04-01T10:00" },
        { type: "priority", at: "2026-04-01T14:00", priority: 3 },
      ],
    };
    const e = softone.evaluate(t, "2026-04-02T10:00");
    expect(e.priority).toBe(3);
    // The response stopped under priority 1 and keeps its target.
    expect(e.response).toMatchObject({
      status: "met",
      elapsed: H,
      targetMs: 2 * H,
      stoppedBy: "respond",
      target: { kind: "business" },
    });
    expect(e.response.stoppedAt).toEqual(at("2026-04-01T10:00+02:00"));
    expect(e.resolution).toMatchObject({
      status: "running",
      measure: "calendar",
      targetMs: 672 * H,
      elapsed: 25 * H,
      remaining: 647 * H,
    });
    expect(e.resolution.deadline).toEqual(at("2026-04-29T09:00+02:00"));
    // Without the downgrade, "samma dag" was missed at 16:00.
    const kept = softone.evaluate({ ...t, events: [t.events![0]!] }, "2026-04-01T17:00");
    expect(kept.resolution.breachedAt).toEqual(at("2026-04-01T16:00+02:00"));
  });

  it("an upgrade whose target is already used up breaches at the change", () => {
    const t: Ticket = {
      id: "upgrade",
      priority: 3,
      createdAt: "2026-04-01T09:00",
      events: [{ type: "priority", at: "2026-04-02T10:00", priority: 1 }],
    };
    const e = softone.evaluate(t, "2026-04-02T11:00");
    expect(e.response.breachedAt).toEqual(at("2026-04-02T10:00+02:00"));
    expect(e.response.remaining).toBe(2 * H - 9 * H);
    expect(e.resolution.breachedAt).toEqual(at("2026-04-02T10:00+02:00")); // 8 h counted > 6 h to Wednesday's close
    expect(softone.evaluate(t, "2026-04-02T09:59:59.999").response.status).toBe("running");
  });

  it("an upgrade while paused breaches at the resume, not at the change", () => {
    const t: Ticket = {
      id: "upgrade-paused",
      priority: 3,
      createdAt: "2026-04-01T09:00",
      events: [
        { type: "pause", at: "2026-04-01T13:00" },
        { type: "priority", at: "2026-04-01T14:00", priority: 1 },
        { type: "resume", at: "2026-04-01T15:00" },
      ],
    };
    expect(softone.evaluate(t, "2026-04-01T14:30").response).toMatchObject({
      status: "paused",
      breachedAt: null,
      remaining: -H,
    });
    expect(softone.evaluate(t, "2026-04-01T15:00").response.breachedAt).toEqual(at("2026-04-01T15:00+02:00"));
  });

  it("a breach stands from its first instant while the new target is used up too, and no longer when it is not", () => {
    const t = (events: Ticket["events"]): Ticket => ({
      id: "rebreach",
      priority: 1,
      createdAt: "2026-04-01T09:00",
      events,
    });
    const still = softone.evaluate(t([{ type: "priority", at: "2026-04-01T15:00", priority: 2 }]), "2026-04-01T15:30");
    expect(still.response.breachedAt).toEqual(at("2026-04-01T11:00+02:00")); // 5 h counted ≥ 4 h
    const lifted = softone.evaluate(t([{ type: "priority", at: "2026-04-01T11:30", priority: 2 }]), "2026-04-01T11:45");
    expect(lifted.response).toMatchObject({ status: "running", breachedAt: null, remaining: 1.25 * H });
    const again = softone.evaluate(t([{ type: "priority", at: "2026-04-01T11:30", priority: 2 }]), "2026-04-01T15:00");
    expect(again.response.breachedAt).toEqual(at("2026-04-01T14:00+02:00"));
  });
});

describe("a priority change while paused, then resolve", () => {
  // Over the new target, a metric breaches at the resume if the change came while paused, even
  // when it stops at that instant (docs/concepts.md); a resolve ends the pause as a resume does,
  // so a resolve while still paused breaches there too, for every metric it stops.
  const weekdays: [string, string][] = [["08:00", "17:00"]];
  const policyOf = (kind: "business" | "calendar") => {
    const targets = (hours: number) => {
      const target = { kind, duration: `PT${hours}H` } as const;
      return { response: target, resolution: target, nextReply: target, periodicUpdate: target };
    };
    return definePolicy({
      id: `raised-while-paused-${kind}`,
      name: "Raised while paused",
      calendar: { zone: "UTC", weekly: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays } },
      priorities: [
        { id: 1, label: "urgent", targets: targets(2) },
        { id: 2, label: "normal", targets: targets(8) },
      ],
    });
  };
  /** P2 from Mon 09:00, paused at 12:00 (3 h counted), raised to P1 (2 h) at 13:00, then `end`. */
  const ticket = (start: Ticket["events"], end: Ticket["events"]): Ticket => ({
    id: "raised",
    priority: 2,
    createdAt: "2026-03-02T09:00Z",
    events: [
      ...(start ?? []),
      { type: "pause", at: "2026-03-02T12:00Z" },
      { type: "priority", at: "2026-03-02T13:00Z", priority: 1 },
      ...(end ?? []),
    ],
  });
  const resolveOnly = [{ type: "resolve" as const, at: "2026-03-02T14:00Z" }];
  const resumeAndResolve = [{ type: "resume" as const, at: "2026-03-02T14:00Z" }, ...resolveOnly];
  const breachedAtResolve = { status: "breached", breachedAt: at("2026-03-02T14:00Z"), elapsed: 3 * H, remaining: -H };

  it.each(["business", "calendar"] as const)("response and resolution (%s targets)", (kind) => {
    const policy = policyOf(kind);
    for (const end of [resolveOnly, resumeAndResolve]) {
      for (const explain of [false, true]) {
        const e = policy.evaluate(ticket([], end), "2026-03-03T12:00Z", { explain });
        expect(e.response, `${end.length} events, explain ${explain}`).toMatchObject(breachedAtResolve);
        expect(e.resolution, `${end.length} events, explain ${explain}`).toMatchObject(breachedAtResolve);
      }
    }
  });

  it.each(["business", "calendar"] as const)("nextReply and periodicUpdate cycles (%s targets)", (kind) => {
    const policy = policyOf(kind);
    // Answered at 09:00 (the response met; periodicUpdate starts), the customer replies at once (nextReply starts).
    const start = [
      { type: "respond" as const, at: "2026-03-02T09:00Z" },
      { type: "customerReply" as const, at: "2026-03-02T09:00Z" },
    ];
    for (const end of [resolveOnly, resumeAndResolve]) {
      const e = policy.evaluate(ticket(start, end), "2026-03-03T12:00Z");
      expect(e.response.status).toBe("met");
      for (const m of ["resolution", "nextReply", "periodicUpdate"] as const)
        expect(e[m], `${m}, ${end.length} events`).toMatchObject({ ...breachedAtResolve, breaches: 1 });
    }
  });
});

describe("respond, resolve and reopen", () => {
  const t: Ticket = {
    id: "reopened",
    priority: 2,
    createdAt: "2026-04-13T09:00", // Monday; "samma vecka" ends Friday 16:00 → 34 business hours
    events: [
      { type: "resolve", at: "2026-04-14T10:00" },
      { type: "reopen", at: "2026-04-15T08:00" },
    ],
  };

  it("resolution stops at resolve and keeps accumulating after reopen", () => {
    const resolved = softone.evaluate(t, "2026-04-14T12:00").resolution;
    expect(resolved).toMatchObject({ status: "met", elapsed: 8 * H, targetMs: 34 * H, stoppedBy: "resolve" });
    expect(resolved.stoppedAt).toEqual(at("2026-04-14T10:00+02:00"));
    const reopened = softone.evaluate(t, "2026-04-15T11:00").resolution;
    expect(reopened).toMatchObject({
      status: "running",
      elapsed: 11 * H,
      remaining: 23 * H,
      stoppedAt: null,
      stoppedBy: null,
    });
    expect(reopened.deadline).toEqual(at("2026-04-20T14:00+02:00"));
  });

  it("an unanswered response stops at resolve (and had breached at Monday 14:00)", () => {
    const { response } = softone.evaluate(t, "2026-04-15T11:00");
    expect(response).toMatchObject({ status: "breached", stoppedBy: "resolve", elapsed: 8 * H, remaining: -4 * H });
    expect(response.breachedAt).toEqual(at("2026-04-13T14:00+02:00"));
    expect(response.stoppedAt).toEqual(at("2026-04-14T10:00+02:00"));
  });

  it("a response exactly at the deadline is met; a millisecond later it breached at the deadline", () => {
    const base: Ticket = { id: "close", priority: 1, createdAt: "2026-04-01T14:00" };
    expect(
      softone.evaluate({ ...base, events: [{ type: "respond", at: "2026-04-01T16:00" }] }, "2026-04-01T17:00").response
        .status,
    ).toBe("met");
    const late = softone.evaluate(
      { ...base, events: [{ type: "respond", at: "2026-04-01T16:00:00.001" }] },
      "2026-04-01T17:00",
    ).response;
    expect(late.status).toBe("breached");
    expect(late.breachedAt).toEqual(at("2026-04-01T16:00+02:00"));
  });

  it("detects a breach of a ticket that is still open, also after the close (no business time passed)", () => {
    const open = softone.evaluate(
      { id: "open", priority: 1, createdAt: "2026-04-01T14:00" },
      "2026-04-01T16:30",
    ).response;
    expect(open).toMatchObject({ status: "breached", remaining: 0, elapsed: 2 * H, atRisk: false });
    expect(open.breachedAt).toEqual(at("2026-04-01T16:00+02:00"));
    const trinax = getPolicy("trinax-alert").evaluate(
      { id: 7, priority: 2, createdAt: "2026-04-02T16:30" },
      "2026-04-07T09:00",
    );
    expect(trinax.response).toMatchObject({ status: "breached", elapsed: 1.5 * H, remaining: -0.5 * H });
    expect(trinax.response.breachedAt).toEqual(at("2026-04-07T08:30+02:00"));
  });

  it("ignores events after now", () => {
    const e = softone.evaluate({ ...t, id: "future" }, "2026-04-13T10:00");
    expect(e.resolution).toMatchObject({ status: "running", elapsed: H, stoppedAt: null });
  });
});

describe("targets of kind none and options", () => {
  it("reports none for best effort (moch-extended P5) and for policies without resolution targets", () => {
    const e = getPolicy("moch-extended").evaluate(
      { id: 1, priority: 5, createdAt: "2026-04-01T09:00Z" },
      "2026-04-01T12:00Z",
    );
    expect(e.response).toMatchObject({
      status: "none",
      deadline: null,
      remaining: null,
      fractionUsed: null,
      breachedAt: null,
      elapsed: 3 * H,
    });
    expect(e.resolution.status).toBe("none");
  });

  it("takes an at-risk threshold per call", () => {
    const t: Ticket = { id: 2, priority: 2, createdAt: "2026-04-01T09:00" };
    expect(softone.evaluate(t, "2026-04-01T11:00").response.atRisk).toBe(false);
    expect(softone.evaluate(t, "2026-04-01T11:00", { atRiskThreshold: 0.5 }).response.atRisk).toBe(true);
  });

  it("offers remaining() and isBreached()", () => {
    const t: Ticket = { id: 3, priority: 2, createdAt: "2026-04-02T09:00" };
    expect(remaining(softone, t, "2026-04-02T10:00")).toBe(3 * H);
    expect(remaining(softone, t, "2026-04-02T10:00", "resolution")).toBe(2 * H); // "samma vecka" ends at the eve's 12:00 close
    expect(isBreached(softone, t, "2026-04-02T10:00")).toBe(false);
    expect(isBreached(softone, t, "2026-04-07T10:00", "response")).toBe(true); // Thu 3 h + Tue 08–09
    expect(isBreached(softone, t, "2026-04-02T12:00")).toBe(true); // resolution, at the eve's close
    expect(() => remaining(softone, t, "2026-04-02T10:00", "reply" as never)).toThrow(/is not a metric/);
  });
});

describe("bad tickets: a typed error naming the ticket and the event index", () => {
  const fail = (ticket: unknown, now: string = "2026-05-01T00:00") => {
    try {
      softone.evaluate(ticket as Ticket, now);
    } catch (e) {
      expect(e).toBeInstanceOf(SlaClockError);
      return e as SlaClockError;
    }
    throw new Error("expected an error");
  };
  const created = "2026-04-01T09:00";

  it.each<[string, unknown, string, number | undefined, string]>([
    [
      "an event before creation",
      { id: "A", priority: 1, createdAt: created, events: [{ type: "respond", at: "2026-04-01T08:00" }] },
      "INVALID_TICKET",
      0,
      "is before the ticket was created",
    ],
    [
      "events out of order",
      {
        id: "B",
        priority: 1,
        createdAt: created,
        events: [
          { type: "pause", at: "2026-04-01T11:00" },
          { type: "resume", at: "2026-04-01T10:00" },
        ],
      },
      "INVALID_TICKET",
      1,
      "events must be in time order",
    ],
    [
      "resume without pause",
      { id: "C", priority: 1, createdAt: created, events: [{ type: "resume", at: "2026-04-01T10:00" }] },
      "INVALID_TICKET",
      0,
      "resume without a pause",
    ],
    [
      "pause twice",
      {
        id: "D",
        priority: 1,
        createdAt: created,
        events: [
          { type: "pause", at: "2026-04-01T10:00" },
          { type: "pause", at: "2026-04-01T11:00" },
        ],
      },
      "INVALID_TICKET",
      1,
      "already paused",
    ],
    [
      "respond twice",
      {
        id: "E",
        priority: 1,
        createdAt: created,
        events: [
          { type: "respond", at: "2026-04-01T10:00" },
          { type: "respond", at: "2026-04-01T11:00" },
        ],
      },
      "INVALID_TICKET",
      1,
      "a second respond (the first is events[0])",
    ],
    [
      "resolve twice",
      {
        id: "F",
        priority: 1,
        createdAt: created,
        events: [
          { type: "resolve", at: "2026-04-01T10:00" },
          { type: "resolve", at: "2026-04-01T11:00" },
        ],
      },
      "INVALID_TICKET",
      1,
      "already resolved",
    ],
    [
      "reopen an open ticket",
      { id: "G", priority: 1, createdAt: created, events: [{ type: "reopen", at: "2026-04-01T10:00" }] },
      "INVALID_TICKET",
      0,
      "not resolved",
    ],
    [
      "pause a resolved ticket",
      {
        id: "H",
        priority: 1,
        createdAt: created,
        events: [
          { type: "resolve", at: "2026-04-01T10:00" },
          { type: "pause", at: "2026-04-01T11:00" },
        ],
      },
      "INVALID_TICKET",
      1,
      "resolved; reopen it first",
    ],
    [
      "an unknown event type",
      { id: "I", priority: 1, createdAt: created, events: [{ type: "escalate", at: "2026-04-01T10:00" }] },
      "INVALID_TICKET",
      0,
      'events[0].type: expected an event type: "pause"',
    ],
    [
      "a bad instant",
      { id: "J", priority: 1, createdAt: created, events: [{ type: "respond", at: "yesterday" }] },
      "INVALID_TICKET",
      0,
      "events[0].at",
    ],
    [
      "an unknown priority change",
      { id: "K", priority: 1, createdAt: created, events: [{ type: "priority", at: "2026-04-01T10:00", priority: 9 }] },
      "UNKNOWN_PRIORITY",
      0,
      "valid priorities are 1, 2, 3, 4, 5",
    ],
    [
      "an unknown initial priority",
      { id: "L", priority: "P1", createdAt: created },
      "UNKNOWN_PRIORITY",
      undefined,
      '"P1" is not a priority',
    ],
    ["a missing createdAt", { id: "M", priority: 1 }, "INVALID_TICKET", undefined, "createdAt"],
    [
      "an unknown key",
      { id: "N", priority: 1, createdAt: created, owner: "x" },
      "INVALID_TICKET",
      undefined,
      'unknown key "owner"',
    ],
    [
      "a priority event without a priority",
      { id: "Q", priority: 1, createdAt: created, events: [{ type: "priority", at: "2026-04-01T10:00" }] },
      "INVALID_TICKET",
      0,
      "a priority event needs the new priority",
    ],
    [
      "a priority on another event",
      { id: "R", priority: 1, createdAt: created, events: [{ type: "respond", at: "2026-04-01T10:00", priority: 2 }] },
      "INVALID_TICKET",
      0,
      'only "priority" events carry a priority',
    ],
    [
      "an event that is not an object",
      { id: "S", priority: 1, createdAt: created, events: ["respond"] },
      "INVALID_TICKET",
      0,
      "expected an event object",
    ],
  ])("%s", (_what, ticket, code, eventIndex, fragment) => {
    const e = fail(ticket);
    expect(e.code).toBe(code);
    expect(e.message).toContain(fragment);
    const id = (ticket as { id: string }).id;
    expect(e.message).toContain(`ticket ${id}`);
    expect(e.details.ticketId).toBe(id);
    expect(e.details.eventIndex).toBe(eventIndex);
  });

  it.each([
    [
      "an unreadable event instant",
      { id: "J", priority: 1, createdAt: created, events: [{ type: "respond", at: "yesterday" }] },
      "events[0].at",
    ],
    ["an unreadable createdAt", { id: "J2", priority: 1, createdAt: "garbage" }, "createdAt"],
    [
      "an event after 2200",
      { id: "J3", priority: 1, createdAt: created, events: [{ type: "pause", at: "2300-01-01T00:00" }] },
      "events[0].at",
    ],
  ])("%s: details.path names the field, as the message does", (_what, ticket, path) => {
    const e = fail(ticket);
    expect(e.details.path).toBe(path);
    expect(e.message).toContain(`ticket ${ticket.id}: ${path}: `);
    expect(e.message).not.toContain(`${path}: ${path}`);
    const batch = softone.evaluateMany([ticket as Ticket], "2026-04-05T00:00");
    expect(batch.failures[0]!.error.details.path).toBe(path);
  });

  it("rejects evaluating before the ticket existed, and a bad threshold", () => {
    expect(fail({ id: "O", priority: 1, createdAt: created }, "2026-03-01T00:00").code).toBe("INVALID_ARGUMENT");
    expect(() =>
      softone.evaluate({ id: "P", priority: 1, createdAt: created }, "2026-04-02T00:00", { atRiskThreshold: 2 }),
    ).toThrow(/atRiskThreshold/);
  });
});

describe("one ticket's result", () => {
  it("is its own when reading the ticket evaluates another (a getter calling evaluate)", () => {
    const other: Ticket = { id: "inner", priority: 4, createdAt: "2026-03-02T09:00" };
    let inner: ReturnType<typeof softone.evaluate> | undefined;
    const outer = {
      id: "outer",
      priority: 1,
      get createdAt() {
        inner = softone.evaluate(other, "2026-04-02T10:00");
        return "2026-04-02T09:00";
      },
    } as Ticket;
    const result = softone.evaluate(outer, "2026-04-02T10:00");
    expect(result).toEqual(
      softone.evaluate({ id: "outer", priority: 1, createdAt: "2026-04-02T09:00" }, "2026-04-02T10:00"),
    );
    expect(result.id).toBe("outer");
    expect(inner).toEqual(softone.evaluate(other, "2026-04-02T10:00"));
    expect(inner?.id).toBe("inner");
  });

  it("is the same object from evaluate and from evaluateMany, for every status and measure", () => {
    const tickets: Ticket[] = [
      { id: "running", priority: 2, createdAt: "2026-04-01T09:00" },
      {
        id: "paused",
        priority: 3,
        createdAt: "2026-04-01T09:00",
        events: [{ type: "pause", at: "2026-04-01T10:00" }],
      },
      {
        id: "met",
        priority: 1,
        createdAt: "2026-04-01T09:00",
        events: [
          { type: "respond", at: "2026-04-01T09:30" },
          { type: "resolve", at: "2026-04-01T10:00" },
        ],
      },
      { id: "breached", priority: 1, createdAt: "2026-03-02T09:00" },
      { id: 7, priority: 4, createdAt: "2026-03-02T09:00" },
    ];
    for (const policy of [softone, getPolicy("moch-extended"), getPolicy("trinax-alert")]) {
      const now = "2026-04-02T10:00";
      const usable = tickets.filter((t) => policy.priorities.some((p) => p.id === t.priority));
      const batch = policy.evaluateMany(usable, now);
      usable.forEach((t, i) => expect(batch.get(i)).toEqual(policy.evaluate(t, now)));
    }
  });
});
