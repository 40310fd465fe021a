/* global process */
// Preloaded into every cold-start child by bench/cold-start.ts: the process's CPU time (user +
// system, µs) as the last line of stderr at exit.
process.on("exit", () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\ncold-start-cpu-us ${user + system}\n`);
});
