import { lazySchema } from "../util/zod";
import { alertsSchema, type AlertThreshold } from "./alerts";
import { Calendar } from "../calendar/calendar";
import { withoutNul, type AnyCalendarSpec } from "../calendar/spec";
import { targetSchema, type Target } from "./target";

import { METRIC_TABLE, METRICS, type Metric } from "./metrics";

export { METRICS, type Metric };

/**
 * A priority's identifier as it appears in the provider's table: `1`, `"P1"`, `"critical"`.
 * Numbers and their decimal strings name the same priority (`1` and `"1"`).
 *
 * @example
 * ```ts
 * const p: PriorityId = 3;
 * ```
 */
export type PriorityId = string | number;

/**
 * How a priority of a table whose ids are `P` may be written: the id, and a numeric id also as its
 * decimal text (`3` or `"3"`), as the clock reads it. For the open `PriorityId` this is any string or
 * number.
 *
 * @example
 * ```ts
 * const p: PriorityInput<1 | 2 | 3> = "2"; // and 1, 2, 3, "1", "3"; 4 or "x" do not compile
 * ```
 */
export type PriorityInput<P extends PriorityId = PriorityId> = P | (P extends number ? `${P}` : never);

/**
 * A priority argument `T` checked against a table whose ids are `P` where the compiler can know it:
 * a literal the table lacks does not compile (`{ priority: 9 }` on a 1–5 table: the message names the
 * table's priorities), while a plain `string` or `number` passes and is checked at run time
 * (`UNKNOWN_PRIORITY`).
 *
 * @example
 * ```ts
 * type A = KnownPriority<1 | 2, 2>; // 2
 * type B = KnownPriority<1 | 2, 9>; // { "is not a priority of this policy; its priorities are": 1 | 2 | "1" | "2" }
 * type C = KnownPriority<1 | 2, number>; // number
 * ```
 */
export type KnownPriority<P extends PriorityId, T> = string extends T
  ? T
  : number extends T
    ? T
    : T extends PriorityInput<P>
      ? T
      : { readonly "is not a priority of this policy; its priorities are": PriorityInput<P> };

/**
 * One row of a priority table: its labels and description (in the document's language and in
 * English) and a target per metric. A missing `resolution` target means none.
 *
 * @example
 * ```ts
 * const p1: PrioritySpec = {
 *   id: 1,
 *   label: "Prioritet 1",
 *   labelEn: "Priority 1",
 *   description: "Programvarutjänsten går ej att starta …",
 *   descriptionEn: "The software service cannot be started …",
 *   targets: { response: { kind: "business", duration: "PT2H" }, resolution: { kind: "endOfBusinessDay" } },
 * };
 * ```
 */
export interface PrioritySpec {
  readonly id: PriorityId;
  /** Label in the document's own language. */
  readonly label: string;
  /** English label. */
  readonly labelEn?: string;
  /** Description from the document, in its language. */
  readonly description?: string;
  /** English description. */
  readonly descriptionEn?: string;
  readonly targets: {
    readonly response: Target;
    readonly resolution?: Target;
    /** From each customer reply after the first response to the next agent reply (absent = none). */
    readonly nextReply?: Target;
    /** From each agent reply (and reopen) to the next agent reply while unresolved (absent = none). */
    readonly periodicUpdate?: Target;
  };
  /**
   * Where the document states each target (a clause, a section, a quoted line), for explanations
   * (`Policy.explain`); a metric left out falls back to the policy's `source`.
   */
  readonly clauses?: { readonly [M in Metric]?: string };
}

/**
 * A support contract as plain data: a calendar, a priority table ordered from the most urgent
 * priority to the least, and optional settings. Everything but a `Calendar` instance is
 * JSON-serialisable, so specs can live in a database or a config file. Build a {@link Policy} with
 * `definePolicy(spec)`.
 *
 * @example
 * ```ts
 * import { definePolicy } from "sla-clock";
 * const policy = definePolicy({
 *   id: "acme-gold",
 *   name: "ACME Gold",
 *   calendar: { zone: "America/New_York", weekly: { mon: [["09:00", "17:00"]], tue: [["09:00", "17:00"]] }, holidays: { country: "US" } },
 *   priorities: [
 *     { id: "P1", label: "Urgent", targets: { response: { kind: "business", duration: "PT1H" }, resolution: { kind: "endOfBusinessDay" } } },
 *     { id: "P2", label: "Normal", targets: { response: { kind: "business", duration: "PT8H" } } },
 *   ],
 * });
 * ```
 */
