import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

/*
 * Tests write real files and links in temp directories (never mocks). The suite runs three times
 * in CI, under three host zones, and left about a thousand such directories behind before these
 * helpers; each directory is now removed when its file (or its test) ends.
 */

const make = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));
const remove = (dir: string) => () => rmSync(dir, { recursive: true, force: true });

/**
 * A fresh directory under the OS temp dir, removed after the file's (or the describe block's)
 * tests. Call it while tests are collected: at module level or in a `describe` body.
 */
export function tempDir(prefix: string): string {
  const dir = make(prefix);
  afterAll(remove(dir));
  return dir;
}

/** A fresh directory under the OS temp dir for one test, removed when that test ends. Call it inside the test. */
export function tempDirForTest(prefix: string): string {
  const dir = make(prefix);
  onTestFinished(remove(dir));
  return dir;
}
