// `active-driver explore DRIVER.ts [--runs N] [--seed N] [--scenario NAME[,NAME]]... [--json]`: many
// seeded runs across the scenarios (all of them, or the ones named; each with its faults; the seed
// picks the interleaving of the OS, the traffic and the faults). Prints each failing run with the
// exact command that replays it, or with --json one JSON report at the end. Runs go through one
// worker per core, several runs per worker. Exit 0 when every run is clean, 1 when one fails, 2 on bad usage.
import { availableParallelism } from "node:os";
import { runDriverBatch, type RunResult, type RunSpec } from "active-driver/host";
import type { SourceLocation } from "active-driver";
import { SCENARIO_NAMES } from "active-driver/nic";
import { exploreMerge } from "./exploreMerge";
import { ExploreProgress } from "./exploreProgress";
import { parseShard, shardPlan } from "./exploreShard";
import { driverArgument, scenarioArgument, seedArgument } from "./run";
import { parseArgs, UsageError } from "./usage";
import { defined } from "../../runtime/src/defined";

export interface ExploreRun extends RunSpec {
  /** A scenario name, or the path of a scenario file, as given (it goes into the replay command). */
  scenario: string;
}

/** Runs per scenario when --runs is not given. */
const SEEDS_BY_DEFAULT = 4;

/** Run i: scenario i mod the number of scenarios, seed first + i div it (every scenario per seed). */
export function explorePlan(runs: number, firstSeed: number, scenarios: readonly string[] = SCENARIO_NAMES): ExploreRun[] {
  return Array.from({ length: runs }, (_, i) => ({ scenario: scenarios[i % scenarios.length]!, seed: firstSeed + Math.floor(i / scenarios.length) }));
}

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

/** The command that replays one run (`run` takes the same scenario names and files). */
export function replayCommand(driver: string, run: ExploreRun): string {
  return `active-driver run ${quote(driver)} --scenario ${quote(run.scenario)} --seed ${run.seed}`;
}

/** Where in the driver's sources the run failed, when known: the driver error's line, else the first violation's, else where an oracle's finding points. */
function failureLocation(result: RunResult): SourceLocation | undefined {
  const s = result.summary;
  return s?.failureLoc ?? s?.violations.find((v) => v.loc !== undefined)?.loc ?? s?.findings?.find((f) => f.location !== undefined)?.location;
}

/** One failing run in the --json report. */
export interface ExploreFailure {
  scenario: string;
  seed: number;
  reason: string;
  replay: string;
  location?: SourceLocation;
}

/** The --json report: deterministic for the same driver, scenarios and seeds (failures in plan order, no timings). */
export interface ExploreReport {
  driver: string;
  scenarios: string[];
  seeds: { first: number; last: number };
  runs: number;
  passed: number;
  failed: number;
  failures: ExploreFailure[];
  /** This machine's share (`--shard i/n`); `explore merge` joins the shards' reports. */
  shard?: { index: number; count: number };
}

/** The summary line's "(7 scenarios, seeds 1..4)"; named scenarios are listed. */
function planDescription(scenarios: readonly string[], named: boolean, firstSeed: number, lastSeed: number): string {
  const count = `${scenarios.length} scenario${scenarios.length === 1 ? "" : "s"}`;
  return `${named ? `${count}: ${scenarios.join(" + ")}` : count}, seeds ${firstSeed}..${lastSeed}`;
}

export async function explore(args: string[]): Promise<number> {
  if (args[0] === "merge") return exploreMerge(args.slice(1));
  const { values: scenarioValues, rest } = takeScenarioOptions(args);
  const { options, positional } = parseArgs(rest, { runs: "string", seed: "string", json: "boolean", shard: "string" });
  const driver = driverArgument(positional, "explore");
  const scenarios = scenarioSelection(scenarioValues);
  const runsText = options["runs"] === undefined ? String(scenarios.length * SEEDS_BY_DEFAULT) : String(options["runs"]);
  if (!/^\d+$/.test(runsText) || Number(runsText) < 1) throw new UsageError(`--runs: expected a positive integer, got '${runsText}'`);
  const runs = Number(runsText);
  const firstSeed = seedArgument(options["seed"], 1);
  const json = options["json"] === true;
  const shard = options["shard"] === undefined ? undefined : parseShard(String(options["shard"]));
  const plan = shardPlan(explorePlan(runs, firstSeed, scenarios), shard, scenarios.length);
  const progress = new ExploreProgress(process.stdout, plan.length, ExploreProgress.wanted(process.stdout, json));

  const started = Date.now();
  const workers = Math.max(1, Math.min(availableParallelism(), 4, plan.length));
  // Contiguous slices: each worker loads its tools once and runs its share in order.
  const share = Math.ceil(plan.length / workers);
  const slices = Array.from({ length: workers }, (_, w) => plan.slice(w * share, (w + 1) * share)).filter((s) => s.length > 0);
  const failures: { index: number; run: ExploreRun; result: RunResult }[] = [];
  let done = 0;
  await Promise.all(
    slices.map((slice, w) =>
      runDriverBatch(driver, slice, {}, {
        onResult: (i, result) => {
          done++;
          progress.result(result.ok);
          const run = slice[i]!;
          if (result.ok) return;
          failures.push({ index: w * share + i, run, result });
          // Text output streams: a long exploration shows its failures as they come.
          if (!json) progress.print(`FAIL  ${run.scenario} seed ${run.seed}: ${failureReason(result)}\n      replay: ${replayCommand(driver, run)}\n`);
        },
      }),
    ),
  );
  progress.done();
  const lastSeed = plan[plan.length - 1]?.seed ?? firstSeed;
  if (json) {
    failures.sort((a, b) => a.index - b.index);
    const report: ExploreReport = {
      driver,
      scenarios,
      seeds: { first: firstSeed, last: lastSeed },
      runs: done,
      passed: done - failures.length,
      failed: failures.length,
      ...(shard !== undefined ? { shard } : {}),
      failures: failures.map(({ run, result }) => {
        const location = failureLocation(result);
        return { scenario: run.scenario, seed: run.seed, reason: failureReason(result), replay: replayCommand(driver, run), ...defined({ location }) };
      }),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const described = planDescription(scenarios, scenarioValues.length > 0, firstSeed, lastSeed);
    process.stdout.write(`${done} runs (${described}) in ${seconds} s: ${failures.length === 0 ? "all passed" : `${failures.length} failed`}\n`);
  }
  return failures.length === 0 ? 0 : 1;
}
