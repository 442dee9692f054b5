// The RTL8169 samples: every scenario on active.ts and threaded.ts with no protocol violation and
// every frame accounted for, passive.ts on the default and tx-timeout scenarios, the protocol in
// step with the simulated OS's, the analyser's verdict, and the launch configurations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Ethernet as NicEthernet, runScenario, SCENARIO_NAMES, type FrameAccount, type RunSummary } from "active-driver/nic";
import { loadDriver } from "active-driver/host";

const root = path.resolve(__dirname, "..", "..");
const samples = path.join(root, "samples");
const rtl = path.join(samples, "rtl8169");
const SEEDS = [1, 2];

async function run(driver: string, scenario: string, seed: number): Promise<RunSummary> {
  const loaded = loadDriver(path.join(rtl, driver));
  return runScenario(loaded.exports as never, scenario, { seed, trace: false });
}

function dropped(a: FrameAccount): number {
  return Object.values(a.dropped).reduce((n, k) => n + k, 0);
}

/** Clean run: no failure, no violation, and each frame either delivered intact or dropped for a counted cause. */
function assertClean(s: RunSummary, label: string): void {
  assert.equal(s.failure, undefined, `${label}: ${s.failure}`);
  assert.deepEqual(s.violations, [], `${label}: protocol violations`);
  assert.deepEqual(s.problems, [], `${label}: accounting problems`);
  for (const [dir, a] of [["TX", s.frames.tx], ["RX", s.frames.rx]] as const) {
    assert.deepEqual({ lost: a.lost, corrupted: a.corrupted, duplicates: a.duplicates, bogus: a.bogus }, { lost: 0, corrupted: 0, duplicates: 0, bogus: 0 }, `${label} ${dir}`);
    assert.equal(a.delivered + dropped(a), a.offered, `${label} ${dir}: ${a.offered} offered = ${a.delivered} delivered + ${dropped(a)} dropped (${JSON.stringify(a.dropped)})`);
  }
  for (const r of s.requests) assert.ok(r.repliedUs !== undefined, `${label}: ${r.name} at ${r.sentUs}us was answered`);
  assert.equal(s.ok, true, label);
}

/** What each scenario must show beyond a clean run. */
function assertScenario(s: RunSummary, label: string): void {
  switch (s.scenario) {
    case "default":
    case "spurious-irq":
      assert.equal(s.frames.tx.delivered, s.frames.tx.offered, `${label}: no TX frame lost without a fault`);
      assert.equal(s.frames.rx.delivered, s.frames.rx.offered, `${label}: no RX frame lost without a fault`);
      assert.equal(s.protocolState, "closed", label);
      break;
    case "tx-timeout":
      assert.ok(s.txTimeouts >= 1, `${label}: the watchdog fired`);
      assert.ok(s.nic.resets >= 2, `${label}: the driver reset the chip on txTimeout`);
      assert.ok(s.frames.tx.delivered >= s.frames.tx.offered - 1, `${label}: only the frame the lock-up held is lost (${JSON.stringify(s.frames.tx)})`);
      assert.equal(s.protocolState, "closed", label);
      break;
    case "rx-overflow":
    case "link-flap":
      assert.equal(s.protocolState, "closed", `${label}: reception recovered and the run closed normally`);
      assert.ok(s.completed, label);
      break;
    case "hot-unplug":
      assert.equal(s.protocolState, "unplugged", label);
      break;
    case "protocol-fuzz":
      assert.ok(s.requests.length > 0 || s.faults.length > 0, `${label}: the OS issued requests or injected faults`);
      break;
    case "suspend-unplug":
      assert.equal(s.protocolState, "unplugged", label);
      assert.ok(s.requests.some((r) => r.name === "suspend" && r.repliedUs !== undefined), `${label}: the suspend was answered`);
      break;
  }
}

for (const driver of ["active.ts", "threaded.ts"]) {
  for (const scenario of SCENARIO_NAMES) {
    test(`${driver} on ${scenario}: clean, every frame accounted for (seeds ${SEEDS.join(", ")})`, async () => {
      for (const seed of SEEDS) {
        const s = await run(driver, scenario, seed);
        const label = `${driver} ${scenario} seed ${seed}`;
        assertClean(s, label);
        assertScenario(s, label);
      }
    });
  }
}

