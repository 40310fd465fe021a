/**
 * Keeps the replay helper thread (src/clock/replay-threads.ts) of a test process for the whole run
 * (vitest `setupFiles`). In a test it loads the TypeScript sources through tsx, which costs seconds
 * of CPU each time it starts; with the library's idle exit (10 s without a job) it started again
 * for nearly every file with a large batch, and the suite took about 25 s longer on this 2-core
 * machine. The thread does not keep the process alive either way (it is unref'd).
 */
import { setHelperIdleExit } from "../../src/clock/replay-threads";

setHelperIdleExit(10 * 60_000);
