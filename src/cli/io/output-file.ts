import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  createWriteStream,
  fchmodSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  open,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
  type WriteStream,
} from "node:fs";
import type { Readable } from "node:stream";
import { isatty } from "node:tty";
import { basename, dirname, join, resolve } from "node:path";
import { UsageError } from "../load";
import { onInterrupt, removeOnInterrupt } from "./cleanup";

/** Bytes an output stream buffers before a writer waits for it to drain. */
const OUTPUT_BUFFER_BYTES = 1024 * 1024;

/**
 * Which file a path or descriptor is: its device and inode, the same for every name of it (a hard
 * link, a symlink, `..` in the path).
 *
 * @example
 * ```ts
 * const id: FileIdentity = { dev: 2049, ino: 1234567 };
 * ```
 */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

/**
 * The input an output must not overwrite: its name for messages, its path when it has one, and the
 * identity of the opened file when it is one (a file given by path, or stdin redirected from a file).
 *
 * @example
 * ```ts
 * const input: GuardedInput = { name: "tickets.csv", path: "tickets.csv", identity: { dev: 2049, ino: 1234567 } };
 * ```
 */
export interface GuardedInput {
  readonly name: string;
  readonly path?: string | undefined;
  readonly identity?: FileIdentity | undefined;
  /**
   * The run's other input files, read before the output is opened: a `.json` policy or spec, a
   * `--columns` or `--priority-map` `.json`, `--closures` feeds. An output must not replace them
   * either.
   */
  readonly alsoRead?: readonly string[] | undefined;
}

/** The identity of the file at `path`, or undefined when there is none (read before, gone now). */
function identityOf(path: string): FileIdentity | undefined {
  try {
    const stat = statSync(path);
    return { dev: stat.dev, ino: stat.ino };
  } catch {
    return undefined;
  }
}

/**
 * Which input of `input` the file `target` (not opened yet; `stat` is its own, if it exists) or the
 * open file `stat` is, and how, or undefined when it is none of them.
 */
function clashWithInput(
  target: string | undefined,
  stat: Stats | undefined,
  input: GuardedInput,
): { name: string; how: string } | undefined {
  const sameIdentity = (id: FileIdentity | undefined): boolean =>
    stat !== undefined && id !== undefined && stat.dev === id.dev && stat.ino === id.ino;
  const samePath = (path: string | undefined): boolean =>
    target !== undefined && path !== undefined && resolve(path) === resolve(target);
  const through = " (the same file, through a link or another path)";
  if (samePath(input.path)) return { name: input.name, how: "" };
  // An input not opened as a stream (a spec read whole) is known by its path.
  const identity = input.identity ?? (input.path === undefined ? undefined : identityOf(input.path));
  if (sameIdentity(identity)) return { name: input.name, how: through };
  for (const path of input.alsoRead ?? []) {
    if (samePath(path)) return { name: path, how: "" };
    if (sameIdentity(identityOf(path))) return { name: path, how: through };
  }
  return undefined;
}

/**
 * Refuses standard output when it is a file this run reads (`sla-clock evaluate p t.csv >> t.csv`):
 * the rows written would be read again as new rows, without end, and `>` has already emptied the
 * input. Like `cat`'s "input file is output file". Nothing to check when stdout has no descriptor or
 * is not a regular file (a terminal, a pipe).
 *
 * @example
 * ```ts
 * refuseStdoutOnInput(process.stdout, { name: "tickets.csv", path: "tickets.csv" }); // UsageError for `>> tickets.csv`
 * ```
 */
export function refuseStdoutOnInput(stdout: unknown, input: GuardedInput): void {
  const fd = (stdout as { fd?: unknown } | null)?.fd;
  if (typeof fd !== "number") return;
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch {
    return;
  }
  if (!stat.isFile()) return;
  const clash = clashWithInput(undefined, stat, input);
  if (clash !== undefined)
    throw new UsageError(
      `standard output is the input file ${clash.name} (redirected onto it with > or >>); write the output elsewhere`,
    );
}

