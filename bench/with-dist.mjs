/* global process, URL */
// Runs a benchmark script (TypeScript, through tsx's scoped `tsImport`) with the built package
// (dist/) loaded by Node's own loader first and handed over on `globalThis.__slaClockDist`:
//
//   node --expose-gc bench/with-dist.mjs bench/run.ts [args…]
//
// Run as `node --import tsx bench/run.ts`, tsx transformed dist/index.js too (it transforms every
// file outside node_modules) and, keeping function names, wrapped each closure the library creates
// in a `__name` call: the figures were of that transformed copy, not of the package as published
// (bench/many-calendars-child.mjs found it first; there it cost a third of a call's CPU time).
// `import()` from a module that tsImport loaded would be transformed again, hence the hand-over.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const [script, ...rest] = process.argv.slice(2);
if (script === undefined) throw new Error("usage: node bench/with-dist.mjs <script.ts> [args…]");
// SLA_CLOCK_DIST: another build's dist/ (an A/B comparison against a saved build), as in
// bench/many-calendars-child.mjs.
const dist = process.env.SLA_CLOCK_DIST;
const entry = dist === undefined ? new URL("../dist/index.js", import.meta.url) : pathToFileURL(`${dist}/index.js`);
globalThis.__slaClockDist = await import(entry.href);
const path = resolve(script);
process.argv = [process.argv[0], path, ...rest];
await tsImport(pathToFileURL(path).href, import.meta.url);
