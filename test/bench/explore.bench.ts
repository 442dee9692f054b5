// Exploration: how fast the public bug set (test/explore/bugs/) is found, per strategy, beside
// today's seed-only explore; how many schedules a core runs per second on the default scenario; and
// the false-alarm check (the three samples over many runs of every strategy and scenario).
//
// Strategies are the run choosers of `active-driver/explore`: "seed" is what `explore --seed`
// always did (timing drawn from the seed, threads and OS activities in their natural order),
// "random" draws every decision uniformly, "pct" is PCT at depth 3 over OS activities and driver
// threads (its step count measured per driver and scenario from one seeded run). Runs to first
// failure: seeds 1, 2, ... until the run fails, at most BUDGET runs.
//
// Run: npm run build && node --expose-gc --import tsx test/bench/explore.bench.ts [--json]
// EXPLORE_BENCH_RUNS=N sets the false-alarm runs per sample and strategy (default 2000).
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { AnyDriverDefinition } from "active-driver";
import type * as ExploreApi from "active-driver/explore";
import type * as HostApi from "active-driver/host";
import type * as NicApi from "active-driver/nic";
import { defined } from "../../runtime/src/defined";

interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const HOST_BUNDLE = path.join(ROOT, "runtime", "dist", "host.js");
const EXPLORE_BUNDLE = path.join(ROOT, "runtime", "dist", "explore.js");
for (const f of [HOST_BUNDLE, EXPLORE_BUNDLE]) if (!fs.existsSync(f)) throw new Error(`${f} is missing: run \`npm run build\` first`);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const host = require(HOST_BUNDLE) as typeof HostApi;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const explore = require(EXPLORE_BUNDLE) as typeof ExploreApi;
const { runScenario, SCENARIO_NAMES } = host.defaultModules()["active-driver/nic"] as typeof NicApi;

/** Runs per bug and strategy before giving up (the target: each found within 200 by pct). */
const BUDGET = 200;
const FALSE_ALARM_RUNS = Number(process.env["EXPLORE_BENCH_RUNS"] ?? 2000);
const THROUGHPUT_SECONDS = 3;
const STRATEGIES = ["seed", "random", "pct"] as const;
type Strategy = (typeof STRATEGIES)[number];

interface BugEntry {
  driver: string;
  scenario: string;
  strategy: string;
}

function load(file: string): AnyDriverDefinition {
  return host.loadDriver(file).driver as AnyDriverDefinition;
}

function scenarioRef(name: string): string {
  return (SCENARIO_NAMES as readonly string[]).includes(name) ? name : path.join(ROOT, name);
}

/** Ordering decisions (OS activities, threads) of one seeded run: PCT's step count. */
const stepsCache = new Map<string, number>();
async function pctSteps(driver: AnyDriverDefinition, key: string, scenario: string): Promise<number> {
  const known = stepsCache.get(key);
  if (known !== undefined) return known;
  const recorder = new explore.RecordingChooser(explore.seededChooser(1));
  await runScenario(driver, scenario, { seed: 1, trace: false, chooser: recorder });
  const steps = Math.max(1, recorder.kinds.filter((k) => explore.ORDERING_KINDS.has(k)).length);
  stepsCache.set(key, steps);
  return steps;
}

async function chooserFor(
  strategy: Strategy,
  seed: number,
  driver: AnyDriverDefinition,
  key: string,
  scenario: string,
): Promise<ExploreApi.Chooser | undefined> {
  if (strategy === "seed") return undefined;
  if (strategy === "random") return explore.randomChooser(seed);
  return explore.pctChooser({ seed, depth: 3, steps: await pctSteps(driver, key, scenario) });
}

async function run(driver: AnyDriverDefinition, key: string, scenario: string, strategy: Strategy, seed: number): Promise<boolean> {
  const chooser = await chooserFor(strategy, seed, driver, key, scenario);
  const s = await runScenario(driver, scenario, { seed, trace: false, ...defined({ chooser }) });
  return s.ok;
}

async function runsToFailure(driver: AnyDriverDefinition, key: string, scenario: string, strategy: Strategy): Promise<number | undefined> {
  for (let seed = 1; seed <= BUDGET; seed++) if (!(await run(driver, key, scenario, strategy, seed))) return seed;
  return undefined;
}

