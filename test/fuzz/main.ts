// The campaign as a process of its own (started by scripts/fuzz.mjs, which watches it for hangs):
// `--mutants N --seed S`. Reports each mutant to the parent before analysing it, and the figures
// as one JSON line at the end.
import { percentile, runCampaign } from "./campaign";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number, got '${process.argv[i + 1]}'`);
  return value;
}

const mutants = option("mutants", 10_000);
const seed = option("seed", 1);
const result = runCampaign({
  mutants,
  seed,
  onMutant: (index, file, mutant, mutantSeed) => {
    // Sent before the analysis: the last one the parent heard of is the one that hangs.
    process.send?.({ index, file, operator: mutant.operator, detail: mutant.detail, seed: mutantSeed });
  },
});
const summary = {
  mutants: result.mutants,
  crashes: result.failures.length,
  failures: result.failures.slice(0, 20),
  wallMs: Math.round(result.wallMs),
  mutantsPerSecond: Math.round((result.mutants / result.wallMs) * 1000),
  p50Ms: Number(percentile(result.times, 50).toFixed(2)),
  p99Ms: Number(percentile(result.times, 99).toFixed(2)),
  maxMs: Number(percentile(result.times, 100).toFixed(2)),
  cpuP50Ms: Number(percentile(result.cpuTimes, 50).toFixed(2)),
  cpuP99Ms: Number(percentile(result.cpuTimes, 99).toFixed(2)),
};
process.stdout.write(`${JSON.stringify(summary)}\n`);
