// A tolerant analysis, part 2: prefixes of the larger corpus (test cases, every sample) at every
// line start and end and every few characters, and drivers whose imported protocol or helper is
// cut at every line end. Nothing may throw or report an internal error.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { analyzeFile, type AnalysisHost } from "../../server/src/analysis";
import { brokenDir, casesDir, repoRoot, tsFiles, tsFilesDeep } from "./harness";
import { checkPrefixes, memoHost } from "./prefixes";

const samples = tsFilesDeep(path.join(repoRoot, "samples")).filter((f) => !f.startsWith(brokenDir));
const files = [...tsFilesDeep(casesDir), ...samples];

for (const file of files) {
  test(`prefixes: ${path.relative(repoRoot, file).split(path.sep).join("/")}`, () => {
    const text = readFileSync(file, "utf8");
    const stride = Math.max(1, Math.ceil(text.length / 400));
    assert.ok(checkPrefixes(file, stride) > text.split("\n").length);
  });
}

test("drivers whose imported protocol or helper is cut at every line end", () => {
  const host = memoHost();
  const dependencies = [path.join(casesDir, "protocol.ts"), path.join(casesDir, "lib", "serve-open.ts"), path.join(brokenDir, "protocol.ts")];
  let analysed = 0;
  for (const dependency of dependencies) {
    const full = readFileSync(dependency, "utf8");
    const drivers = [...tsFiles(casesDir), ...tsFiles(brokenDir)].filter(
      (f) =>
        readFileSync(f, "utf8").includes(`./${path.basename(dependency, ".ts")}"`) ||
        readFileSync(f, "utf8").includes(`./lib/${path.basename(dependency, ".ts")}"`),
    );
    assert.ok(drivers.length > 0, `drivers importing ${path.basename(dependency)}`);
    for (let end = full.indexOf("\n"); end >= 0; end = full.indexOf("\n", end + 1)) {
      const cut: AnalysisHost = { readFile: (p) => (p === dependency ? full.slice(0, end) : host.readFile(p)) };
      for (const driver of drivers) {
        const result = analyzeFile(driver, readFileSync(driver, "utf8"), cut);
        assert.deepEqual(result.internalErrors, [], `${path.relative(repoRoot, driver)} with ${path.basename(dependency)} cut at ${end}`);
        analysed++;
      }
    }
  }
  assert.ok(analysed > 100);
});
