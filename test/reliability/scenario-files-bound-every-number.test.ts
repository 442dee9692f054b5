// Scenario files: every number has a range (a run cannot be asked for 1e15 frames, a 1 GB frame or
// a fault repeated 1e12 times every 0 us), errors name the file and the field, and a user's scenario
// is labelled by its own name or file, never as the built-in it extends.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { getScenario, loadScenarioFile } from "active-driver/nic";
import { tempDir } from "./helpers";

const dir = tempDir("scenarios");

function scenarioFile(name: string, data: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(data));
  return file;
}

test("scenario files bound every number, with errors naming the file and the field", () => {
  const cases: [unknown, RegExp][] = [
    [{ workload: { frames: 1e15 } }, /: workload\.frames: 1000000000000000 is out of range: expected 0 to 1000000 frames$/],
    [{ workload: { minSize: 1e9 } }, /: workload\.minSize: 1000000000 is out of range: expected 60 to 1514 bytes$/],
    [{ workload: { frames: 2.5 } }, /: workload\.frames: expected a whole number, got 2\.5$/],
    [{ workload: { watchdogUs: 0 } }, /: workload\.watchdogUs: 0 is out of range: expected 1 to/],
    [{ workload: { deadlineUs: 1e18 } }, /: workload\.deadlineUs: .* is out of range/],
    [{ workload: { cycles: 1e12 } }, /: workload\.cycles: .* is out of range/],
    [
      { faults: [{ kind: "link-flap", atUs: 1, repeat: 1e12, periodUs: 0 }] },
      /: faults\[0\]\.repeat: 1000000000000 is out of range: expected 1 to 100000 times$/,
    ],
    [{ faults: [{ kind: "link-flap", atUs: 1, repeat: 3, periodUs: 0 }] }, /: faults\[0\]\.periodUs: 0 is out of range: expected 1 to 3600000000 us$/],
    [{ faults: [{ kind: "spurious-irq", atUs: 1, isr: 0x10000 }] }, /: faults\[0\]\.isr: 65536 is out of range/],
    [{ seed: -1 }, /: seed: -1 is out of range: expected 0 to/],
  ];
  for (const [data, pattern] of cases) {
    const file = scenarioFile("bad.json", data);
    assert.throws(
      () => loadScenarioFile(file),
      (e: Error) => e.message.startsWith(`${file}: `) && pattern.test(e.message),
      `${JSON.stringify(data)} -> ${pattern}`,
    );
  }
  // The edges are in range.
  const edges = scenarioFile("edges.json", {
    seed: 0,
    workload: { frames: 1_000_000, minSize: 60, maxSize: 1514, watchdogUs: 1 },
    faults: [{ kind: "link-flap", atUs: 0, repeat: 100000, periodUs: 1 }],
  });
  assert.equal(loadScenarioFile(edges).workload.frames, 1_000_000);
});

test("a user's scenario is labelled by its own name or file, not as the built-in it extends", () => {
  const unnamed = loadScenarioFile(scenarioFile("slow-peer.json", { extends: "default", workload: { rxRate: 100 } }));
  assert.equal(unnamed.name, "slow-peer");
  assert.notEqual(unnamed.description, getScenario("default").description);
  assert.match(unnamed.description, /slow-peer\.json: the built-in "default" scenario with this one's changes/);
  const named = loadScenarioFile(scenarioFile("x.scenario.json", { name: "mine", description: "my own", extends: "tx-timeout" }));
  assert.deepEqual([named.name, named.description], ["mine", "my own"]);
  assert.equal(loadScenarioFile(scenarioFile("plain.scenario.json", {})).name, "plain");
});
