import { exitCleanlyOnSignals } from "./io/cleanup";
import { runCli } from "./program";

// The `sla-clock` executable: run, then let pending output flush before exiting.

// The reader of stdout went away (`sla-clock evaluate … | head`): stop quietly, as Unix tools do,
// instead of dying on an unhandled EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
  process.stderr.write(`sla-clock: cannot write to stdout: ${error.message}\n`);
  process.exit(2);
});

// SIGINT/SIGTERM/SIGHUP: remove the unfinished output and the spool of stdin, say so, exit 130/143/129.
exitCleanlyOnSignals(process, process.stderr);

runCli(process.argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `sla-clock: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 3;
  },
);
