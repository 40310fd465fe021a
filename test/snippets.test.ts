/**
 * Every TypeScript/JavaScript code block of README.md and docs/*.md (not the generated docs/api)
 * runs as written, and prints what its comments say.
 *
 * The conventions, for whoever writes a snippet:
 * - A block fenced as ```ts, ```typescript, ```js or ```javascript is run; other blocks (sh, json,
 *   csv, text) are not.
 * - A block that cannot run (it needs a file, a network, a terminal) is marked by an HTML comment on
 *   the line before its fence, `<!-- not-run: why -->`, with the reason. Nothing else skips a block.
 * - A block is complete: its imports are written out (`import … from "sla-clock"` resolves to
 *   `src/index.ts`, as in every test, so no build is needed) and it type-checks on its own.
 * - A value is claimed with `console.log(…); // → value` on the line where the statement ends, and
 *   what that call prints (as console.log formats it, objects on one line) must equal `value`.
 *   Anything after ` — ` in the comment is prose. A `// →` anywhere else fails the test, so a
 *   claimed value can never go unchecked.
 *
 * How: each block is written to a temporary directory inside the repository (so that vitest's
 * alias and node_modules resolve as they do for the tests), with each `console.log(` turned into a
 * call that records what it prints, and imported in-process; all blocks are type-checked together
 * with one TypeScript program.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { formatWithOptions } from "node:util";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUN_LANGUAGES = new Set(["ts", "typescript", "js", "javascript"]);
const ARROW = /\/\/\s*→/;

interface Block {
  /** `README.md:23`: the file and the line of the opening fence. */
  readonly where: string;
  readonly file: string;
  /** Line (1-based) of the block's first code line in its file. */
  readonly firstLine: number;
  readonly language: string;
  readonly code: string;
  /** The reason given in `<!-- not-run: … -->`, when the block is marked. */
  readonly notRun: string | undefined;
}

function markdownFiles(): string[] {
  const docs = readdirSync(join(root, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => join("docs", f));
  return ["README.md", ...docs];
}

/** The fenced code blocks of a Markdown file. */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), "utf8").split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const fence = open[2]!;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(fence)) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === "") before--;
    const marker = before >= 0 ? /^<!--\s*not-run:(.*)-->\s*$/.exec(lines[before]!.trim()) : null;
    blocks.push({
      where: `${file}:${i + 1}`,
      file,
      firstLine: i + 2,
      language: open[3]!.toLowerCase(),
      code: lines.slice(i + 1, end).join("\n"),
      notRun: marker === null ? undefined : marker[1]!.trim(),
    });
    i = end;
  }
  return blocks;
}

interface Claim {
  readonly line: number;
  readonly expected: string;
}

/**
 * The block with every `console.log(` replaced (same length of lines, so line numbers hold) by a
 * call recording what it prints under the claim's index, and the claims: the `// →` comment ending
 * each console.log statement. Throws when a `// →` comment is not such a claim.
 */
function instrument(block: Block): { code: string; claims: (Claim | undefined)[] } {
  const source = ts.createSourceFile("snippet.ts", block.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; text: string }[] = [];
  const claims: (Claim | undefined)[] = [];
  const claimed = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.getText(source) === "console.log"
    ) {
      let statement: ts.Node = node;
      while (!ts.isExpressionStatement(statement) && statement.parent !== undefined && !ts.isBlock(statement.parent))
        statement = statement.parent;
      const comment = ts
        .getTrailingCommentRanges(block.code, statement.end)
        ?.map((r) => block.code.slice(r.pos, r.end))
        .find((text) => ARROW.test(text));
      let claim: Claim | undefined;
      if (comment !== undefined) {
        const start = block.code.indexOf(comment, statement.end);
        claimed.add(start);
        const value = comment.replace(/^\/\/\s*→\s?/, "");
        const prose = value.indexOf(" — ");
        claim = {
          line: block.firstLine + source.getLineAndCharacterOfPosition(start).line,
          expected: (prose < 0 ? value : value.slice(0, prose)).trim(),
        };
      }
      edits.push({
        start: node.expression.getStart(source),
        end: node.arguments.pos,
        text: `globalThis.__snippetPrint(${claims.length}, `,
      });
      claims.push(claim);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const lines = block.code.split("\n");
  let offset = 0;
  for (const [i, line] of lines.entries()) {
    const at = line.search(ARROW);
    if (at >= 0 && !claimed.has(offset + at))
      throw new Error(
        `${block.file}:${block.firstLine + i}: a "// →" comment must end a console.log(…) statement, so that the value is checked`,
      );
    offset += line.length + 1;
  }
  let code = block.code;
  for (const edit of edits.sort((a, b) => b.start - a.start))
    code = code.slice(0, edit.start) + edit.text + code.slice(edit.end);
  return { code, claims };
}

