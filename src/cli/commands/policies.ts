import { describeTarget } from "../../policy/target";
import { listPolicies, getPolicy } from "../../presets/registry";
import { textTable } from "../format";

/**
 * `sla-clock policies`: every preset with its calendar and its targets per priority.
 *
 * @example
 * ```ts
 * process.stdout.write(policiesTable());
 * ```
 */
export function policiesTable(): string {
  const rows: string[][] = [];
  for (const summary of listPolicies()) {
    const policy = getPolicy(summary.id);
    for (const p of policy.priorities) {
      rows.push([
        summary.id,
        summary.calendarId,
        String(p.id),
        p.labelEn ?? p.label,
        describeTarget(p.targets.response),
        describeTarget(p.targets.resolution),
      ]);
    }
  }
  const names = listPolicies()
    .map((p) => `  ${p.id.padEnd(15)} ${p.name}`)
    .join("\n");
  return `${names}\n\n${textTable(["policy", "calendar", "priority", "label", "response", "resolution"], rows)}\n`;
}
