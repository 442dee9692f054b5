// A tolerant analysis, part 1: every prefix, character by character, of every conformance case and
// every broken sample is analysed without an exception or an internal error.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { brokenDir, conformanceDir, repoRoot, tsFiles } from "./harness";
import { checkPrefixes, prefixLengths } from "./prefixes";

const files = [...(existsSync(conformanceDir) ? tsFiles(conformanceDir) : []), ...tsFiles(brokenDir)];

test("prefixes: character by character covers every length", () => {
  assert.deepEqual(prefixLengths("ab\nc", 1), [0, 1, 2, 3, 4]);
  assert.deepEqual(prefixLengths("abcdef\nxy", 4), [0, 4, 6, 7, 8, 9]);
  assert.ok(files.length >= 20);
});

for (const file of files) {
  test(`every prefix: ${path.relative(repoRoot, file).split(path.sep).join("/")}`, () => {
    const text = readFileSync(file, "utf8");
    assert.equal(checkPrefixes(file, 1), text.length + 1);
  });
}