export interface PolicySpec {
  readonly id: string;
  readonly name: string;
  /** The opening hours the targets count in: a spec, or a `Calendar` (for example a preset's). */
  readonly calendar: AnyCalendarSpec | Calendar;
  /** The priority table, most urgent first. */
  readonly priorities: readonly PrioritySpec[];
  /** Fraction of a target used from which a running metric is "at risk". Default 0.75. */
  readonly atRiskThreshold?: number;
  /**
   * When a running metric should raise an alert before its deadline: fractions of the target
   * and leads such as `{ before: "PT1H" }` (see {@link AlertThreshold}). Default: the at-risk
   * fraction alone, `[atRiskThreshold]`. Evaluation reports each threshold's instant per metric
   * and each ticket's `nextAlertAt`.
   */
  readonly alerts?: readonly AlertThreshold[];
  /** Free text: what the policy is. */
  readonly description?: string;
  /** Where the terms come from (document and clause). */
  readonly source?: string;
}

/**
 * A spec or a `Calendar`; createCalendar checks a spec, with paths under `calendar.`. @internal
 */
export const calendarField = /* @__PURE__ */ lazySchema((z) =>
  z.custom<AnyCalendarSpec | Calendar>((v) => typeof v === "object" && v !== null && !Array.isArray(v), {
    error: "expected a calendar spec object or a Calendar",
  }),
);

/** The policy spec schema, built on first use (src/util/zod.ts). @internal */
export const policySpecSchema = /* @__PURE__ */ lazySchema((z) => {
  const text = (what: string, max = 2000) =>
    z
      .string({ error: `expected ${what} (a string)` })
      .check(z.maxLength(max, { error: `${what} is at most ${max} characters` }));

  const prioritySchema = z.strictObject({
    // (zod 4's classic `z.number().finite()` was this: z.number() takes finite numbers only.)
    // A priority id goes into the export's sla_policy_target, whose text cannot hold U+0000.
    id: z.union([z.string().check(z.minLength(1), z.maxLength(100), ...withoutNul(z, "a priority id")), z.number()], {
      error: "expected a priority id (string or number)",
    }),
    label: text("a label", 200),
    labelEn: z.optional(text("an English label", 200)),
    description: z.optional(text("a description")),
    descriptionEn: z.optional(text("an English description")),
    targets: z.strictObject(
      Object.fromEntries(
        METRICS.map((m) => [m, METRIC_TABLE[m].required ? targetSchema() : z.optional(targetSchema())]),
      ),
      { error: `expected targets: { ${METRICS.map((m) => (METRIC_TABLE[m].required ? m : `${m}?`)).join(", ")} }` },
    ),
    clauses: z.optional(
      z.strictObject(Object.fromEntries(METRICS.map((m) => [m, z.optional(text("a clause", 500))])), {
        error: `expected clauses: { ${METRICS.map((m) => `${m}?`).join(", ")} } (strings)`,
      }),
    ),
  });

  return z.strictObject(
    {
      id: z
        .string({ error: "expected an id (string)" })
        .check(
          z.minLength(1, { error: "the id must not be empty" }),
          z.maxLength(200, { error: "an id is at most 200 characters" }),
          ...withoutNul(z, "an id"),
        ),
      name: text("a name", 200),
      calendar: calendarField(),
      priorities: z.array(prioritySchema).check(z.minLength(1, { error: "list at least one priority" })),
      atRiskThreshold: z.optional(
        z
          .number({ error: "expected a number between 0 and 1" })
          .check(z.gt(0, { error: "must be greater than 0" }), z.lte(1, { error: "must be at most 1" })),
      ),
      alerts: z.optional(alertsSchema()),
      description: z.optional(text("a description")),
      source: z.optional(text("a source")),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? undefined : "expected a policy spec object") },
  );
});

/** Normalises a priority id to its lookup key (`1` and `"1"` are the same priority). @internal */
export function priorityKey(id: PriorityId): string {
  return typeof id === "number" ? String(id) : id.trim();
}
