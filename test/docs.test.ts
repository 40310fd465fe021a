/**
 * Every symbol the package exports, and every public method of its exported classes, has a TSDoc
 * comment with an example. (typedoc checks that comments exist; this checks the examples.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));

function hasExample(node: ts.Node): boolean {
  const tags = ts.getJSDocTags(node);
  if (tags.some((t) => t.tagName.text === "example")) return true;
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs.some((d) => typeof d.comment === "string" && d.comment.includes("```"));
}

function isInternal(node: ts.Node): boolean {
  return ts.getJSDocTags(node).some((t) => t.tagName.text === "internal");
}

describe("API documentation", () => {
  it("gives every export and every public method an example", () => {
    const program = ts.createProgram([entry], {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      module: ts.ModuleKind.ESNext,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const source = program.getSourceFile(entry)!;
    const moduleSymbol = checker.getSymbolAtLocation(source)!;
    const missing: string[] = [];
    const exports = checker.getExportsOfModule(moduleSymbol);
    expect(exports.length).toBeGreaterThan(30);
    for (const exported of exports) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        const target = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
        if (!hasExample(target)) missing.push(exported.name);
        if (ts.isClassDeclaration(decl)) {
          for (const member of decl.members) {
            const isPublicMethod = ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member);
            const modifiers = ts.getCombinedModifierFlags(member as ts.Declaration);
            const name = member.name && ts.isIdentifier(member.name) ? member.name.text : undefined;
            if (!isPublicMethod || name === undefined || modifiers & ts.ModifierFlags.Private || isInternal(member))
              continue;
            if (!hasExample(member)) missing.push(`${exported.name}.${name}`);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("names every value export in README.md or a guide in docs/, so none is found only in the reference", async () => {
    const api = await import("../src/index");
    const docs = fileURLToPath(new URL("../docs/", import.meta.url));
    const text = [
      readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8"),
      ...readdirSync(docs)
        .filter((f) => f.endsWith(".md"))
        .map((f) => readFileSync(docs + f, "utf8")),
    ].join("\n");
    const unnamed = Object.keys(api).filter((name) => !new RegExp(`\\b${name}\\b`).test(text));
    expect(unnamed).toEqual([]);
  });
});
