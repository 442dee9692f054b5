// `active-driver explore merge REPORT.json...`: joins the JSON reports of the shards of one
// exploration (`explore --shard i/n --json`, one per CI job) into one: runs, passes and failures
// summed, failures listed in shard order, coverage joined (counts summed; a transition is unreached
// only if no shard reached it). Reports of different drivers or strategies are refused. Exit 0 when
// the joined exploration is clean, 1 when a run failed, 2 on bad usage or an unreadable report.
import * as fs from "node:fs";
import { parseArgs, UsageError } from "./usage";

interface Transition {
  state: string;
  message: string;
  count: number;
}
interface WaitSite {
  file: string;
  line: number;
  column: number;
  messages: Record<string, number>;
}
interface FaultCoverage {
  kind: string;
  state: string;
  count: number;
}
export interface Coverage {
  transitions: Transition[];
  unreached: { state: string; message: string }[];
  waitSites: WaitSite[];
  faults: FaultCoverage[];
}

/** The fields of an explore --json report that merging reads; others pass through from the first report. */
export interface MergeableReport {
  driver: string;
  strategy?: string;
  runs: number;
  passed: number;
  failed: number;
  failures: unknown[];
  coverage?: Coverage;
  shard?: { index: number; count: number };
  scenarios?: string[];
  seeds?: { first: number; last: number };
  [other: string]: unknown;
}

export interface MergedReport extends MergeableReport {
  /** The shards joined (1-based), and how many the exploration had, when the reports say. */
  shards?: { count: number; merged: number[]; missing: number[] };
}

/** Reads and checks one report; errors name the file and what is wrong. */
export function readReport(file: string): MergeableReport {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`${file}: cannot read the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message}); give the output of explore --json`);
  }
  const r = data as Partial<MergeableReport> | null;
  if (r === null || typeof r !== "object" || Array.isArray(r)) throw new UsageError(`${file}: not an explore --json report (expected an object)`);
  if (typeof r.driver !== "string") throw new UsageError(`${file}: not an explore --json report (no "driver")`);
  for (const key of ["runs", "passed", "failed"] as const) {
    if (typeof r[key] !== "number" || !Number.isInteger(r[key]) || r[key] < 0) throw new UsageError(`${file}: "${key}" must be a non-negative integer`);
  }
  if (!Array.isArray(r.failures)) throw new UsageError(`${file}: "failures" must be an array`);
  return r as MergeableReport;
}

/** Joins reports of one exploration; `names` (the files) go into the errors. */
export function mergeReports(reports: readonly MergeableReport[], names: readonly string[] = reports.map((_, i) => `report ${i + 1}`)): MergedReport {
  if (reports.length === 0) throw new UsageError("explore merge: give one or more JSON reports (explore --shard i/n --json > shard-i.json)");
  const first = reports[0]!;
  reports.forEach((r, i) => {
    if (r.driver !== first.driver)
      throw new UsageError(`${names[i]}: driver ${r.driver} differs from ${first.driver} in ${names[0]}: these are not shards of one exploration`);
    if (r.strategy !== first.strategy)
      throw new UsageError(`${names[i]}: strategy ${String(r.strategy)} differs from ${String(first.strategy)} in ${names[0]}`);
  });
  // Shard order when the reports say which shard they are; argument order otherwise.
  const order = reports.map((r, i) => ({ r, i })).sort((a, b) => (a.r.shard?.index ?? a.i) - (b.r.shard?.index ?? b.i));
  const merged: MergedReport = { ...first, runs: 0, passed: 0, failed: 0, failures: [] };
  delete merged.shard;
  for (const { r } of order) {
    merged.runs += r.runs;
    merged.passed += r.passed;
    merged.failed += r.failed;
    merged.failures.push(...r.failures);
  }
  const scenarios = reports.flatMap((r) => r.scenarios ?? []);
  if (scenarios.length > 0) merged.scenarios = [...new Set(scenarios)];
  const seeds = reports.map((r) => r.seeds).filter((s): s is { first: number; last: number } => s !== undefined);
  if (seeds.length > 0) merged.seeds = { first: Math.min(...seeds.map((s) => s.first)), last: Math.max(...seeds.map((s) => s.last)) };
  // dfs: the joined enumeration is exhaustive when every shard's was.
  if (reports.some((r) => typeof r["exhaustive"] === "boolean")) merged["exhaustive"] = reports.every((r) => r["exhaustive"] === true);
  const coverages = reports.map((r) => r.coverage).filter((c): c is Coverage => c !== undefined);
  if (coverages.length > 0) merged.coverage = mergeCoverage(coverages);
  const shards = shardsOf(reports, names);
  if (shards !== undefined) merged.shards = shards;
  return merged;
}

