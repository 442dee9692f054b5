// `active-driver explore DRIVER.ts [--strategy random|pct|dfs] [--depth d] [--budget N|Ns] [--runs N]
// [--seed N] [--scenario NAME[,NAME]]... [--out DIR] [--json]`: systematic exploration. Every
// nondeterministic decision of a run goes through a chooser; a strategy picks the choices (random,
// PCT with d - 1 priority change points, or dfs: every schedule of a small bounded configuration).
// Each failure is shrunk and written as `<driver>.<scenario>.<n>.schedule.json` (into --out), which
// `active-driver run --replay FILE` reproduces. Runs go through one worker per core. Exit 0 when
// every run is clean, 1 when one fails, 2 on bad usage.
import * as fs from "node:fs";
import * as path from "node:path";
import { runDriverBatch, type RunResult, type RunSpec } from "active-driver/host";
import type { SourceLocation } from "active-driver";
import {
  formatCoverage,
  mergeCoverage,
  sha256File,
  scheduleFileName,
  writeScheduleFile,
  type ChoiceSpec,
  type CoverageReport,
  type ScheduleFile,
  type ScheduleSize,
} from "active-driver/explore";
import { SCENARIO_NAMES } from "active-driver/nic";
import { driverArgument, scenarioArgument, seedArgument } from "./run";
import { dfsChildren, explorePlan, parseBudget, type Budget, type ExploreRun, type Strategy, STRATEGIES, workerCount } from "./explorePlan";
import { failureKind, shrinkSchedule } from "./shrink";
import { exploreMerge } from "./exploreMerge";
import { ExploreProgress } from "./exploreProgress";
import { inShard, parseShard, shardPlan } from "./exploreShard";
import { parseArgs, UsageError } from "./usage";
import { defined } from "../../runtime/src/defined";

export { explorePlan, parseBudget, dfsChildren } from "./explorePlan";
export type { ExploreRun, Budget, Strategy } from "./explorePlan";

/** Runs per scenario when no budget is given. */
const SEEDS_BY_DEFAULT = 4;
/** Runs per batch when the budget is a time (the budget is checked between batches). */
const RUNS_PER_WORKER_BATCH = 4;

/**
 * Takes every `--scenario VALUE` / `--scenario=VALUE` out of `args` (the option repeats, which
 * parseArgs does not keep); the rest goes to parseArgs.
 */
export function takeScenarioOptions(args: readonly string[]): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg !== "--scenario" && !arg.startsWith("--scenario=")) {
      rest.push(arg);
      continue;
    }
    const value = arg === "--scenario" ? args[++i] : arg.slice("--scenario=".length);
    if (value === undefined || value === "") throw new UsageError("option '--scenario' needs a value");
    values.push(value);
  }
  return { values, rest };
}

/**
 * The scenarios to explore: every built-in one when none is named; else the named ones, comma-separated
 * or repeated, in order, once each. A name that is not a scenario (nor a scenario file, as `run`
 * takes) is a UsageError listing the valid names.
 */
export function scenarioSelection(values: readonly string[]): string[] {
  if (values.length === 0) return [...SCENARIO_NAMES];
  const chosen: string[] = [];
  for (const value of values) {
    for (const part of value.split(",")) {
      const name = part.trim();
      if (name === "") throw new UsageError(`--scenario: empty scenario name in '${value}'; use one of ${SCENARIO_NAMES.join(", ")}`);
      scenarioArgument(name); // throws the usage error naming the valid scenarios; a file is read and checked here
      if (!chosen.includes(name)) chosen.push(name);
    }
  }
  return chosen;
}