/**
 * The identity of the regular file an input stream reads: from its open descriptor (`fstat`), so it
 * is the file actually being read, whatever name it was opened by; `undefined` for a pipe, a
 * terminal or a stream without a descriptor.
 *
 * @example
 * ```ts
 * inputIdentity(createReadStream("tickets.csv", { fd: openSync("tickets.csv", "r") })); // { dev, ino }
 * ```
 */
export function inputIdentity(stream: Readable): FileIdentity | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd !== "number") return undefined;
  try {
    const stat = fstatSync(fd);
    return stat.isFile() ? { dev: stat.dev, ino: stat.ino } : undefined;
  } catch {
    return undefined;
  }
}

function errorCode(e: unknown): unknown {
  return (e as { code?: unknown }).code;
}

/**
 * A unique hidden name beside `path` (a temporary file, an old file moved aside). The target's name
 * is cut to 160 bytes of UTF-8 in it, at a character: with the suffix, a name of 244 bytes (which
 * the file system takes) made one longer than its limit of 255, and the output could not be
 * written at all.
 */
function besideName(path: string, kind: "tmp" | "old"): string {
  const characters = Array.from(basename(path));
  let bytes = Buffer.byteLength(basename(path));
  while (bytes > 160) bytes -= Buffer.byteLength(characters.pop() as string);
  return join(
    dirname(path),
    `.${characters.join("")}.sla-clock-${process.pid}-${randomBytes(4).toString("hex")}.${kind}`,
  );
}

/**
 * What a failed file operation means to a user ("no such file or directory", "permission denied"),
 * else the system's message.
 *
 * @example
 * ```ts
 * systemWords(Object.assign(new Error("x"), { code: "EACCES" })); // "permission denied"
 * ```
 * @internal
 */
export function systemWords(e: unknown): string {
  const code = errorCode(e);
  if (code === "ENOENT" || code === "ENOTDIR") return "no such file or directory";
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return e instanceof Error ? e.message : String(e);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if (errorCode(e) === "ENOENT") return undefined;
    throw e;
  }
}

/** Where writing to `path` really lands: symlinks followed, also a dangling one (its file is created). */
function finalPath(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync(current);
    } catch (e) {
      if (errorCode(e) !== "ENOENT") throw e;
    }
    let link: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return current;
      link = readlinkSync(current);
    } catch (e) {
      if (errorCode(e) !== "ENOENT") throw e;
      // The file does not exist yet: it is created in its folder (symlinks in the folder's path followed).
      return join(realpathSync(dirname(current)), basename(current));
    }
    current = resolve(dirname(current), link);
  }
  throw Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP" });
}

/**
 * An output file written safely: the bytes go to a temporary file beside the target, which is
 * renamed onto the target only when the output is complete ({@link OutputFile.commit}); on failure
 * or a signal it is removed ({@link OutputFile.discard}, {@link removeOnInterrupt}), so an existing
 * target is never left truncated or half written. Refuses, before anything is written, a target
 * that is the input itself (the same device and inode: also through a symlink or a hard link), a
 * folder, or a file that cannot be written. A symlinked target is written through (the file it
 * names is replaced); a target that is not a regular file (`/dev/null`, a FIFO) is written directly.
 *
 * @example
 * ```ts
 * const out = await OutputFile.open("report.html", "--html", { name: "tickets.csv", path: "tickets.csv" });
 * try { out.writeAll("<!doctype html>…"); out.commit(); } finally { out.discard(); }
 * ```
 */
export class OutputFile {
  /** The target as the user named it, for messages. */
  readonly target: string;
  /** Whether the target is a terminal (`--out /dev/tty`). */
  readonly isTerminal: boolean;
  readonly #temp: string | undefined;
  readonly #final: string;
  readonly #forget: () => void;
  #fd: number | undefined;
  #done = false;

  private constructor(target: string, final: string, temp: string | undefined, fd: number, forget: () => void) {
    this.target = target;
    this.#final = final;
    this.#temp = temp;
    this.#fd = fd;
    this.#forget = forget;
    this.isTerminal = temp === undefined && isatty(fd);
  }

