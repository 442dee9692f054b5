// `active-driver explore DRIVER.ts [--runs N] [--seed N]`: many seeded runs across the scenarios
// (each with its faults; the seed picks the interleaving of the OS, the traffic and the faults).
// Prints each failing run with the exact command that replays it. Runs go through one worker per
// core, several runs per worker. Exit 0 when every run is clean, 1 when one fails, 2 on bad usage.
import { availableParallelism } from "node:os";
import { runDriverBatch, type RunResult, type RunSpec } from "active-driver/host";
import { SCENARIO_NAMES } from "active-driver/nic";
import { driverArgument, seedArgument } from "./run";
import { parseArgs, UsageError } from "./usage";

export interface ExploreRun extends RunSpec {
  scenario: string;
}

/** Run i: scenario i mod the number of scenarios, seed first + i div it (every scenario per seed). */
export function explorePlan(runs: number, firstSeed: number): ExploreRun[] {
  const names = SCENARIO_NAMES;
  return Array.from({ length: runs }, (_, i) => ({ scenario: names[i % names.length]!, seed: firstSeed + Math.floor(i / names.length) }));
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

export async function explore(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, { runs: "string", seed: "string" });
  const driver = driverArgument(positional, "explore");
  const runsText = options["runs"] === undefined ? String(SCENARIO_NAMES.length * 4) : String(options["runs"]);
  if (!/^\d+$/.test(runsText) || Number(runsText) < 1) throw new UsageError(`--runs: expected a positive integer, got '${runsText}'`);
  const runs = Number(runsText);
  const firstSeed = seedArgument(options["seed"], 1);
  const plan = explorePlan(runs, firstSeed);

  const started = Date.now();
  const workers = Math.max(1, Math.min(availableParallelism(), 4, plan.length));
  // Contiguous slices: each worker loads its tools once and runs its share in order.
  const share = Math.ceil(plan.length / workers);
  const slices = Array.from({ length: workers }, (_, w) => plan.slice(w * share, (w + 1) * share)).filter((s) => s.length > 0);
  const failures: { run: ExploreRun; result: RunResult }[] = [];
  let done = 0;
  await Promise.all(
    slices.map((slice) =>
      runDriverBatch(driver, slice, {}, {
        onResult: (i, result) => {
          done++;
          const run = slice[i]!;
          if (!result.ok) {
            failures.push({ run, result });
            process.stdout.write(`FAIL  ${run.scenario} seed ${run.seed}: ${failureReason(result)}\n      replay: active-driver run ${quote(driver)} --scenario ${run.scenario} --seed ${run.seed}\n`);
          }
        },
      }),
    ),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const seeds = `seeds ${firstSeed}..${plan[plan.length - 1]!.seed}`;
  process.stdout.write(`${done} runs (${SCENARIO_NAMES.length} scenarios, ${seeds}) in ${seconds} s: ${failures.length === 0 ? "all passed" : `${failures.length} failed`}\n`);
  return failures.length === 0 ? 0 : 1;
}
