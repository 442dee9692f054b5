// The mutation fuzz campaign: every sample, conformance case and analysis test case, mutated by
// seeded syntax-aware operators (mutate.ts), each mutant analysed as the editor would analyse it.
// A mutant fails when the analysis reports an internal error (a crash it caught) or throws, or when
// a finding lies outside the file it is in. Hangs are caught by whoever runs the campaign (the
// `npm run fuzz` script watches its progress; the test slice has the test runner's timeout).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { analyzeFile, createAnalysisCache, type AnalysisDiagnostic, type AnalysisHost, type Range } from "../../server/src/analysis";
import { conformanceDir } from "../conformanceDir";
import { casesDir, repoRoot, tsFilesDeep } from "../analysis/harness";
import { memoHost } from "../analysis/prefixes";
import { mutate, operators, random, type Mutant } from "./mutate";

/** Every file the campaign mutates: samples, conformance cases, analysis test cases (helpers too). */
export function seedFiles(): string[] {
  const conformance = (() => {
    try {
      return tsFilesDeep(conformanceDir);
    } catch {
      return [];
    }
  })();
  return [...tsFilesDeep(path.join(repoRoot, "samples")), ...conformance, ...tsFilesDeep(casesDir)];
}

export interface Failure {
  file: string;
  seed: number;
  operator: string;
  detail: string;
  problem: string;
}

export interface CampaignResult {
  mutants: number;
  failures: Failure[];
  /** Analysis time of each mutant, in milliseconds: wall clock, and CPU time of this process. */
  times: number[];
  cpuTimes: number[];
  wallMs: number;
}

/** Line lengths of a text, to check ranges against. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function inside(range: Range, lines: readonly number[]): boolean {
  const ok = (p: Range["start"]) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!;
  const ordered = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && ordered;
}

function outside(diagnostics: readonly AnalysisDiagnostic[], lines: readonly number[]): AnalysisDiagnostic | undefined {
  return diagnostics.find((d) => !inside(d.range, lines));
}

export interface CampaignOptions {
  mutants: number;
  seed: number;
  /** Called before each mutant is analysed (a watchdog's heartbeat). */
  onMutant?: (index: number, file: string, mutant: Mutant, seed: number) => void;
}

/** Runs `mutants` mutants, round-robin over the seed files, each from its own seed. */
export function runCampaign(options: CampaignOptions): CampaignResult {
  const files = seedFiles();
  const texts = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
  const base = memoHost();
  const cache = createAnalysisCache();
  const failures: Failure[] = [];
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const started = performance.now();
  let mutants = 0;
  for (let i = 0; mutants < options.mutants && i < options.mutants * 4; i++) {
    const file = files[i % files.length]!;
    const seed = options.seed + i;
    const rnd = random(seed);
    const operator = operators[Math.floor(rnd() * operators.length)]!;
    const mutant = mutate(file, texts.get(file)!, operator, rnd);
    if (mutant === undefined) continue;
    mutants++;
    options.onMutant?.(mutants, file, mutant, seed);
    // The mutant stands in for the file on disk too: a helper or protocol that imports it sees it.
    const host: AnalysisHost = { readFile: (p) => (p === file ? mutant.text : base.readFile(p)) };
    const fail = (problem: string) => failures.push({ file: path.relative(repoRoot, file), seed, operator, detail: mutant.detail, problem });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let result;
    try {
      result = analyzeFile(file, mutant.text, host, { cache });
    } catch (error) {
      fail(`threw: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    } finally {
      times.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    if (result.internalErrors.length > 0) fail(`internal error: ${result.internalErrors[0]!.split("\n")[0]}`);
    const bad = outside(result.diagnostics, lineLengths(mutant.text));
    if (bad) fail(`${bad.code} outside the file: ${JSON.stringify(bad.range)}`);
    for (const d of result.helperDiagnostics ?? []) {
      const text = d.file === file ? mutant.text : base.readFile(d.file);
      if (text === undefined || !inside(d.range, lineLengths(text))) fail(`${d.code} outside ${path.relative(repoRoot, d.file)}: ${JSON.stringify(d.range)}`);
    }
  }
  return { mutants, failures, times, cpuTimes, wallMs: performance.now() - started };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
