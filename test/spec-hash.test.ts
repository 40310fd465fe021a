/**
 * `specHash` (src/util/spec-hash.ts) is stored beside exported tables and compared later, so its
 * digits must never change: 64-bit FNV-1a over the UTF-16 code units of a canonical JSON text. Its
 * arithmetic (two 32-bit halves in plain numbers) is checked here against FNV-1a written with
 * BigInt, on the published test vectors and on random strings of any code units.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getPolicy, specHash } from "../src/index";

/** FNV-1a, 64 bits, straight from its definition. */
function fnv1a64Reference(text: string): string {
  const mask = (1n << 64n) - 1n;
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = ((hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n) & mask;
  return `fnv1a64:${hash.toString(16).padStart(16, "0")}`;
}

describe("specHash", () => {
  it("is FNV-1a 64 (published vectors: '' and 'a')", () => {
    expect(fnv1a64Reference("")).toBe("fnv1a64:cbf29ce484222325");
    expect(fnv1a64Reference("a")).toBe("fnv1a64:af63dc4c8601ec8c");
    // A string's canonical text is its JSON text, quotes included.
    expect(specHash("a")).toBe(fnv1a64Reference('"a"'));
  });

  it("hashes any string's JSON text as FNV-1a written with BigInt does", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        expect(specHash(s)).toBe(fnv1a64Reference(JSON.stringify(s)));
      }),
      { numRuns: 200 },
    );
  });

  it("keeps the digits it gave before (they are stored beside exports)", () => {
    expect(specHash(getPolicy("softone-se").spec)).toBe("fnv1a64:69c948acb6c88717");
    expect(specHash({ b: [1, "x", null], a: "ü😀" })).toBe("fnv1a64:635f1d76bfa87809");
  });
});
