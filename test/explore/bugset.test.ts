// The public bug set (test/explore/bugs/): each driver is one of the three samples with one
// realistic bug, and its manifest entry names the scenario and strategy expected to find it and
// the oracle that should fire. Each must be found within its budget of seeds, by that oracle;
// the three samples must stay clean on every scenario the bug set uses.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runScenario, SCENARIO_NAMES, type RunSummary } from "active-driver/nic";
import { ORDERING_KINDS, pctChooser, randomChooser, RecordingChooser, seededChooser, type Chooser } from "active-driver/explore";
import type { AnyDriverDefinition } from "active-driver";
import { defined } from "../../runtime/src/defined";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { startInline } from "../debug/helpers";

const root = path.resolve(__dirname, "..", "..");
const bugsDir = path.join(__dirname, "bugs");

interface BugEntry {
  driver: string;
  base: string;
  class: string;
  scenario: string;
  strategy: string;
  finding: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(bugsDir, "manifest.json"), "utf8")) as { format: string; version: number; bugs: BugEntry[] };
/** Seeds tried per bug: each is expected well within this. */
const BUDGET = 20;

/** A built-in scenario name, a scenario file (relative to the repository root), or undefined when not available in this build. */
function scenarioRef(name: string): string | undefined {
  if ((SCENARIO_NAMES as readonly string[]).includes(name)) return name;
  if (name.endsWith(".json")) return path.join(root, name);
  return undefined;
}

async function load(file: string): Promise<AnyDriverDefinition> {
  const mod = (await import(file)) as { default: AnyDriverDefinition };
  return mod.default;
}

/** The chooser of run `seed` for the manifest's strategy; pct's step count is measured from one seeded run. */
async function chooser(strategy: string, seed: number, driver: AnyDriverDefinition, scenario: string): Promise<Chooser | undefined> {
  if (strategy === "random") return randomChooser(seed);
  if (strategy !== "pct") return undefined;
  const recorder = new RecordingChooser(seededChooser(1));
  await runScenario(driver, scenario, { seed: 1, trace: false, chooser: recorder });
  return pctChooser({ seed, depth: 3, steps: Math.max(1, recorder.kinds.filter((k) => ORDERING_KINDS.has(k)).length) });
}

/** The oracles that fired in a run: the findings' kinds, plus "violation" and "failure". */
function kindsOf(s: RunSummary): string[] {
  return [...s.findings.map((f) => f.kind), ...(s.violations.length > 0 ? ["violation"] : []), ...(s.failure !== undefined ? ["failure"] : [])];
}

describe("bug set: the manifest", () => {
  it("lists ten or more drivers, each a copy of an existing sample with one marked bug", () => {
    assert.equal(manifest.format, "active-driver-bug-set");
    assert.ok(manifest.bugs.length >= 10, `${manifest.bugs.length} drivers`);
    const names = new Set<string>();
    for (const bug of manifest.bugs) {
      assert.ok(!names.has(bug.driver), `${bug.driver} listed twice`);
      names.add(bug.driver);
      const text = fs.readFileSync(path.join(bugsDir, bug.driver), "utf8");
      assert.equal(text.match(/BUG:/g)?.length, 1, `${bug.driver}: exactly one line marked BUG:`);
      assert.ok(fs.existsSync(path.join(root, bug.base)), `${bug.driver}: base ${bug.base}`);
      assert.ok(["random", "pct", "dfs"].includes(bug.strategy), `${bug.driver}: strategy ${bug.strategy}`);
    }
    assert.deepEqual(
      fs
        .readdirSync(bugsDir)
        .filter((f) => f.endsWith(".ts"))
        .sort(),
      [...names].sort(),
      "every driver in bugs/ is in the manifest",
    );
  });
});