  /**
   * Checks the target and opens the temporary file beside it. `flag` names the option in messages
   * (`--out`, `--html`). Throws `UsageError` when the target is the input, a folder, or cannot be
   * written.
   *
   * @example
   * ```ts
   * const out = await OutputFile.open("evaluated.csv", "--out", { name: "tickets.csv", identity: inputIdentity(stream) });
   * ```
   */
  static async open(target: string, flag: string, input: GuardedInput): Promise<OutputFile> {
    const cannot = (e: unknown) => new UsageError(`cannot write ${target}: ${systemWords(e)}`);
    let stat: Stats | undefined;
    try {
      stat = statOrUndefined(target);
    } catch (e) {
      throw cannot(e);
    }
    // `--out results/` names a folder: writing a file named "results" is not what was asked.
    if (/[/\\]$/.test(target) && stat?.isDirectory() !== true)
      throw new UsageError(`cannot write ${target}: a name ending in / names a folder; give a file name`);
    const clash = clashWithInput(target, stat, input);
    if (clash !== undefined)
      throw new UsageError(`${flag} ${target} is the input file ${clash.name}${clash.how}; write the output elsewhere`);
    if (stat?.isDirectory()) throw cannot(Object.assign(new Error("is a directory"), { code: "EISDIR" }));
    if (stat !== undefined && !stat.isFile()) {
      // A device or a FIFO: nothing there to replace or to leave half written; write to it directly.
      // Opened on libuv's thread pool: opening a FIFO waits for a reader, and on the main thread
      // that wait could not be interrupted (Ctrl-C and SIGTERM were never handled). The process
      // cannot exit while that open waits (the pool's threads are joined at exit), so an
      // interruption ends the wait by opening the read end for a moment.
      const release = stat.isFIFO()
        ? onInterrupt(() => {
            try {
              closeSync(openSync(target, constants.O_RDONLY | constants.O_NONBLOCK));
            } catch {
              // Nothing waits any more: nothing to end.
            }
            return undefined;
          })
        : () => undefined;
      try {
        const fd = await new Promise<number>((done, fail) => open(target, "w", (e, fd) => (e ? fail(e) : done(fd))));
        return new OutputFile(target, target, undefined, fd, () => undefined);
      } catch (e) {
        throw cannot(e);
      } finally {
        release();
      }
    }
    let final: string;
    let temp: string;
    let fd: number;
    try {
      // The existing file would be replaced, not written: still refuse one the user may not write.
      if (stat !== undefined) accessSync(target, constants.W_OK);
      final = finalPath(target);
      // Beside the target, so the rename stays on one file system and is atomic.
      temp = besideName(final, "tmp");
      fd = openSync(temp, "wx", 0o666);
    } catch (e) {
      throw cannot(e);
    }
    const forget = removeOnInterrupt(temp, `${target} was not written (a file already there is left as it was)`);
    try {
      // The replacement keeps the permissions of the file it replaces.
      if (stat !== undefined) fchmodSync(fd, stat.mode & 0o7777);
    } catch {
      // Not the owner: the new file gets the default permissions.
    }
    return new OutputFile(target, final, temp, fd, forget);
  }