function shardsOf(reports: readonly MergeableReport[], names: readonly string[]): MergedReport["shards"] {
  const given = reports.map((r) => r.shard);
  if (given.every((s) => s === undefined)) return undefined;
  const count = given.find((s) => s !== undefined)!.count;
  const merged: number[] = [];
  given.forEach((s, i) => {
    if (s === undefined) throw new UsageError(`${names[i]}: has no "shard" while the others do (run each job with --shard i/n)`);
    if (s.count !== count) throw new UsageError(`${names[i]}: shard ${s.index}/${s.count} is not one of ${count} shards`);
    if (merged.includes(s.index)) throw new UsageError(`${names[i]}: shard ${s.index}/${count} given twice`);
    merged.push(s.index);
  });
  merged.sort((a, b) => a - b);
  const missing = Array.from({ length: count }, (_, k) => k + 1).filter((k) => !merged.includes(k));
  return { count, merged, missing };
}

export function mergeCoverage(all: readonly Coverage[]): Coverage {
  const transitions = new Map<string, Transition>();
  const waitSites = new Map<string, WaitSite>();
  const faults = new Map<string, FaultCoverage>();
  const unreachedEverywhere = new Map<string, { state: string; message: string }>();
  all.forEach((c, i) => {
    for (const t of c.transitions ?? []) {
      const key = `${t.state}\u0000${t.message}`;
      const had = transitions.get(key);
      if (had !== undefined) had.count += t.count;
      else transitions.set(key, { ...t });
    }
    for (const w of c.waitSites ?? []) {
      const key = `${w.file}:${w.line}:${w.column}`;
      const had = waitSites.get(key);
      if (had === undefined) waitSites.set(key, { ...w, messages: { ...w.messages } });
      else for (const [m, n] of Object.entries(w.messages)) had.messages[m] = (had.messages[m] ?? 0) + n;
    }
    for (const f of c.faults ?? []) {
      const key = `${f.kind}\u0000${f.state}`;
      const had = faults.get(key);
      if (had !== undefined) had.count += f.count;
      else faults.set(key, { ...f });
    }
    // Unreached in the joined exploration: unreached in every shard (and so reached by none).
    const here = new Set((c.unreached ?? []).map((u) => `${u.state}\u0000${u.message}`));
    if (i === 0) for (const u of c.unreached ?? []) unreachedEverywhere.set(`${u.state}\u0000${u.message}`, { state: u.state, message: u.message });
    else for (const key of [...unreachedEverywhere.keys()]) if (!here.has(key)) unreachedEverywhere.delete(key);
  });
  for (const key of transitions.keys()) unreachedEverywhere.delete(key);
  return {
    transitions: [...transitions.values()],
    unreached: [...unreachedEverywhere.values()],
    waitSites: [...waitSites.values()],
    faults: [...faults.values()],
  };
}

/** One line per failure for the text output. */
function failureLine(f: unknown): string {
  const o = (f ?? {}) as Record<string, unknown>;
  const what = [o["scenario"], o["seed"] !== undefined ? `seed ${String(o["seed"])}` : undefined].filter((x) => x !== undefined).join(" ");
  const message = o["message"] ?? o["reason"] ?? "failed";
  const replay = typeof o["replay"] === "string" ? `\n      replay: ${o["replay"]}` : "";
  return `FAIL  ${what !== "" ? `${what}: ` : ""}${String(message)}${replay}`;
}

/** `explore merge [--json] REPORT.json...` */
export async function exploreMerge(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, { json: "boolean" });
  if (positional.length === 0) throw new UsageError("explore merge: give the JSON reports of the shards (explore --shard i/n --json > shard-i.json)");
  const reports = positional.map(readReport);
  const merged = mergeReports(reports, positional);
  if (merged.shards !== undefined && merged.shards.missing.length > 0) {
    process.stderr.write(
      `explore merge: warning: shard(s) ${merged.shards.missing.map((k) => `${k}/${merged.shards!.count}`).join(", ")} missing: the joined report covers part of the exploration\n`,
    );
  }
  if (options["json"] === true) process.stdout.write(`${JSON.stringify(merged, null, 2)}\n`);
  else {
    for (const f of merged.failures) process.stdout.write(`${failureLine(f)}\n`);
    const cov =
      merged.coverage !== undefined
        ? `; coverage: ${merged.coverage.transitions.length} transitions reached, ${merged.coverage.unreached.length} unreached`
        : "";
    process.stdout.write(
      `${merged.runs} runs of ${merged.driver} from ${reports.length} report(s): ${merged.failed === 0 ? "all passed" : `${merged.failed} failed`}${cov}\n`,
    );
  }
  return merged.failed === 0 ? 0 : 1;
}