describe("bug set: each driver is found by its scenario and oracle", () => {
  for (const bug of manifest.bugs) {
    const scenario = scenarioRef(bug.scenario);
    it(
      `${bug.driver} (${bug.class}) on ${bug.scenario}`,
      { skip: scenario === undefined ? `scenario ${bug.scenario} is not built in yet` : false },
      async () => {
        const driver = await load(path.join(bugsDir, bug.driver));
        const seen: string[] = [];
        for (let seed = 1; seed <= BUDGET; seed++) {
          const c = await chooser(bug.strategy, seed, driver, scenario!);
          const s = await runScenario(driver, scenario!, { seed, trace: false, ...defined({ chooser: c }) });
          if (s.ok) continue;
          const kinds = kindsOf(s);
          seen.push(`seed ${seed}: ${kinds.join(",")}`);
          if (kinds.includes(bug.finding)) {
            const finding = s.findings.find((f) => f.kind === bug.finding);
            if (finding !== undefined) assert.ok(finding.message.length > 20 && !finding.message.includes("\n"), `one informative line: ${finding.message}`);
            return;
          }
        }
        assert.fail(`not found by the ${bug.finding} oracle within ${BUDGET} seeds (${seen.join("; ") || "every run passed"})`);
      },
    );
  }
});

describe("bug set: the samples stay clean on the scenarios it uses", () => {
  const scenarios = [...new Set([...SCENARIO_NAMES, ...manifest.bugs.map((b) => b.scenario)])].map(scenarioRef).filter((s): s is string => s !== undefined);
  for (const sample of ["active", "threaded", "passive"]) {
    it(`samples/rtl8169/${sample}.ts`, async () => {
      const driver = await load(path.join(root, "samples", "rtl8169", `${sample}.ts`));
      for (const scenario of scenarios) {
        for (let seed = 1; seed <= 5; seed++) {
          const s = await runScenario(driver, scenario, { seed, trace: false });
          assert.ok(s.ok, `${path.basename(scenario)} seed ${seed}: ${s.failure ?? s.violations[0]?.detail ?? s.problems.join("; ")}`);
        }
      }
    });
  }
});

describe("bug set: end to end through the command line", () => {
  function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
      timeout: 300_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Opens a schedule file in the debugger (the inline adapter) and resolves with the first stop. */
  async function debugReplay(schedule: string): Promise<DebugProtocol.StoppedEvent> {
    const client = await startInline();
    try {
      const { dc } = client;
      const initialized = dc.waitForEvent("initialized");
      const stopped = dc.waitForEvent("stopped") as Promise<DebugProtocol.StoppedEvent>;
      await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
      await initialized;
      const launched = dc.launchRequest({
        type: "active-driver",
        request: "launch",
        replay: schedule,
        stopOnEntry: false,
      } as DebugProtocol.LaunchRequestArguments);
      await dc.configurationDoneRequest();
      await launched;
      return await stopped;
    } finally {
      await client.close();
    }
  }

  // The two drivers of the paper's argument: the Figure 2 race (found by pct on protocol-fuzz) and a
  // receiver left off after an overflow (found on rx-overflow): found, shrunk, written, replayed, and
  // opened in the debugger at the failure.
  for (const [driver, scenario, budget, kind] of [
    ["passive-fig2-reset-after-close.ts", "protocol-fuzz", "8", "device-active"],
    ["active-rx-off-after-overflow.ts", "rx-overflow", "1", "dropped-frames"],
  ] as const) {
    it(`${driver}: explore --strategy pct --scenario ${scenario} finds it, writes the schedule, run --replay reproduces it, and the debugger stops at it`, async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), "bugset-"));
      const r = cli(
        "explore",
        path.join("test", "explore", "bugs", driver),
        "--strategy",
        "pct",
        "--scenario",
        scenario,
        "--budget",
        budget,
        "--out",
        out,
        "--json",
      );
      assert.equal(r.status, 1, r.stderr);
      const report = JSON.parse(r.stdout) as { failures: { kind: string; schedule: string; message: string }[] };
      const failure = report.failures[0]!;
      assert.equal(failure.kind, kind, failure.message);
      const schedule = JSON.parse(fs.readFileSync(failure.schedule, "utf8")) as { failure: { kind: string } };
      assert.equal(schedule.failure.kind, kind);
      const replay = cli("run", "--replay", failure.schedule);
      assert.equal(replay.status, 1, replay.stdout + replay.stderr);
      assert.match(replay.stdout, new RegExp(`the failure recurs \\(${kind}`));
      const stop = await debugReplay(path.resolve(failure.schedule));
      assert.equal(stop.body.reason, "exception");
      assert.match(stop.body.text ?? "", new RegExp(`^Replayed failure \\(.*\\.schedule\\.json\\): ${kind}: `));
    });
  }
});
