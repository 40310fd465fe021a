// A CommonJS consumer: the same deadline through require().
const { getPolicy } = require("sla-clock");

const due = getPolicy("softone-se").deadline("2026-04-02T11:00", { priority: 2 });
console.log(`cjs ${due.toISOString()}`);
