// An ES module consumer: one deadline on a preset, printed as an ISO instant.
import { getPolicy } from "sla-clock";

const due = getPolicy("softone-se").deadline("2026-04-02T11:00", { priority: 2 });
console.log(`esm ${due.toISOString()}`);
