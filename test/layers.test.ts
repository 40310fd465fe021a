/**
 * The folders of src/ are layers, and dependencies point one way:
 * time/ <- calendar/ <- policy/, warehouse/ <- clock/ <- presets/ <- contracts/, cli/ (errors.ts and util/
 * below them all, index.ts above). A folder that is not a known layer (such as the former src/sla/)
 * fails too, so a new floor is a decision made here, not by accident.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

/** The rank of each layer: a module may import from its own layer or a lower one. */
const RANK: Readonly<Record<string, number>> = {
  "errors.ts": 0,
  util: 0,
  time: 1,
  calendar: 2,
  policy: 3,
  warehouse: 3,
  clock: 4,
  presets: 5,
  contracts: 6,
  cli: 6,
  "index.ts": 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The layer a file of src/ belongs to: its top folder, or its name for a top-level file. */
function layerOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0] as string;
}

describe("layers of src/", () => {
  const files = sourceFiles(SRC);

  it("knows every top-level folder and file of src/", () => {
    const unknown = [...new Set(files.map(layerOf))].filter((layer) => !(layer in RANK));
    expect(unknown).toEqual([]);
  });

  it("has every import point to the same or a lower layer", () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith(".")) continue; // a package
        const target = layerOf(resolve(dirname(file), fileName));
        const to = target in RANK ? target : `${target}.ts`; // "../errors" is errors.ts
        if ((RANK[to] ?? Infinity) > (RANK[from] ?? -Infinity)) {
          upward.push(`${relative(SRC, file)} imports ${fileName} (${from} -> ${to})`);
        }
      }
    }
    expect(upward).toEqual([]);
  });
});
