/**
 * Writes the published JSON Schemas, schema/calendar.json and schema/policy.json, from the zod
 * schemas (`npm run schema`). The files are committed so that they can be linked and read in the
 * repository; test/json-schema.test.ts fails when one differs from what this would write.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { schemaFileText } from "../src/cli/commands/schema";

for (const kind of ["calendar", "policy"] as const) {
  const file = fileURLToPath(new URL(`../schema/${kind}.json`, import.meta.url));
  writeFileSync(file, schemaFileText(kind));
  console.log(`wrote ${file}`);
}