  /**
   * A write stream on the file; the stream then owns the descriptor (it flushes it to disk and
   * closes it when it finishes). Await its end (`finished`) before {@link OutputFile.commit}.
   *
   * @example
   * ```ts
   * const stream = out.createStream();
   * stream.end("text"); await finished(stream); out.commit();
   * ```
   */
  createStream(): WriteStream {
    const fd = this.#fd;
    if (fd === undefined) throw new Error("the output file's stream was already created");
    this.#fd = undefined;
    // A buffer of 1 MiB rather than 16 KiB: a writer that waits for `drain` at every chunk would
    // leave the CPU idle while the disk writes; with room for a few chunks it keeps computing.
    return createWriteStream(this.#temp ?? this.target, {
      fd,
      flush: this.#temp !== undefined,
      highWaterMark: OUTPUT_BUFFER_BYTES,
    });
  }

  /**
   * Writes text (or UTF-8 bytes) after what was written before (before {@link OutputFile.commit}): the content at
   * once, or chunk by chunk (the file descriptor's position advances with each write).
   *
   * @example
   * ```ts
   * out.writeAll("<!doctype html>"); out.writeAll("<html>…</html>");
   * ```
   */
  writeAll(text: string | Uint8Array): void {
    if (this.#fd === undefined) throw new Error("the output file's descriptor belongs to its stream");
    try {
      writeFileSync(this.#fd, text);
    } catch (e) {
      throw new UsageError(`cannot write ${this.target}: ${systemWords(e)}`);
    }
  }

  /**
   * The output is complete: flush it to disk, close it and rename it onto the target.
   *
   * @example
   * ```ts
   * out.writeAll(html); out.commit();
   * ```
   */
  commit(): void {
    if (this.#done) return;
    try {
      if (this.#fd !== undefined) {
        if (this.#temp !== undefined) fsyncSync(this.#fd);
        closeSync(this.#fd);
        this.#fd = undefined;
      }
      if (this.#temp !== undefined) renameSync(this.#temp, this.#final);
    } catch (e) {
      this.discard();
      throw new UsageError(`cannot write ${this.target}: ${systemWords(e)}`);
    }
    this.#done = true;
    this.#forget();
  }

  /**
   * Commits several outputs as one, and removes `stale` files (an earlier output's that this one
   * does not replace): either every target becomes its new file and every stale file is gone, or,
   * when a rename fails part-way, the targets renamed so far are put back as they were and the
   * error is thrown. The old files are first moved aside beside their targets, then the new ones
   * renamed in, in one synchronous loop (no signal handler runs in between); the moved-aside files
   * are removed at the end. Each output must have been written in full (its stream finished).
   *
   * @example
   * ```ts
   * OutputFile.commitAll([meta, intervals], ["tables/sla_policy_target.csv"]);
   * ```
   */
  static commitAll(outs: readonly OutputFile[], stale: readonly string[] = []): void {
    const aside: { from: string; to: string }[] = [];
    const placed: string[] = [];
    const asideName = (path: string) => besideName(path, "old");
    try {
      for (const out of outs) {
        if (out.#done) continue;
        if (out.#fd !== undefined) {
          if (out.#temp !== undefined) fsyncSync(out.#fd);
          closeSync(out.#fd);
          out.#fd = undefined;
        }
      }
      const replaced = [...outs.filter((o) => o.#temp !== undefined && !o.#done).map((o) => o.#final), ...stale];
      for (const path of replaced) {
        // Only files are moved aside: anything else in a target's place makes its rename fail below.
        if (statOrUndefined(path)?.isFile() !== true) continue;
        const to = asideName(path);
        renameSync(path, to);
        aside.push({ from: path, to });
      }
      for (const out of outs) {
        if (out.#done || out.#temp === undefined) continue;
        renameSync(out.#temp, out.#final);
        placed.push(out.#final);
      }
    } catch (e) {
      // Put everything back as it was: the new files out, the old ones in.
      for (const path of placed) rmSync(path, { force: true });
      for (const { from, to } of aside.reverse()) {
        try {
          renameSync(to, from);
        } catch {
          // Left beside its target under the aside name: the message below names the failure.
        }
      }
      for (const out of outs) out.discard();
      throw new UsageError(`cannot write ${outs.map((o) => o.target).join(", ")}: ${systemWords(e)}`);
    }
    for (const { to } of aside) {
      try {
        rmSync(to, { force: true });
      } catch {
        // The new files are in place; an old one left under its aside name is only clutter.
      }
    }
    for (const out of outs) {
      if (out.#done) continue;
      out.#done = true;
      out.#forget();
    }
  }

  /**
   * The output is abandoned: close and remove the temporary file; the target stays as it was. Does
   * nothing after {@link OutputFile.commit}. (A stream from {@link OutputFile.createStream} must be
   * closed first.)
   *
   * @example
   * ```ts
   * try { out.writeAll(html); out.commit(); } finally { out.discard(); }
   * ```
   */
  discard(): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#fd !== undefined) {
      try {
        closeSync(this.#fd);
      } catch {
        // Already unusable: the file is removed below all the same.
      }
      this.#fd = undefined;
    }
    if (this.#temp !== undefined) rmSync(this.#temp, { force: true });
    this.#forget();
  }
}
