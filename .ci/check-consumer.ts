/**
 * `npm run check:consumer`: the package as a new user gets it. Packs the tarball (`npm pack`, which
 * builds through `prepack`), installs it into a temporary copy of .ci/consumer/ (a strict
 * TypeScript project that does not depend on @types/luxon itself), and runs there:
 *
 * - tsc with moduleResolution node16 and bundler, each with and without skipLibCheck (one install
 *   for all four), and node16 with TypeScript 5.0, the oldest supported; the fixture's `@ts-expect-error` lines are wrong inputs that must not compile;
 * - a scan of every export's type, through the compiler API, for `any` (no public type may be
 *   `any`: an untyped import degrades silently under skipLibCheck);
 * - an ES module import and a CommonJS require that compute a deadline on a preset;
 * - a browser bundle (esbuild, platform browser: the `browser` export condition, dist/browser/,
 *   which imports zod statically) run with Node's require taken away, as in a browser;
 * - a server bundle (esbuild, platform node) run from a folder without node_modules: without the
 *   `browser` condition zod cannot be loaded and the error says so and what to do; with it, it runs;
 * - the `sla-clock` bin (`npx sla-clock policies`), and `evaluate --jobs 3` (worker threads from the
 *   installed dist/cli-worker.js) writing what `--jobs 1` writes.
 *
 * The temporary directory is removed on success and kept (its path printed) on failure.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FIXTURE = join(ROOT, ".ci", "consumer");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
/** The oldest TypeScript the types support, installed into a folder of its own (its `tsc` bin would shadow ours). */
const TYPESCRIPT_OLDEST = "5.0.4";
/** softone-se, priority 2 (4 business hours), from Skärtorsdagen 11:00: Tuesday after Easter. */
const EXPECTED_DUE = "2026-04-07T09:00:00.000Z";
const NPM = "npm";
const NPX = "npx";

const work = mkdtempSync(join(tmpdir(), "sla-clock-consumer-"));
const project = join(work, "project");
let failed = false;

function run(label: string, command: string, args: string[], cwd: string): string {
  const started = Date.now();
  // npm and npx are .cmd scripts on Windows, which Node spawns only through a shell.
  const r = spawnSync(command, args, { cwd, encoding: "utf8", shell: process.platform === "win32" });
  const took = `${((Date.now() - started) / 1000).toFixed(1)}s`;
  if (r.status !== 0) {
    failed = true;
    console.error(`✗ ${label} (${took}, exit ${String(r.status)})\n${r.stdout}${r.stderr}`);
    return "";
  }
  console.log(`✓ ${label} (${took})`);
  return r.stdout;
}

function expectLine(label: string, output: string, line: string): void {
  if (output.split(/\r?\n/).includes(line)) return;
  failed = true;
  console.error(`✗ ${label}: expected the line "${line}", got:\n${output}`);
}

