// The `explore --json` report (the CLI contract) as the Test Explorer reads it: checked field by
// field, since it comes from another process, with paths made absolute. Pure (no vscode).
import * as path from "node:path";
import type { StateMessage } from "../../views/shared/messages";

export interface ReportLocation {
  /** Absolute path. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
}

export interface ReportFailure {
  scenario: string;
  message: string;
  kind?: string;
  /** Absolute path of the failure's schedule file (what the debugger replays). */
  schedule?: string;
  location?: ReportLocation;
  /** The command that replays it, as the CLI printed it. */
  replay?: string;
  shrink?: { before: Record<string, number>; after: Record<string, number> };
}

export interface ExploreReport {
  driver: string;
  strategy: string;
  runs: number;
  passed: number;
  failed: number;
  failures: ReportFailure[];
  coverage?: { transitions: (StateMessage & { count: number })[]; unreached: StateMessage[] };
}

/** A report that is not what the contract says: names the source and the field. */
export class ReportError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: not an explore report: ${detail}`);
    this.name = "ReportError";
  }
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

function absolute(cwd: string, file: string): string {
  return path.isAbsolute(file) ? path.normalize(file) : path.resolve(cwd, file);
}

function location(value: unknown, cwd: string): ReportLocation | undefined {
  if (!isRecord(value) || typeof value.file !== "string" || value.file === "" || !isCount(value.line) || value.line < 1) return undefined;
  const column = isCount(value.column) && value.column >= 1 ? value.column : 1;
  return { file: absolute(cwd, value.file), line: value.line, column };
}

function sizes(value: unknown): Record<string, number> | undefined {
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => isCount(v))) as Record<string, number>;
}

function failure(value: unknown, index: number, cwd: string, source: string): ReportFailure {
  if (!isRecord(value)) throw new ReportError(source, `failures[${index}] is not an object`);
  if (typeof value.scenario !== "string" || value.scenario === "") throw new ReportError(source, `failures[${index}].scenario must be a scenario name`);
  if (typeof value.message !== "string") throw new ReportError(source, `failures[${index}].message must be text`);
  const out: ReportFailure = { scenario: value.scenario, message: value.message };
  if (typeof value.kind === "string") out.kind = value.kind;
  if (typeof value.schedule === "string" && value.schedule !== "") out.schedule = absolute(cwd, value.schedule);
  const loc = location(value.location, cwd);
  if (loc !== undefined) out.location = loc;
  if (typeof value.replay === "string") out.replay = value.replay;
  if (isRecord(value.shrink)) {
    const before = sizes(value.shrink.before);
    const after = sizes(value.shrink.after);
    if (before !== undefined && after !== undefined) out.shrink = { before, after };
  }
  return out;
}

function pairs<T extends StateMessage>(value: unknown, withCount: boolean): T[] {
  if (!Array.isArray(value)) return [];
  const out: T[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.state !== "string" || typeof item.message !== "string") continue;
    if (withCount) {
      if (isCount(item.count)) out.push({ state: item.state, message: item.message, count: item.count } as unknown as T);
    } else out.push({ state: item.state, message: item.message } as T);
  }
  return out;
}

/**
 * Parses the CLI's stdout. `cwd` is the directory the CLI ran in: relative paths (schedule files,
 * locations) are relative to it. `source` names the output in errors (e.g. "explore active.ts").
 */
export function parseExploreReport(text: string, cwd: string, source: string): ExploreReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const first = text.trim().split("\n")[0] ?? "";
    throw new ReportError(
      source,
      `the output is not JSON (${error instanceof Error ? error.message : String(error)})${first !== "" ? `; it begins: ${first.slice(0, 200)}` : "; it is empty"}`,
    );
  }
  if (!isRecord(data)) throw new ReportError(source, "the output is not a JSON object");
  if (!Array.isArray(data.failures)) throw new ReportError(source, '"failures" must be an array');
  for (const field of ["runs", "passed", "failed"] as const) if (!isCount(data[field])) throw new ReportError(source, `"${field}" must be a count`);
  const report: ExploreReport = {
    driver: typeof data.driver === "string" ? data.driver : "",
    strategy: typeof data.strategy === "string" ? data.strategy : "",
    runs: data.runs as number,
    passed: data.passed as number,
    failed: data.failed as number,
    failures: data.failures.map((f, i) => failure(f, i, cwd, source)),
  };
  if (isRecord(data.coverage)) report.coverage = { transitions: pairs(data.coverage.transitions, true), unreached: pairs(data.coverage.unreached, false) };
  return report;
}

/** One line per failure for the test's message: what failed, how far shrinking took it, how to replay it. */
export function failureText(f: ReportFailure): string {
  const lines = [f.kind !== undefined && !f.message.startsWith(f.kind) ? `${f.kind}: ${f.message}` : f.message];
  if (f.shrink !== undefined) {
    const b = f.shrink.before;
    const a = f.shrink.after;
    const parts = ["choices", "requests", "frames"].filter((k) => b[k] !== undefined && a[k] !== undefined).map((k) => `${k} ${b[k]} \u2192 ${a[k]}`);
    if (parts.length > 0) lines.push(`Shrunk: ${parts.join(", ")}.`);
  }
  if (f.schedule !== undefined) lines.push(`Schedule: ${f.schedule}`);
  if (f.replay !== undefined) lines.push(`Replay: ${f.replay}`);
  return lines.join("\n");
}

/** The budget setting as the CLI takes it: a number of runs ("200") or seconds ("60s"). */
export function budgetArgument(value: unknown): string {
  if (typeof value === "number" && Number.isInteger(value) && value > 0) return String(value);
  if (typeof value === "string" && /^[1-9]\d*s?$/.test(value.trim())) return value.trim();
  return "200";
}

export const strategies = ["random", "pct", "dfs"] as const;
export type Strategy = (typeof strategies)[number];

export function strategyArgument(value: unknown): Strategy {
  return (strategies as readonly unknown[]).includes(value) ? (value as Strategy) : "pct";
}

/** The CLI's arguments for one exploration of `scenario` (after the `node dist/cli.js`). */
export function exploreArguments(driver: string, scenario: string, strategy: Strategy, budget: string, outDir: string): string[] {
  return ["explore", driver, "--scenario", scenario, "--strategy", strategy, "--budget", budget, "--json", "--out", outDir];
}

/**
 * The coverage of several explorations of one driver (one per scenario) as one: counts add up; a
 * pair is unreached when some report lists it and no report covered it. Report order is kept.
 */
export function mergeCoverage(reports: readonly ExploreReport[]): NonNullable<ExploreReport["coverage"]> | undefined {
  const withCoverage = reports.filter((r) => r.coverage !== undefined);
  if (withCoverage.length === 0) return undefined;
  const key = (p: StateMessage): string => JSON.stringify([p.state, p.message]);
  const counts = new Map<string, StateMessage & { count: number }>();
  const unreached = new Map<string, StateMessage>();
  for (const r of withCoverage) {
    for (const t of r.coverage!.transitions) {
      const seen = counts.get(key(t));
      if (seen !== undefined) seen.count += t.count;
      else counts.set(key(t), { ...t });
    }
    for (const u of r.coverage!.unreached) if (!unreached.has(key(u))) unreached.set(key(u), { ...u });
  }
  return { transitions: [...counts.values()], unreached: [...unreached.values()].filter((u) => (counts.get(key(u))?.count ?? 0) === 0) };
}

/** The failures with a kind, message and location not seen before in the list (report order). */
export function distinctFailures(failures: readonly ReportFailure[]): ReportFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = JSON.stringify([f.kind, f.message, f.location?.file, f.location?.line]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
