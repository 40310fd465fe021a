import { Readable, Writable } from "node:stream";
import { runCli } from "../../src/cli/program";

/** A writable that keeps what is written to it, as the CLI's stdout or stderr in a test. */
export class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Runs `sla-clock <args>` in this process (the CLI's own entry point, minus `process.exit`), with
 * `stdin` as its input, and returns its exit code and what it printed.
 */
export async function cli(
  args: string[],
  options: { stdin?: string; stdout?: Capture; stderr?: Capture } = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = options.stdout ?? new Capture();
  const stderr = options.stderr ?? new Capture();
  const code = await runCli(["node", "sla-clock", ...args], {
    stdin: Readable.from([options.stdin ?? ""]),
    stdout,
    stderr,
  });
  return { code, out: stdout.text, err: stderr.text };
}
