// The scenario registry and users' JSON scenario files.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SCENARIO_NAMES, getScenario, loadScenarioFile, resolveScenario, scenarios } from "active-driver/nic";

test("the registry holds exactly the contract's scenario names", () => {
  assert.deepEqual(Object.keys(scenarios), [
    "default",
    "tx-timeout",
    "link-flap",
    "rx-overflow",
    "spurious-irq",
    "hot-unplug",
    "suspend-unplug",
    "protocol-fuzz",
  ]);
  assert.deepEqual([...SCENARIO_NAMES], Object.keys(scenarios));
  for (const name of SCENARIO_NAMES) {
    const s = getScenario(name);
    assert.equal(s.name, name);
    assert.ok(s.description.length > 20);
    if (name === "protocol-fuzz") assert.ok((s.workload.faultBudget ?? 0) > 0, "protocol-fuzz: the OS injects faults of its choosing");
    else if (name !== "default") assert.ok(s.faults.length > 0, `${name} injects a fault`);
  }
  assert.equal(scenarios.default.faults.length, 0);
  assert.throws(() => getScenario("nope"), /unknown scenario "nope": use one of default, tx-timeout/);
});

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nic-scenario-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

test("loadScenarioFile reads a workspace scenario, extending a built-in one", () => {
  const file = tmpFile("mine.json", JSON.stringify({ name: "mine", extends: "link-flap", workload: { frames: 50, rxRate: 0 }, seed: 7 }));
  const s = loadScenarioFile(file);
  assert.equal(s.name, "mine");
  assert.equal(s.seed, 7);
  assert.equal(s.workload.frames, 50);
  assert.equal(s.workload.rxRate, 0);
  assert.deepEqual(s.faults, scenarios["link-flap"].faults);
  assert.deepEqual(resolveScenario(file), s);
});

test("loadScenarioFile errors name the file and the field", () => {
  const cases: [string, RegExp][] = [
    ["{ not json", /bad\.json: not valid JSON/],
    [JSON.stringify({ workload: { frames: -3 } }), /bad\.json: workload\.frames: expected a non-negative number, got -3/],
    [JSON.stringify({ workload: { speed: 1 } }), /bad\.json: workload\.speed: unknown field/],
    [JSON.stringify({ workload: { loopback: 1 } }), /bad\.json: workload\.loopback: expected true or false/],
    [
      JSON.stringify({
        faults: [
          { kind: "link-flap", atUs: 1 },
          { kind: "fire", atUs: 2 },
        ],
      }),
      /bad\.json: faults\[1\]\.kind: "fire" is not one of/,
    ],
    [JSON.stringify({ faults: {} }), /bad\.json: faults: expected an array/],
    [JSON.stringify({ extends: "weekend" }), /bad\.json: extends: "weekend" is not one of/],
    [JSON.stringify({ seed: 1.5 }), /bad\.json: seed: expected an integer/],
    [JSON.stringify({ colour: "red" }), /bad\.json: colour: unknown field/],
    [JSON.stringify([1]), /bad\.json: a scenario is an object/],
  ];
  for (const [text, pattern] of cases) {
    const file = tmpFile("bad.json", text);
    assert.throws(
      () => loadScenarioFile(file),
      (e: Error) => pattern.test(e.message) && e.message.startsWith(file),
      `${text} -> ${pattern}`,
    );
  }
  assert.throws(() => loadScenarioFile("/nonexistent/x.json"), /\/nonexistent\/x\.json: cannot read the scenario file \(ENOENT\)/);
});

test("a scenario object from code is checked like a file: missing parts default, wrong ones are named", () => {
  const s = resolveScenario({ name: "quick", workload: { frames: 5 } } as never);
  assert.equal(s.name, "quick");
  assert.deepEqual(s.faults, []);
  assert.equal(s.workload.frames, 5);
  assert.deepEqual(resolveScenario(scenarios["tx-timeout"]), scenarios["tx-timeout"]);
  assert.throws(() => resolveScenario({ name: "bad", workload: {}, faults: {} } as never), /^Error: scenario "bad": faults: expected an array of fault plans$/);
  assert.throws(
    () => resolveScenario({ workload: { frames: "many" } } as never),
    /^Error: scenario "object": workload\.frames: expected a non-negative number, got "many"$/,
  );
});