const blocks = markdownFiles().flatMap(blocksOf);
const runnable = blocks.filter((b) => RUN_LANGUAGES.has(b.language) && b.notRun === undefined);
let dir: string;
const printed: { index: number; text: string }[] = [];

beforeAll(() => {
  mkdirSync(join(root, "test"), { recursive: true });
  dir = mkdtempSync(join(root, "test", ".snippets-"));
  (globalThis as { __snippetPrint?: unknown }).__snippetPrint = (index: number, ...args: unknown[]) => {
    printed.push({ index, text: formatWithOptions({ breakLength: Infinity }, ...args) });
  };
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  delete (globalThis as { __snippetPrint?: unknown }).__snippetPrint;
});

const fileName = (block: Block, suffix: string) =>
  `${block.where.replace(/[^\w]+/g, "_")}${suffix}.${block.language.startsWith("j") ? "js" : "ts"}`;

describe("the code blocks of README.md and docs/*.md", () => {
  it("exist, and every block marked not-run says why", () => {
    expect(runnable.length).toBeGreaterThan(10);
    const unexplained = blocks.filter((b) => b.notRun === "").map((b) => b.where);
    expect(unexplained).toEqual([]);
  });

  it.each(runnable.map((b) => [b.where, b] as const))("%s runs and prints what its comments say", async (_, block) => {
    const { code, claims } = instrument(block);
    const file = join(dir, fileName(block, ""));
    writeFileSync(file, code);
    printed.length = 0;
    try {
      await import(/* @vite-ignore */ pathToFileURL(file).href);
    } catch (e) {
      throw new Error(`${block.where}: the block throws: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const mismatches: string[] = [];
    for (const [index, claim] of claims.entries()) {
      if (claim === undefined) continue;
      const out = printed.filter((p) => p.index === index).map((p) => p.text);
      if (out.length === 0) mismatches.push(`${block.file}:${claim.line}: claims ${claim.expected}, nothing printed`);
      for (const text of out)
        if (text !== claim.expected)
          mismatches.push(`${block.file}:${claim.line}: claims ${claim.expected}\n  but prints ${text}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("type-check as written (imports included)", () => {
    const files = runnable.map((block) => {
      const file = join(dir, fileName(block, "-typed"));
      writeFileSync(file, `${block.code}\nexport {};\n`);
      return file;
    });
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    )!;
    const program = ts.createProgram(files, { ...config.options, noUnusedLocals: false, allowJs: true });
    // Only the snippets' own files are checked (src/ is type-checked by `tsc` in CI): the checker
    // then reads only the declarations they reach, where getPreEmitDiagnostics checked every file of
    // the program, src/ and the packages' types, to keep the snippets' diagnostics (8 s against 2 s).
    const problems = files
      .flatMap((file) => {
        const source = program.getSourceFile(file)!;
        return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      })
      .map((d) => {
        const block = runnable[files.indexOf(d.file!.fileName)]!;
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${block.file}:${block.firstLine + line}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(problems).toEqual([]);
  });
});

describe("the runner itself", () => {
  const block = (code: string): Block => ({
    where: "x.md:1",
    file: "x.md",
    firstLine: 2,
    language: "ts",
    code,
    notRun: undefined,
  });

  it("claims a value only on a console.log statement, and reads the value up to the prose", () => {
    const { code, claims } = instrument(
      block('console.log(1 + 1); // → 2 — two\nconsole.log(\n  "a",\n  "b",\n); // → a b\nconsole.log(3);'),
    );
    expect(claims).toEqual([{ line: 2, expected: "2" }, { line: 6, expected: "a b" }, undefined]);
    expect(code.split("\n")).toHaveLength(6);
    expect(code).not.toContain("console.log");
    expect(() => instrument(block("const x = 1; // → 1"))).toThrow(/must end a console\.log/);
  });

  it("finds blocks, their languages and not-run markers", () => {
    const file = relative(root, join(dir, "sample.md"));
    writeFileSync(
      join(root, file),
      "# t\n\n```ts\nconsole.log(1);\n```\n\n<!-- not-run: needs a file -->\n\n```js\nx();\n```\n\n```sh\nls\n```\n",
    );
    expect(blocksOf(file).map((b) => [b.language, b.notRun, b.firstLine])).toEqual([
      ["ts", undefined, 4],
      ["js", "needs a file", 10],
      ["sh", undefined, 14],
    ]);
  });
});
