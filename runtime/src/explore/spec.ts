// How a run's chooser is made, as plain data (it crosses to the driver worker): a strategy and its
// parameters, or the choices of a schedule to replay.
import { pctChooser, randomChooser, replayChooser, seededChooser, type Chooser } from "./chooser";

export interface ChoiceSpec {
  /** seeded: `--seed N` (arrival order); random, pct: a strategy's run; replay: `choices` (dfs runs replay a prefix). */
  strategy: "seeded" | "random" | "pct" | "replay";
  seed?: number;
  /** pct: bug depth. */
  depth?: number;
  /** pct: expected ordering decisions per run. */
  steps?: number;
  /** replay: the schedule. */
  choices?: number[];
}

export function chooserFor(spec: ChoiceSpec): Chooser {
  const seed = spec.seed ?? 1;
  switch (spec.strategy) {
    case "seeded":
      return seededChooser(seed);
    case "random":
      return randomChooser(seed);
    case "pct":
      return pctChooser({ seed, depth: spec.depth ?? 3, steps: spec.steps ?? 100 });
    case "replay":
      return replayChooser(spec.choices ?? []);
  }
}