/** Paths to `any` inside the types of the package's exports, as seen from `entry`. */
function anyInExports(tsconfig: string, entry: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfig,
    { skipLibCheck: true },
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry)!;
  const importDecl = source.statements.find(
    (s): s is ts.ImportDeclaration =>
      ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === "sla-clock",
  );
  if (importDecl === undefined) throw new Error(`${entry} does not import "sla-clock"`);
  const moduleSymbol = checker.getSymbolAtLocation(importDecl.moduleSpecifier);
  if (moduleSymbol === undefined) return ['"sla-clock" does not resolve to typed module'];
  const ownFiles = (t: ts.Type) =>
    (t.aliasSymbol ?? t.getSymbol())?.declarations?.some((d) => d.getSourceFile().fileName.includes("/sla-clock/")) ??
    false;

  const found: string[] = [];
  const seen = new Set<ts.Type>();
  const visit = (t: ts.Type, path: string, depth: number): void => {
    if (t.flags & ts.TypeFlags.Any) {
      found.push(path);
      return;
    }
    if (seen.has(t) || depth > 12) return;
    seen.add(t);
    if (t.isUnionOrIntersection()) {
      t.types.forEach((m, i) => visit(m, `${path}|${i}`, depth + 1));
      return;
    }
    // Other packages' types (Date, Map, luxon's DateTime) are checked for `any` but not entered.
    if (depth > 0 && !ownFiles(t)) return;
    for (const s of [...t.getCallSignatures(), ...t.getConstructSignatures()]) {
      for (const p of s.getParameters()) visit(checker.getTypeOfSymbol(p), `${path}(${p.name})`, depth + 1);
      visit(s.getReturnType(), `${path}()`, depth + 1);
    }
    if (t.flags & ts.TypeFlags.Object) {
      for (const p of t.getProperties()) {
        // Declaration emit writes `#private` fields and `private` members without their types, as
        // `any`: they are not part of what a consumer can use.
        // A generic class's `prototype` is typed with `any` type arguments by the compiler itself
        // (`typeof Policy.prototype` is `Policy<any>`); instances are typed by the class's own type.
        const hidden =
          p.name.startsWith("#") ||
          (p.name === "prototype" && (p.flags & ts.SymbolFlags.Prototype) !== 0) ||
          (p.valueDeclaration !== undefined &&
            ts.getCombinedModifierFlags(p.valueDeclaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
        if (!hidden) visit(checker.getTypeOfSymbol(p), `${path}.${p.name}`, depth + 1);
      }
      for (const arg of checker.getTypeArguments(t as ts.TypeReference) ?? []) visit(arg, `${path}<>`, depth + 1);
    }
  };
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (symbol.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias))
      visit(checker.getDeclaredTypeOfSymbol(symbol), exported.name, 0);
    if (symbol.flags & ts.SymbolFlags.Value) visit(checker.getTypeOfSymbol(symbol), exported.name, 0);
  }
  return found;
}

