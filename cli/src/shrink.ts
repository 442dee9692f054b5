// Shrinking a failing schedule: shorter (truncated), then delta debugging over chunks of decisions
// (removed, or set to the default), while the run still fails with the same kind of failure.
// Candidates of one round run as one batch across the workers; the smallest that still fails wins.
import type { RunResult } from "active-driver/host";

/** Runs schedules (lists of choices) of the failing scenario; one result per schedule, in order. */
export type ScheduleRunner = (schedules: number[][]) => Promise<RunResult[]>;

export interface ShrinkResult {
  choices: number[];
  /** The result of the run of `choices` (the original one when nothing smaller fails). */
  result: RunResult;
  /** Replays tried. */
  tried: number;
}

export interface ShrinkLimits {
  /** Most replays (default 400). */
  maxRuns?: number;
  /** Most wall time in ms (default 30000). */
  maxMs?: number;
  /** Candidates per round (default 8). */
  width?: number;
}

/** The kind of failure a result shows (undefined: it passed, or no exploration data). */
export function failureKind(result: RunResult): string | undefined {
  if (result.ok) return undefined;
  return result.summary?.exploration?.failure?.kind ?? result.error?.kind ?? "failed";
}

/** Minimises `choices` while `run` keeps failing with `kind`. */
export async function shrinkSchedule(
  choices: readonly number[],
  kind: string,
  original: RunResult,
  run: ScheduleRunner,
  limits: ShrinkLimits = {},
): Promise<ShrinkResult> {
  const maxRuns = limits.maxRuns ?? 400;
  const deadline = Date.now() + (limits.maxMs ?? 30000);
  const width = Math.max(2, limits.width ?? 8);
  let best = trimZeros([...choices]);
  let bestResult = original;
  let tried = 0;
  const spent = (): boolean => tried >= maxRuns || Date.now() >= deadline;
  /** Runs the candidates; the first that still fails the same way, or undefined. */
  const firstFailing = async (candidates: number[][]): Promise<{ choices: number[]; result: RunResult } | undefined> => {
    const room = Math.max(0, maxRuns - tried);
    const batch = candidates.slice(0, room);
    if (batch.length === 0) return undefined;
    tried += batch.length;
    const results = await run(batch);
    for (let i = 0; i < batch.length; i++) if (failureKind(results[i]!) === kind) return { choices: batch[i]!, result: results[i]! };
    return undefined;
  };

  // 1. Truncate: the shortest prefix that still fails, narrowing the range a round at a time.
  let low = 0; // a prefix of this length is known (or assumed) to pass
  let high = best.length; // this one fails
  while (high - low > 1 && !spent()) {
    const lengths = new Set<number>();
    for (let k = 0; k < width; k++) lengths.add(low + Math.floor(((high - low) * k) / width));
    lengths.delete(high);
    const sortedLengths = [...lengths].sort((a, b) => a - b);
    const found = await firstFailing(sortedLengths.map((n) => best.slice(0, n)));
    if (found === undefined) {
      low = sortedLengths[sortedLengths.length - 1]!;
      continue;
    }
    const n = found.choices.length;
    best = trimZeros(found.choices);
    bestResult = found.result;
    // Every shorter candidate of the round passed (the first failing one is the shortest).
    low = sortedLengths[sortedLengths.indexOf(n) - 1] ?? low;
    high = best.length;
  }

  // 2. Delta debugging over chunks of decisions, coarse to fine. Removing a chunk shortens the
  // schedule (the decisions after it move up; a removed request or frame often takes its decisions
  // with it); zeroing one takes the default there instead. Removals come first in a round, so the
  // shortest failing candidate wins.
  let granularity = 2;
  while (!spent() && best.length > 0) {
    const n = Math.min(granularity, best.length);
    const chunks = Array.from({ length: n }, (_, k) => [Math.floor((best.length * k) / n), Math.floor((best.length * (k + 1)) / n)] as const);
    const seen = new Set<string>([best.join(",")]);
    const candidates: number[][] = [];
    const add = (c: number[]): void => {
      const key = c.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        candidates.push(c);
      }
    };
    for (const [from, to] of chunks) add(trimZeros([...best.slice(0, from), ...best.slice(to)]));
    for (const [from, to] of chunks) {
      if (!best.slice(from, to).some((c) => c !== 0)) continue;
      const c = [...best];
      c.fill(0, from, to);
      add(trimZeros(c));
    }
    const found = await firstFailing(candidates);
    if (found !== undefined) {
      best = found.choices;
      bestResult = found.result;
      granularity = Math.max(2, granularity - 1);
      continue;
    }
    if (n >= best.length) break;
    granularity = Math.min(best.length, granularity * 2);
  }
  return { choices: best, result: bestResult, tried };
}

/** Decisions past the end of a schedule take 0: trailing zeros say nothing. */
function trimZeros(choices: number[]): number[] {
  let end = choices.length;
  while (end > 0 && choices[end - 1] === 0) end--;
  return choices.slice(0, end);
}
