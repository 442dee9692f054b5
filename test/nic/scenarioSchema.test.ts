// The editor's JSON Schema for scenario files against the loader, which stays the authority: what
// the loader accepts the schema accepts, and the mistakes the loader names the schema marks too.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv from "ajv";
import { parseScenario, scenarioJsonSchema, scenarios } from "active-driver/nic";

const repo = path.resolve(__dirname, "..", "..");
// strictRequired off: anyOf [{ required: ["atUs"] }, { required: ["afterCount"] }] names properties declared beside it.
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(scenarioJsonSchema());

function loaderAccepts(data: unknown): boolean {
  try {
    parseScenario(data, "test.json");
    return true;
  } catch {
    return false;
  }
}

test("every built-in scenario and every sample scenario file is valid under the schema", () => {
  const files = fs.readdirSync(path.join(repo, "samples", "rtl8169", "scenarios")).filter((f) => f.endsWith(".json"));
  assert.ok(files.length > 0);
  const documents: [string, unknown][] = [
    ...Object.values(scenarios).map((s): [string, unknown] => [s.name, JSON.parse(JSON.stringify(s))]),
    ...files.map((f): [string, unknown] => [f, JSON.parse(fs.readFileSync(path.join(repo, "samples", "rtl8169", "scenarios", f), "utf8"))]),
  ];
  for (const [name, data] of documents) {
    assert.ok(validate(data), `${name}: ${JSON.stringify(validate.errors)}`);
    assert.ok(loaderAccepts(data), name);
  }
});

test("the schema and the loader agree on right and wrong scenarios", () => {
  const cases: [unknown, boolean][] = [
    [{ name: "mine", extends: "link-flap", workload: { frames: 50, loopback: true }, seed: 7, mac: "02:00:5e:00:00:09" }, true],
    [{ faults: [{ kind: "tx-lockup", afterCount: 10, on: "rx", durationUs: 300 }] }, true],
    [{ workload: { frames: -3 } }, false],
    [{ workload: { speed: 1 } }, false],
    [{ workload: { loopback: 1 } }, false],
    [{ workload: { mode: "protocol", requestBudget: 2, faultBudget: 0, stepUs: 50 } }, true],
    [{ extends: "protocol-fuzz", workload: { frames: 4 } }, true],
    [{ workload: { mode: "chaos" } }, false],
    [{ workload: { mode: 1 } }, false],
    [{ workload: { requestBudget: -1 } }, false],
    [{ faults: [{ kind: "fire", atUs: 2 }] }, false],
    [{ faults: [{ kind: "link-flap" }] }, false],
    [{ faults: [{ kind: "link-flap", atUs: 1, colour: "red" }] }, false],
    [{ faults: [{ kind: "link-flap", afterCount: 1, on: "disk" }] }, false],
    [{ faults: {} }, false],
    [{ extends: "weekend" }, false],
    [{ seed: 1.5 }, false],
    [{ mac: "02:00" }, false],
    [{ colour: "red" }, false],
  ];
  for (const [data, valid] of cases) {
    assert.equal(validate(data), valid, `schema on ${JSON.stringify(data)}`);
    assert.equal(loaderAccepts(data), valid, `loader on ${JSON.stringify(data)}`);
  }
});

test("the build writes the schema the extension contributes", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as {
    contributes: { jsonValidation: { fileMatch: string[]; url: string }[] };
  };
  const [entry] = manifest.contributes.jsonValidation;
  assert.ok(entry!.fileMatch.includes("**/scenarios/*.json"));
  const written = JSON.parse(fs.readFileSync(path.join(repo, entry!.url), "utf8")) as unknown;
  assert.deepEqual(written, scenarioJsonSchema());
});
