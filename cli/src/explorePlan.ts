// The plan of an exploration: which scenario and seed each run takes, the budget (runs or time),
// and the children of a schedule in a depth-first enumeration.
import { availableParallelism } from "node:os";
import { ORDERING_KINDS, type ChoiceKind, type ChoiceSpec } from "active-driver/explore";
import { SCENARIO_NAMES } from "active-driver/nic";
import { UsageError } from "./usage";

export const STRATEGIES = ["random", "pct", "dfs"] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface PlanEntry {
  /** A scenario name, or the path of a scenario file, as given. */
  scenario: string;
  seed: number;
}

export interface ExploreRun extends PlanEntry {
  schedule: ChoiceSpec;
}

export type Budget = { kind: "runs"; runs: number } | { kind: "time"; ms: number };

/** Run i: scenario i mod the number of scenarios, seed first + i div it (every scenario per seed). */
export function explorePlan(runs: number, firstSeed: number, scenarios: readonly string[] = SCENARIO_NAMES): PlanEntry[] {
  return Array.from({ length: runs }, (_, i) => ({ scenario: scenarios[i % scenarios.length]!, seed: firstSeed + Math.floor(i / scenarios.length) }));
}

/** `--budget 200` (runs) or `--budget 60s` (wall time); `fallback` runs when not given. */
export function parseBudget(value: string | boolean | undefined, option: string, fallback: number): Budget {
  if (value === undefined) return { kind: "runs", runs: fallback };
  const text = String(value);
  const time = /^(\d+(?:\.\d+)?)(s|m)$/.exec(text);
  if (time !== null && option === "--budget") {
    const ms = Number(time[1]) * (time[2] === "m" ? 60000 : 1000);
    if (ms > 0) return { kind: "time", ms };
  }
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(
      option === "--budget"
        ? `--budget: expected a number of runs (200) or seconds (60s), got '${text}'`
        : `--runs: expected a positive integer, got '${text}'`,
    );
  }
  return { kind: "runs", runs: Number(text) };
}

/** One worker per core (at most 4: each holds a driver, its NIC and its DMA memory). */
export function workerCount(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/**
 * The schedules that branch off a run of `prefix` (its first `prefixLength` choices forced, the
 * rest 0): for each later ordering decision, each of its other options. Every schedule of the
 * tree is reached exactly once this way.
 */
export function dfsChildren(prefixLength: number, choices: readonly number[], options: readonly number[], kinds: readonly ChoiceKind[]): number[][] {
  const children: number[][] = [];
  for (let i = prefixLength; i < choices.length; i++) {
    if (!ORDERING_KINDS.has(kinds[i]!)) continue;
    for (let a = 1; a < options[i]!; a++) children.push([...choices.slice(0, i), a]);
  }
  return children;
}