/** Why a run failed, in one line. */
export function failureReason(result: RunResult): string {
  const found = result.summary?.exploration?.failure;
  if (found !== undefined) return found.message;
  const s = result.summary;
  if (s === undefined) return result.error?.message ?? "no result";
  if (s.failure !== undefined) return s.failure;
  const v = s.violations[0];
  if (v !== undefined) return `${v.kind}: ${v.detail}${s.violations.length > 1 ? ` (and ${s.violations.length - 1} more violations)` : ""}`;
  return s.problems[0] ?? "not ok";
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** The command that replays a schedule file. */
export function replayCommand(schedule: string): string {
  return `active-driver run --replay ${quote(schedule)}`;
}

/** Where in the driver's sources the run failed, when known. */
function failureLocation(result: RunResult): SourceLocation | undefined {
  const s = result.summary;
  return s?.exploration?.failure?.location ?? s?.failureLoc ?? s?.violations.find((v) => v.loc !== undefined)?.loc ?? result.error?.loc;
}

/** One failing run in the --json report. */
export interface ExploreFailure {
  scenario: string;
  message: string;
  /** The schedule file (relative to the working directory, or absolute). */
  schedule: string;
  kind: string;
  seed?: number;
  location?: SourceLocation;
  replay: string;
  shrink?: { before: ScheduleSize; after: ScheduleSize };
}

/** The --json report: deterministic for the same driver, strategy, scenarios, seeds and run budget (no timings). */
export interface ExploreReport {
  driver: string;
  strategy: Strategy;
  depth?: number;
  scenarios: string[];
  runs: number;
  passed: number;
  failed: number;
  /** dfs: every schedule of the bound was run. */
  exhaustive?: boolean;
  failures: ExploreFailure[];
  coverage: CoverageReport;
  /** This machine's share (`--shard i/n`); `explore merge` joins the shards' reports. */
  shard?: { index: number; count: number };
}

interface Failed {
  index: number;
  run: ExploreRun;
  result: RunResult;
}

export async function explore(args: string[]): Promise<number> {
  if (args[0] === "merge") return exploreMerge(args.slice(1));
  const { values: scenarioValues, rest } = takeScenarioOptions(args);
  const { options, positional } = parseArgs(rest, {
    runs: "string",
    budget: "string",
    seed: "string",
    strategy: "string",
    depth: "string",
    out: "string",
    json: "boolean",
    shard: "string",
  });
  const driver = driverArgument(positional, "explore");
  const scenarios = scenarioSelection(scenarioValues);
  const strategy = strategyArgument(options["strategy"]);
  const depth = depthArgument(options["depth"], strategy);
  if (options["runs"] !== undefined && options["budget"] !== undefined) throw new UsageError("--runs is a synonym of --budget: give one of them");
  const budget = parseBudget(
    options["budget"] ?? options["runs"],
    options["budget"] !== undefined ? "--budget" : "--runs",
    scenarios.length * SEEDS_BY_DEFAULT,
  );
  const firstSeed = seedArgument(options["seed"], 1);
  const outDir = outArgument(options["out"]);
  const json = options["json"] === true;
  const shard = options["shard"] === undefined ? undefined : parseShard(String(options["shard"]));
  const progress = new ExploreProgress(
    process.stdout,
    budget.kind === "runs" ? shardPlan(explorePlan(budget.runs, firstSeed, scenarios), shard, scenarios.length).length : undefined,
    ExploreProgress.wanted(process.stdout, json),
  );

  const progressCoverage = new CoverageTally((covered, total) => progress.coverage(covered, total));

  const started = Date.now();
  const workers = workerCount();
  const failed: Failed[] = [];
  const coverages: CoverageReport[] = [];
  let done = 0;
  /** Runs `runs` across the workers; calls back per result; resolves in order. */
  const runAll = async (runs: ExploreRun[]): Promise<RunResult[]> => {
    const specs: RunSpec[] = runs.map((r) => ({ scenario: r.scenario, seed: r.seed, schedule: r.schedule, explore: true }));
    return runSpread(driver, specs, workers);
  };
  const record = (run: ExploreRun, result: RunResult): void => {
    const index = done++;
    const coverage = result.summary?.exploration?.coverage;
    if (coverage !== undefined) {
      coverages.push(coverage);
      if (progress.enabled) progressCoverage.add(coverage);
    }
    progress.result(result.ok);
    if (result.ok) return;
    failed.push({ index, run, result });
    if (!json) progress.print(`FAIL  ${run.scenario}${run.schedule.strategy === "replay" ? "" : ` seed ${run.seed}`}: ${failureReason(result)}\n`);
  };

  let exhaustive: boolean | undefined;
  const timeLeft = (): boolean => budget.kind !== "time" || Date.now() - started < budget.ms;
  if (strategy === "dfs") {
    // Sharded, dfs splits whole trees: each shard enumerates every schedule of its scenarios.
    exhaustive = await exploreDfs(shardPlan(scenarios, shard), budget, workers, runAll, record, timeLeft);
  } else {
    const steps = strategy === "pct" ? await orderingSteps(scenarios, firstSeed, runAll) : new Map<string, number>();
    const batch = budget.kind === "runs" ? budget.runs : workers * RUNS_PER_WORKER_BATCH;
    for (let offset = 0; budget.kind === "runs" ? offset < budget.runs : timeLeft(); offset += batch) {
      const count = budget.kind === "runs" ? Math.min(batch, budget.runs - offset) : batch;
      const plan = explorePlan(offset + count, firstSeed, scenarios)
        .slice(offset)
        .filter((_, i) => inShard(offset + i, shard, scenarios.length));
      const runs = plan.map((r) => ({ ...r, schedule: strategySpec(strategy, r.seed, depth, steps.get(r.scenario)) }));
      const results = await runAll(runs);
      results.forEach((result, i) => record(runs[i]!, result));
    }
  }

  progress.done();
  const failures = await writeFailures(driver, failed, strategy, depth, outDir, workers, json);
  const coverage = mergeCoverage(coverages);
  if (json) {
    const report: ExploreReport = {
      driver,
      strategy,
      ...(strategy === "pct" ? { depth } : {}),
      scenarios,
      runs: done,
      passed: done - failed.length,
      failed: failed.length,
      ...defined({ exhaustive }),
      ...defined({ shard }),
      failures,
      coverage,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const seconds = (Date.now() - started) / 1000;
    const perSecond = done / Math.max(0.001, seconds);
    for (const f of failures)
      process.stdout.write(
        `schedule ${f.schedule} (${f.kind}${f.shrink !== undefined ? `; shrunk from ${f.shrink.before.choices} to ${f.shrink.after.choices} choices, ${f.shrink.before.nonDefault} to ${f.shrink.after.nonDefault} not default` : ""})\n      replay: ${f.replay}\n`,
      );
    const verdict = failed.length === 0 ? "all passed" : `${failed.length} failed`;
    const described = `${scenarios.length === SCENARIO_NAMES.length && scenarioValues.length === 0 ? `${scenarios.length} scenarios` : `${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"}: ${scenarios.join(" + ")}`}, ${strategy}${strategy === "pct" ? ` depth ${depth}` : ""}`;
    process.stdout.write(`${done} runs (${described}) in ${seconds.toFixed(1)} s (${perSecond.toFixed(1)} runs/s): ${verdict}\n`);
    if (exhaustive === true)
      process.stdout.write(`exhaustive: ${done.toLocaleString("en-US")} schedules, ${failed.length === 0 ? "all pass" : `${failed.length} fail`}\n`);
    else if (exhaustive === false) process.stdout.write(`not exhaustive: the budget ended after ${done.toLocaleString("en-US")} schedules\n`);
    process.stdout.write(`${formatCoverage(coverage)}\n`);
  }
  return failed.length === 0 ? 0 : 1;
}

/** Transitions covered so far, of those the protocol enables, for the progress line (a set union per run, no merge). */
class CoverageTally {
  private readonly covered = new Set<string>();
  private readonly enabled = new Set<string>();
  constructor(private readonly onChange: (covered: number, total: number) => void) {}
  add(c: CoverageReport): void {
    for (const t of c.transitions) this.covered.add(`${t.state}\u0000${t.message}`);
    for (const t of [...c.transitions, ...c.unreached]) this.enabled.add(`${t.state}\u0000${t.message}`);
    this.onChange(this.covered.size, this.enabled.size);
  }
}

function strategyArgument(value: string | boolean | undefined): Strategy {
  if (value === undefined) return "random";
  const text = String(value);
  if (!(STRATEGIES as readonly string[]).includes(text)) throw new UsageError(`--strategy: expected one of ${STRATEGIES.join(", ")}, got '${text}'`);
  return text as Strategy;
}

function depthArgument(value: string | boolean | undefined, strategy: Strategy): number {
  if (value === undefined) return 3;
  if (strategy !== "pct") throw new UsageError("--depth is for --strategy pct");
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1000) throw new UsageError(`--depth: expected an integer from 1 to 1000, got '${text}'`);
  return Number(text);
}

/** --out DIR: an existing directory, or one that can be made. */
function outArgument(value: string | boolean | undefined): string {
  if (value === undefined) return ".";
  const dir = String(value);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out ${dir}: cannot write schedule files there (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return dir;
}

function strategySpec(strategy: Strategy, seed: number, depth: number, steps: number | undefined): ChoiceSpec {
  return strategy === "pct" ? { strategy: "pct", seed, depth, steps: steps ?? 100 } : { strategy: "random", seed };
}

/** PCT draws its change points among the ordering decisions of a run: one random probe run per scenario counts them. */
async function orderingSteps(scenarios: string[], seed: number, runAll: (runs: ExploreRun[]) => Promise<RunResult[]>): Promise<Map<string, number>> {
  const results = await runAll(scenarios.map((scenario) => ({ scenario, seed, schedule: { strategy: "random", seed } })));
  const steps = new Map<string, number>();
  results.forEach((r, i) => {
    const kinds = r.summary?.exploration?.kinds ?? [];
    steps.set(scenarios[i]!, Math.max(1, kinds.filter((k) => k === "thread" || k === "os-activity").length));
  });
  return steps;
}

/**
 * dfs: every schedule of each scenario, where ordering decisions (which OS activity, which ready
 * thread, which request) take each of their options and values (gaps, sizes, offsets) their
 * default. Returns true when every schedule ran within the budget.
 */
async function exploreDfs(
  scenarios: string[],
  budget: Budget,
  workers: number,
  runAll: (runs: ExploreRun[]) => Promise<RunResult[]>,
  record: (run: ExploreRun, result: RunResult) => void,
  timeLeft: () => boolean,
): Promise<boolean> {
  let ran = 0;
  let complete = true;
  for (const scenario of scenarios) {
    const stack: number[][] = [[]];
    while (stack.length > 0) {
      if ((budget.kind === "runs" && ran >= budget.runs) || !timeLeft()) return false;
      const room = budget.kind === "runs" ? budget.runs - ran : Infinity;
      const take = Math.min(stack.length, room, workers * RUNS_PER_WORKER_BATCH);
      const prefixes = stack.splice(stack.length - take, take).reverse();
      const runs = prefixes.map((choices) => ({ scenario, seed: 0, schedule: { strategy: "replay", choices } as ChoiceSpec }));
      const results = await runAll(runs);
      ran += runs.length;
      results.forEach((result, i) => {
        record(runs[i]!, result);
        const x = result.summary?.exploration;
        if (x === undefined) {
          complete = false; // the run died: its subtree is unknown
          return;
        }
        // The last pushed runs next: the deepest branches first, as a depth-first search goes.
        stack.push(...dfsChildren(prefixes[i]!.length, x.choices, x.options, x.kinds));
      });
    }
  }
  return complete;
}

/** Runs specs across up to `workers` workers, in contiguous slices; results in order. */
async function runSpread(driver: string, specs: RunSpec[], workers: number): Promise<RunResult[]> {
  const n = Math.max(1, Math.min(workers, specs.length));
  const share = Math.ceil(specs.length / n);
  const slices = Array.from({ length: n }, (_, w) => specs.slice(w * share, (w + 1) * share)).filter((s) => s.length > 0);
  const parts = await Promise.all(slices.map((slice) => runDriverBatch(driver, slice)));
  return parts.flat();
}

/** Shrinks each failure (the first of each scenario and kind), writes its schedule file, and reports it. */
async function writeFailures(
  driver: string,
  failed: Failed[],
  strategy: Strategy,
  depth: number,
  outDir: string,
  workers: number,
  json: boolean,
): Promise<ExploreFailure[]> {
  failed.sort((a, b) => a.index - b.index);
  const shrunk = new Set<string>();
  const driverSha = failed.length > 0 ? sha256File(driver) : "";
  const out: ExploreFailure[] = [];
  let n = 0;
  for (const { run, result } of failed) {
    n++;
    const exploration = result.summary?.exploration;
    const kind = failureKind(result) ?? "failed";
    let choices = exploration?.choices ?? result.choicesUntilLost ?? run.schedule.choices ?? [];
    let final = result;
    let shrink: ExploreFailure["shrink"];
    const key = `${run.scenario}\u0000${kind}`;
    if (exploration !== undefined && !shrunk.has(key)) {
      shrunk.add(key);
      if (!json) process.stdout.write(`shrinking the ${run.scenario} failure (${kind}, ${choices.length} choices)...\n`);
      const found = await shrinkSchedule(choices, kind, result, async (schedules) =>
        runSpread(
          driver,
          schedules.map((c) => ({ scenario: run.scenario, seed: run.seed, schedule: { strategy: "replay", choices: c }, explore: true })),
          workers,
        ),
      );
      choices = found.choices;
      final = found.result;
      const after = final.summary?.exploration?.size;
      if (after !== undefined)
        shrink = { before: exploration.size, after: { ...after, choices: choices.length, nonDefault: choices.filter((c) => c !== 0).length } };
      // Exploring runs trace locations at waits only: the first failure of each scenario and kind is
      // replayed once with all of them (a protocol violation is located at its send); the rest of the
      // same kind keep what they have rather than start a worker each.
      const [located] = await runSpread(
        driver,
        [{ scenario: run.scenario, seed: run.seed, schedule: { strategy: "replay", choices }, explore: true, allLocations: true }],
        1,
      );
      if (located !== undefined && failureKind(located) === kind) final = located;
    }
    const file = path.join(outDir, scheduleFileName(driver, run.scenario, n));
    const failure = final.summary?.exploration?.failure ?? { kind, message: failureReason(final), timeUs: 0, seq: 0 };
    const schedule: ScheduleFile = {
      format: "active-driver-schedule",
      version: 1,
      driver: { path: path.relative(path.resolve(outDir), path.resolve(driver)) || path.basename(driver), sha256: driverSha },
      scenario: (SCENARIO_NAMES as readonly string[]).includes(run.scenario) ? run.scenario : path.relative(path.resolve(outDir), path.resolve(run.scenario)),
      strategy,
      ...(strategy !== "dfs" ? { seed: run.seed } : {}),
      ...(strategy === "pct" ? { depth } : {}),
      choices,
      failure,
      ...defined({ shrink }),
    };
    writeScheduleFile(file, schedule);
    const shown = path.isAbsolute(outDir) ? path.resolve(file) : file;
    const location = failureLocation(final);
    out.push({
      scenario: run.scenario,
      message: failure.message,
      schedule: shown,
      kind: failure.kind,
      ...(strategy !== "dfs" ? { seed: run.seed } : {}),
      ...defined({ location }),
      replay: replayCommand(shown),
      ...defined({ shrink }),
    });
  }
  return out;
}
