// Every case of the shared conformance suite (../shared/conformance from the repository root) must
// give exactly the diagnostics its `//~` markers name: same lines, same codes, nothing else.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { readFileSync, readdirSync } from "node:fs";
import { conformanceSnapshotDir, sharedConformanceDir } from "../conformanceDir";
import { actualMarkers, analyzePath, conformanceDir, describe, expectedMarkers, tsFiles } from "./harness";

test("the conformance folder exists and has cases", () => {
  assert.ok(existsSync(conformanceDir), `missing ${conformanceDir}`);
  assert.ok(tsFiles(conformanceDir).length >= 10);
});

test(
  "the checked-in conformance snapshot is the shared suite, file for file",
  { skip: !existsSync(sharedConformanceDir) && `no ${sharedConformanceDir} beside this clone` },
  () => {
    const names = readdirSync(sharedConformanceDir).sort();
    assert.deepEqual(readdirSync(conformanceSnapshotDir).sort(), names, "copy ../shared/conformance/* to test/fixtures/conformance/");
    for (const name of names) {
      assert.equal(
        readFileSync(path.join(conformanceSnapshotDir, name), "utf8"),
        readFileSync(path.join(sharedConformanceDir, name), "utf8"),
        `${name} differs from the shared suite`,
      );
    }
  },
);

for (const file of existsSync(conformanceDir) ? tsFiles(conformanceDir) : []) {
  test(`conformance: ${path.basename(file)}`, () => {
    const { text, result } = analyzePath(file);
    assert.deepEqual(result.internalErrors, []);
    assert.deepEqual(actualMarkers(result.diagnostics), expectedMarkers(text), `${path.basename(file)} gave:\n${describe(result)}`);
  });
}
