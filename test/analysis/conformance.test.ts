// Every case of the shared conformance suite (../shared/conformance from the repository root) must
// give exactly the diagnostics its `//~` markers name: same lines, same codes, nothing else.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { actualMarkers, analyzePath, conformanceDir, describe, expectedMarkers, tsFiles } from "./harness";

test("the conformance folder exists and has cases", () => {
  assert.ok(existsSync(conformanceDir), `missing ${conformanceDir}`);
  assert.ok(tsFiles(conformanceDir).length >= 10);
});

for (const file of existsSync(conformanceDir) ? tsFiles(conformanceDir) : []) {
  test(`conformance: ${path.basename(file)}`, () => {
    const { text, result } = analyzePath(file);
    assert.deepEqual(result.internalErrors, []);
    assert.deepEqual(actualMarkers(result.diagnostics), expectedMarkers(text), `${path.basename(file)} gave:\n${describe(result)}`);
  });
}
