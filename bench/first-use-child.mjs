/* global process, URL */
// The first uses of a year of bench/first-use.ts, in a process of its own on the built package
// (dist/, loaded by Node's own loader; the benchmark's TypeScript through tsx's scoped `tsImport`).
// In the benchmark's own process they were timed on the sources through tsx (which wraps the
// library's closures in `__name` calls) and beside the earlier sections' million-element arrays,
// whose collections landed in the slowest first uses. Prints the figures as one JSON line.
//
//   node --expose-gc bench/first-use-child.mjs [rounds]
import { tsImport } from "tsx/esm/api";

const sla = await import(new URL("../dist/index.js", import.meta.url).href);
const { timeFirstUses } = await tsImport("./first-use.ts", import.meta.url);
const rounds = Number(process.argv[2] ?? 10);
const spec = sla.getCalendar("softone-se").spec;
// A chunk built is the process-wide index budget's bytes growing (dist/ keeps the index private).
const chunkBytes = () => sla.configureCaches().indexBytes.size;
const figures = timeFirstUses(sla, spec, rounds, chunkBytes, true);
process.stdout.write(`${JSON.stringify(figures)}\n`);