try {
  // The tarball is the only file in the fresh directory (prepack's build output shares stdout with
  // npm pack's own, so the directory is read rather than the output parsed).
  run("npm pack (prepack builds dist/)", NPM, ["pack", "--pack-destination", work], ROOT);
  const tarballs = readdirSync(work).filter((f) => f.endsWith(".tgz"));
  if (failed || tarballs.length !== 1) throw new Error(`npm pack made ${tarballs.length} tarballs in ${work}`);
  const tarball = join(work, tarballs[0]!);
  cpSync(FIXTURE, project, { recursive: true });
  run(
    "npm install <tarball> into the consumer fixture",
    NPM,
    ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"],
    project,
  );
  if (failed) throw new Error("install failed");

  for (const resolution of ["node16", "bundler"]) {
    for (const skipLibCheck of ["false", "true"]) {
      run(
        `tsc, moduleResolution ${resolution}, skipLibCheck ${skipLibCheck}`,
        process.execPath,
        [TSC, "-p", `tsconfig.${resolution}.json`, "--skipLibCheck", skipLibCheck],
        project,
      );
    }
  }
  // TypeScript 5.0: the types name no generic typed arrays (Float64Array<ArrayBuffer>, 5.7 and later).
  const oldest = join(work, "typescript-oldest");
  writeFileSync(join(work, "package.json"), "{}\n");
  run(
    `install typescript@${TYPESCRIPT_OLDEST}`,
    NPM,
    ["install", `typescript@${TYPESCRIPT_OLDEST}`, "--prefix", oldest, "--prefer-offline", "--no-audit", "--no-fund"],
    work,
  );
  run(
    `tsc ${TYPESCRIPT_OLDEST} (the oldest supported), moduleResolution node16, skipLibCheck false`,
    process.execPath,
    [join(oldest, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.node16.json", "--skipLibCheck", "false"],
    project,
  );
  for (const [tsconfig, entry] of [
    ["tsconfig.bundler.json", "types.ts"],
    ["tsconfig.node16.json", "types.ts"],
  ] as const) {
    const anys = anyInExports(join(project, tsconfig), join(project, entry));
    if (anys.length === 0) console.log(`✓ no export's type contains any (${tsconfig}, skipLibCheck true)`);
    else {
      failed = true;
      console.error(`✗ exports whose types contain any (${tsconfig}):\n  ${anys.join("\n  ")}`);
    }
  }

  expectLine(
    "ESM import",
    run("ESM import (node esm.mjs)", process.execPath, ["esm.mjs"], project),
    `esm ${EXPECTED_DUE}`,
  );
  expectLine(
    "CJS require",
    run("CJS require (node cjs.cjs)", process.execPath, ["cjs.cjs"], project),
    `cjs ${EXPECTED_DUE}`,
  );
  // The browser app's bundle; date-holidays comes from sla-clock's own dependencies in the install.
  await build({
    entryPoints: [join(project, "browser.mjs")],
    outfile: join(project, "browser.bundle.mjs"),
    bundle: true,
    format: "esm",
    platform: "browser",
    logLevel: "error",
  });
  const browser = run(
    "browser bundle (esbuild --platform=browser), run without a Node require",
    process.execPath,
    ["--input-type=module", "-e", 'process.getBuiltinModule = undefined; await import("./browser.bundle.mjs");'],
    project,
  );
  expectLine("browser bundle, bad input", browser, "browser INVALID_CALENDAR_SPEC weekly.mon[0][0]");
  expectLine(
    "browser bundle, a message zod words itself",
    browser,
    "browser closedDates: Invalid input: expected array, received number",
  );
  expectLine("browser bundle, custom calendar", browser, "browser 2026-03-02T13:00:00.000Z");
  expectLine("browser bundle, preset", browser, `browser ${EXPECTED_DUE}`);
  // A server bundle (platform node) shipped without node_modules: zod cannot be loaded; the error
  // must name the cause and the fix, not call the spec unreadable. With the browser condition it runs.
  const shipped = join(work, "shipped");
  for (const [name, conditions] of [
    ["server.plain.mjs", []],
    ["server.browser-condition.mjs", ["browser"]],
  ] as const) {
    await build({
      entryPoints: [join(project, "server.mjs")],
      outfile: join(shipped, name),
      bundle: true,
      format: "esm",
      platform: "node",
      conditions: [...conditions],
      logLevel: "error",
    });
  }
  expectLine(
    "server bundle without node_modules",
    run("server bundle (esbuild --platform=node), shipped alone", process.execPath, ["server.plain.mjs"], shipped),
    "server MissingDependencyError - advice",
  );
  expectLine(
    "server bundle with the browser condition",
    run(
      "server bundle (esbuild --platform=node --conditions=browser), shipped alone",
      process.execPath,
      ["server.browser-condition.mjs"],
      shipped,
    ),
    "server 2026-03-02T13:00:00.000Z",
  );
  const policies = run("bin (npx sla-clock policies)", NPX, ["--no", "sla-clock", "policies"], project);
  if (!policies.includes("softone-se")) {
    failed = true;
    console.error(`✗ sla-clock policies does not list softone-se:\n${policies}`);
  }
  // The parallel evaluate starts its workers from dist/cli-worker.js of the installed package: 10 000
  // rows are three parcels; the output must be the one-thread output, byte for byte.
  const rows = ["id,priority,created_at,responded_at,resolved_at,pauses,priority_changes"];
  for (let i = 0; i < 10_000; i++)
    rows.push(
      `C-${i},${1 + (i % 5)},2026-03-${String(2 + (i % 27)).padStart(2, "0")}T${String(7 + (i % 11)).padStart(2, "0")}:20,${i % 3 === 0 ? "2026-03-30T09:00" : ""},,,`,
    );
  writeFileSync(join(project, "tickets.csv"), `${rows.join("\n")}\n`);
  const evaluate = (jobs: string, out: string) =>
    run(
      `bin (npx sla-clock evaluate --jobs ${jobs})`,
      NPX,
      [
        "--no",
        "sla-clock",
        "evaluate",
        "softone-se",
        "tickets.csv",
        "--now",
        "2026-04-01T00:00Z",
        "--jobs",
        jobs,
        "--out",
        out,
      ],
      project,
    );
  evaluate("1", "one.csv");
  evaluate("3", "three.csv");
  const one = readFileSync(join(project, "one.csv"), "utf8");
  if (one.split("\n").length !== 10_002 || readFileSync(join(project, "three.csv"), "utf8") !== one) {
    failed = true;
    console.error("✗ sla-clock evaluate --jobs 3 did not write what --jobs 1 wrote (10 000 rows)");
  }
} catch (e) {
  failed = true;
  console.error(e instanceof Error ? e.message : e);
}

if (failed) {
  console.error(`\nconsumer check FAILED; the project is kept in ${project}`);
  process.exit(1);
}
rmSync(work, { recursive: true, force: true });
console.log("consumer check passed");