for (const scenario of ["default", "tx-timeout"]) {
  test(`passive.ts on ${scenario}: clean, every frame accounted for`, async () => {
    for (const seed of SEEDS) {
      const s = await run("passive.ts", scenario, seed);
      assert.equal(s.model, "passive");
      assertClean(s, `passive.ts ${scenario} seed ${seed}`);
      assertScenario(s, `passive.ts ${scenario} seed ${seed}`);
    }
  });
}

test("the sample scenario file runs clean on all three drivers", async () => {
  for (const driver of ["active.ts", "threaded.ts", "passive.ts"]) {
    const s = await run(driver, path.join(rtl, "scenarios", "suspend-cycles.json"), 1);
    assert.equal(s.scenario, "suspend-cycles");
    assertClean(s, `${driver} suspend-cycles`);
    assert.equal(s.requests.filter((r) => r.name === "suspend").length, 4, `${driver}: two suspends per cycle, two cycles`);
  }
});

test("protocol.ts is the protocol the simulated OS drives, message for message", () => {
  const loaded = loadDriver(path.join(rtl, "active.ts"));
  const ours = (loaded.driver as { protocol: typeof NicEthernet }).protocol;
  assert.equal(ours.name, NicEthernet.name);
  assert.equal(ours.initial, NicEthernet.initial);
  assert.deepEqual(ours.messages, NicEthernet.messages);
  assert.deepEqual(ours.states, NicEthernet.states);
});

test("the analyser: no diagnostics on the samples except passive.ts's AD010/AD011 warnings", () => {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts"), "check", "--format", "json", rtl], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const findings = JSON.parse(r.stdout) as { file: string; code: string; severity: string; line: number }[];
  const elsewhere = findings.filter((f) => path.basename(f.file) !== "passive.ts");
  assert.deepEqual(elsewhere, [], "active.ts, threaded.ts, hw.ts and protocol.ts are clean");
  const passive = findings.filter((f) => path.basename(f.file) === "passive.ts").map((f) => `${f.code} ${f.severity}`);
  assert.deepEqual(passive.sort(), ["AD010 warning", "AD010 warning", "AD010 warning", "AD010 warning", "AD011 warning"]);
});

test("every sample file starts with a comment saying what it shows", () => {
  for (const name of fs.readdirSync(rtl).filter((n) => n.endsWith(".ts"))) {
    const first = fs.readFileSync(path.join(rtl, name), "utf8").split("\n")[0]!;
    assert.match(first, /^\/\/ \S/, `${name} starts with a comment`);
  }
});

test("launch.json: a configuration per scenario for active.ts, each pointing at a sample that exists", () => {
  const launch = JSON.parse(fs.readFileSync(path.join(samples, ".vscode", "launch.json"), "utf8")) as { configurations: Record<string, unknown>[] };
  const activeScenarios = new Set<string>();
  for (const c of launch.configurations) {
    assert.equal(c["type"], "active-driver");
    assert.equal(c["request"], "launch");
    assert.equal(c["seed"], 1);
    assert.equal(c["stopOnEntry"], true);
    const driver = String(c["driver"]);
    const scenario = String(c["scenario"]);
    if (driver !== "${file}") assert.ok(fs.existsSync(driver.replace("${workspaceFolder}", samples)), `${String(c["name"])}: ${driver}`);
    if (scenario.includes("${workspaceFolder}")) assert.ok(fs.existsSync(scenario.replace("${workspaceFolder}", samples)), scenario);
    else assert.ok((SCENARIO_NAMES as readonly string[]).includes(scenario), scenario);
    if (driver === "${workspaceFolder}/rtl8169/active.ts") activeScenarios.add(scenario);
  }
  for (const name of SCENARIO_NAMES) assert.ok(activeScenarios.has(name), `a configuration runs active.ts on ${name}`);
});
