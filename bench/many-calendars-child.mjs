/* global process, URL */
// One measurement of bench/many-calendars.ts, in a process of its own. This entry is plain
// JavaScript on purpose: it loads the built package (dist/) with Node's own loader, and the
// benchmark's TypeScript through tsx's scoped `tsImport` only. Run as `node --import tsx`, tsx
// transformed dist/index.js too (it transforms every file outside node_modules) and, keeping
// function names, wrapped each closure the library creates in a `__name` call: the figures were of
// that transformed copy, not of the package as published (evaluateAcross, which sets up thousands
// of batches, paid most of it).
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

// SLA_CLOCK_DIST: another build's dist/ (an A/B comparison against a saved build of main).
const dist = process.env.SLA_CLOCK_DIST;
const entry = dist === undefined ? new URL("../dist/index.js", import.meta.url) : pathToFileURL(`${dist}/index.js`);
const sla = await import(entry.href);
const { applyThreads } = await tsImport("./huge-pages.ts", import.meta.url);
applyThreads(sla);
const { child } = await tsImport("./many-calendars.ts", import.meta.url);
const result = await child(sla, process.argv[2] ?? "build", process.argv[3]);
process.stdout.write(`${JSON.stringify(result)}\n`);
