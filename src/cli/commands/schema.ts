import { calendarSpecJsonSchema } from "../../calendar/json-schema";
import { policySpecJsonSchema } from "../../policy/json-schema";

/** The specs that have a published JSON Schema. @internal */
export const SCHEMA_KINDS = ["calendar", "policy"] as const;

/**
 * The text of `schema/<kind>.json` and of `sla-clock schema <kind>`: the generated JSON Schema,
 * two-space indented, with a final newline.
 *
 * @example
 * ```ts
 * process.stdout.write(schemaFileText("calendar"));
 * ```
 * @internal
 */
export function schemaFileText(kind: (typeof SCHEMA_KINDS)[number]): string {
  const schema = kind === "calendar" ? calendarSpecJsonSchema() : policySpecJsonSchema();
  return `${JSON.stringify(schema, null, 2)}\n`;
}