async function bugRows(rows: Row[]): Promise<void> {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "test", "explore", "bugs", "manifest.json"), "utf8")) as { bugs: BugEntry[] };
  let foundByPct = 0;
  for (const bug of manifest.bugs) {
    const file = path.join(ROOT, "test", "explore", "bugs", bug.driver);
    const driver = load(file);
    const scenarios = [...new Set([bug.scenario, "protocol-fuzz"])];
    let pctFound = false;
    for (const scenario of scenarios) {
      const ref = scenarioRef(scenario);
      const cells: string[] = [];
      for (const strategy of STRATEGIES) {
        const n = await runsToFailure(driver, `${bug.driver}|${scenario}`, ref, strategy);
        if (strategy === "pct" && n !== undefined) pctFound = true;
        cells.push(`${strategy} ${n ?? `>${BUDGET}`}`);
        rows.push({ name: `${bug.driver} on ${path.basename(scenario)}: ${strategy}`, value: n ?? Infinity, unit: "runs to first failure" });
      }
      rows.push({
        name: `${bug.driver} on ${path.basename(scenario)}`,
        value: NaN,
        unit: cells.join(", "),
        detail: scenario === bug.scenario ? `manifest: ${bug.strategy}` : undefined,
      });
    }
    if (pctFound) foundByPct++;
  }
  rows.push({
    name: `target: every bug found within ${BUDGET} runs by pct (${foundByPct}/${manifest.bugs.length})`,
    value: foundByPct === manifest.bugs.length ? 1 : 0,
    unit: foundByPct === manifest.bugs.length ? "met" : "missed",
  });
}

async function throughputRows(rows: Row[]): Promise<void> {
  const driver = load(path.join(ROOT, "samples", "rtl8169", "active.ts"));
  for (const trace of [true, false]) {
    for (let i = 0; i < 10; i++) await runScenario(driver, "default", { seed: i + 1, trace });
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < THROUGHPUT_SECONDS * 1000) await runScenario(driver, "default", { seed: 100 + n++, trace });
    const perSecond = n / ((performance.now() - start) / 1000);
    rows.push({
      name: `schedules/s on one core, default scenario, active.ts, tracing ${trace ? "on (as explore's workers)" : "off"}`,
      value: perSecond,
      unit: "runs/s",
    });
    if (trace)
      rows.push({
        name: `target: at least 50 schedules/s per core (${perSecond.toFixed(0)})`,
        value: perSecond >= 50 ? 1 : 0,
        unit: perSecond >= 50 ? "met" : "missed",
      });
  }
}

async function falseAlarmRows(rows: Row[]): Promise<void> {
  const scenarios = [...SCENARIO_NAMES];
  let clean = true;
  for (const sample of ["active", "threaded", "passive"]) {
    const driver = load(path.join(ROOT, "samples", "rtl8169", `${sample}.ts`));
    for (const strategy of STRATEGIES) {
      let failed = 0;
      let first = "";
      const start = performance.now();
      for (let i = 0; i < FALSE_ALARM_RUNS; i++) {
        const scenario = scenarios[i % scenarios.length]!;
        const seed = 1 + Math.floor(i / scenarios.length);
        if (!(await run(driver, `${sample}|${scenario}`, scenario, strategy, seed))) {
          failed++;
          if (first === "") first = `${scenario} seed ${seed}`;
        }
      }
      if (failed > 0) clean = false;
      const seconds = (performance.now() - start) / 1000;
      rows.push({
        name: `samples/rtl8169/${sample}.ts, ${strategy}: failures in ${FALSE_ALARM_RUNS} runs`,
        value: failed,
        unit: "false alarms",
        detail: `${scenarios.length} scenarios round-robin, ${seconds.toFixed(1)} s${first !== "" ? `; first: ${first}` : ""}`,
      });
    }
  }
  rows.push({ name: `target: no false alarm in ${FALSE_ALARM_RUNS} runs per sample and strategy`, value: clean ? 1 : 0, unit: clean ? "met" : "missed" });
}

export async function runExploreBench(): Promise<Row[]> {
  const rows: Row[] = [];
  await throughputRows(rows);
  await bugRows(rows);
  await falseAlarmRows(rows);
  return rows;
}

if (require.main === module) {
  void runExploreBench().then((rows) => {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(rows.map((r) => ({ ...r, value: Number.isFinite(r.value) ? r.value : null }))));
      return;
    }
    console.log(
      `Exploration: runs to first failure per strategy (budget ${BUDGET}), schedules/s per core, false alarms over ${FALSE_ALARM_RUNS} runs per sample and strategy`,
    );
    for (const r of rows) {
      if (r.name.startsWith("target:")) console.log(`  ${r.name}: ${r.unit}`);
      else if (Number.isNaN(r.value)) console.log(`  ${r.name.padEnd(64)} ${r.unit}${r.detail !== undefined ? `  (${r.detail})` : ""}`);
      else if (!r.unit.startsWith("runs to first"))
        console.log(
          `  ${r.name.padEnd(64)} ${(Number.isFinite(r.value) ? r.value.toFixed(r.unit === "runs/s" ? 0 : 0) : "-").padStart(8)} ${r.unit}${r.detail !== undefined ? `  (${r.detail})` : ""}`,
        );
    }
  });
}
