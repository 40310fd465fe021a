/**
 * One process of the four-metric scenario's calls in new memory (bench/metrics-scenario.ts,
 * `pageFigures`): `node --expose-gc bench/with-dist.mjs bench/metrics-child.ts <tickets> <seed>`,
 * which loads the built package (dist/) with Node's own loader. Prints what it measured as JSON.
 */
import { applyThreads } from "./huge-pages";
import { newMemoryCalls } from "./metrics-scenario";

type Sla = typeof import("../src/index");
const sla = (globalThis as { __slaClockDist?: Sla }).__slaClockDist;
const gc = (globalThis as { gc?: () => void }).gc;
if (sla === undefined || gc === undefined) throw new Error("run with node --expose-gc bench/with-dist.mjs");
const [n = "1000000", seed = "7"] = process.argv.slice(2);
applyThreads(sla);
const figure = await newMemoryCalls(sla, gc, Number(n), Number(seed));
process.stdout.write(`${JSON.stringify(figure)}\n`);
