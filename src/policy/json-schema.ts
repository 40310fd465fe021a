/**
 * The JSON Schema of a PolicySpec, generated from the zod schema that definePolicy validates with.
 * Shipped as `sla-clock/schema/policy.json`; `sla-clock schema policy` prints it.
 *
 * Two fields are `z.custom` in zod because they also take objects JSON cannot carry (a `Calendar`,
 * a luxon `Duration`); for JSON their serialisable forms are written out here: the calendar is the
 * CalendarSpec schema (under `$defs`), a duration is milliseconds, an ISO-8601 duration or an object
 * of units.
 */
import { zodToJsonSchema } from "../util/zod";
import { calendarSpecJsonSchemaBody, JSON_SCHEMA_DRAFT } from "../calendar/json-schema";
import { calendarField, policySpecSchema } from "./spec";
import { durationSchema } from "./target";

const DURATION_UNITS = ["years", "quarters", "months", "weeks", "days", "hours", "minutes", "seconds", "milliseconds"];

const DURATION_JSON = {
  description: 'A duration: milliseconds, an ISO-8601 duration such as "PT2H", or an object such as { "hours": 2 }.',
  anyOf: [
    { type: "number", minimum: 0 },
    // As definePolicy reads a duration (through luxon): spaces around the text, a minus sign on each
    // part ("PT2H-30M"), a "T" with no time after it ("P1DT"), at least one digit, at most 20
    // digits an amount. A schema that refused them refused what definePolicy accepts; a negative
    // total is refused by definePolicy alone (see json-schema.md).
    {
      type: "string",
      pattern:
        "^\\s*-?P(?=[^\\s]*\\d)(?:-?\\d{1,20}(?:[.,]\\d{1,20})?[YMWD])*(?:T(?:-?\\d{1,20}(?:[.,]\\d{1,20})?[HMS])*)?\\s*$",
    },
    {
      type: "object",
      // No minimum per unit: definePolicy refuses a negative total, not a negative part.
      properties: Object.fromEntries(DURATION_UNITS.map((u) => [u, { type: "number" }])),
      additionalProperties: false,
    },
  ],
};

/**
 * The JSON Schema (draft 2020-12) of a PolicySpec whose calendar is a spec, as shipped in
 * `schema/policy.json`.
 *
 * @example
 * ```ts
 * const schema = policySpecJsonSchema();
 * schema["title"]; // "sla-clock PolicySpec"
 * ```
 * @internal
 */
export function policySpecJsonSchema(): Record<string, unknown> {
  const generated = zodToJsonSchema()(policySpecSchema(), {
    io: "input",
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema === calendarField()) Object.assign(ctx.jsonSchema, { $ref: "#/$defs/CalendarSpec" });
      else if (ctx.zodSchema === durationSchema()) Object.assign(ctx.jsonSchema, DURATION_JSON);
    },
  }) as Record<string, unknown>;
  delete generated["$schema"];
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: "sla-clock PolicySpec",
    description:
      "A support contract for sla-clock's definePolicy: a calendar, a priority table (most urgent first) and settings. definePolicy checks more than this schema can state (each priority once, durations that fit their target kind, the calendar's own checks): see docs/json-schema.md.",
    ...generated,
    $defs: calendarDefs(generated["$defs"] as object | undefined),
  };
}

/**
 * The policy's own `$defs` with the calendar schema as `CalendarSpec`, and the calendar schema's
 * named parts (`PlainCalendarSpec`, `DayHours`, …), which it refers to from the document's root,
 * beside them.
 */
function calendarDefs(own: object | undefined): Record<string, unknown> {
  const { $defs: calendarParts, ...calendar } = calendarSpecJsonSchemaBody();
  return { ...own, ...(calendarParts as object | undefined), CalendarSpec: calendar };
}
