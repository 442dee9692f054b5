// A slice of the mutation fuzz campaign (`npm run fuzz` runs 10,000): a few hundred mutants of every
// kind, none of which may crash the analysis or place a finding outside its file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { runCampaign, seedFiles } from "./campaign";
import { mutate, operators, random } from "./mutate";

test("every operator mutates a driver, and a seed always gives the same mutant", () => {
  const file = path.join(__dirname, "..", "..", "samples", "rtl8169", "active.ts");
  const text = readFileSync(file, "utf8");
  for (const operator of operators) {
    const a = mutate(file, text, operator, random(7));
    const b = mutate(file, text, operator, random(7));
    assert.ok(a !== undefined, operator);
    assert.notEqual(a.text, text, `${operator} changed nothing`);
    assert.equal(a.text, b?.text, `${operator} is not deterministic`);
  }
});

test("the seed files: samples, conformance cases and analysis cases", () => {
  const files = seedFiles().map((f) => f.split(path.sep).join("/"));
  assert.ok(files.some((f) => f.includes("/samples/rtl8169/active.ts")));
  assert.ok(files.some((f) => f.includes("/conformance/")));
  assert.ok(files.some((f) => f.includes("/cases/lib/")));
});

test("200 mutants: no crash, no finding outside its file", () => {
  const result = runCampaign({ mutants: 200, seed: 20_261_207 });
  assert.equal(result.mutants, 200);
  assert.deepEqual(result.failures, []);
});
