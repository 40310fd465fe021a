/**
 * `npm run bench:profile`: profiles `addBusinessTimeMany`, `evaluateMany` and the first use of a
 * year, on the built package, with `node --cpu-prof` (profiles in bench/.out/profiles/,
 * git-ignored; open them in Chrome DevTools or VS Code) and prints the top self-time functions.
 */
import { profile, type ProfileMode } from "./cpu-profile";

const modes = (
  process.argv.length > 2 ? process.argv.slice(2) : ["add", "evaluate", "metrics", "year"]
) as ProfileMode[];
const titles: Record<ProfileMode, string> = {
  add: "addBusinessTimeMany",
  evaluate: "evaluateMany",
  metrics: "evaluateMany, four metrics and two alert thresholds (nextAlertAt read)",
  year: "first use of a year",
};
for (const mode of modes) {
  const report = profile(mode, 15);
  console.log(`\n${titles[mode]}: ${report.samples} samples in ${report.windowMs.toFixed(0)} ms (${report.file})`);
  console.log(`  by who runs: ${report.breakdown.map((b) => `${b.label} ${b.percent.toFixed(1)} %`).join("; ")}`);
  for (const l of report.lines) {
    console.log(`${l.percent.toFixed(1).padStart(6)} %  ${l.ms.toFixed(0).padStart(6)} ms  ${l.fn}  ${l.where}`);
  }
}
