/**
 * The JSON Schema of a CalendarSpec, generated from the zod schema that createCalendar validates
 * with (zod 4's `z.toJSONSchema`), so the two cannot drift apart. The package ships it as
 * `sla-clock/schema/calendar.json` (written by `npm run schema`; test/json-schema.test.ts fails when
 * the file is stale) and `sla-clock schema calendar` prints it.
 *
 * A JSON Schema validator checks the shape, the keys, the time and date patterns and the rules that
 * JSON Schema can state; createCalendar checks more (docs/json-schema.md lists what). A document the
 * schema refuses is always refused by createCalendar; the reverse does not hold.
 */
import { zodToJsonSchema } from "../util/zod";
import { calendarSchemas } from "./spec";

/** The draft every generated schema is written in. @internal */
export const JSON_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema";

/**
 * The CalendarSpec JSON Schema without `$schema` and title, for embedding (the policy schema does).
 *
 * @example
 * ```ts
 * const body = calendarSpecJsonSchemaBody(); // { anyOf: [plain calendar spec, combined calendar spec] }
 * ```
 * @internal
 */
export function calendarSpecJsonSchemaBody(): Record<string, unknown> {
  const generated = zodToJsonSchema()(calendarSchemas().anyCalendarSpecSchema, { io: "input" }) as Record<
    string,
    unknown
  >;
  delete generated["$schema"];
  return generated;
}

/**
 * The JSON Schema (draft 2020-12) of a CalendarSpec, as shipped in `schema/calendar.json`.
 *
 * @example
 * ```ts
 * const schema = calendarSpecJsonSchema();
 * schema["title"]; // "sla-clock CalendarSpec"
 * ```
 * @internal
 */
export function calendarSpecJsonSchema(): Record<string, unknown> {
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: "sla-clock CalendarSpec",
    description:
      "An opening-hour calendar for sla-clock's createCalendar. createCalendar checks more than this schema can state (a time zone and holiday country known to the runtime, sorted intervals, each date once, dates that exist): see docs/json-schema.md.",
    ...calendarSpecJsonSchemaBody(),
  };
}
