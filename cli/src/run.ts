// `active-driver run DRIVER.ts [--scenario NAME|FILE.json] [--seed N] [--trace FILE.jsonl] [--json]`:
// runs the driver from its sources in a worker thread on the simulated NIC and prints a summary.
// Exit 0 when the run is clean, 1 when the driver fails (does not load, throws, spins, runs out of
// memory, breaks the protocol or loses frames), 2 on bad usage or unreadable input.
import * as fs from "node:fs";
import * as path from "node:path";
import { formatSourceLocation, outputClash, runDriverInWorker, unwritableReason, type RunResult, type RunSummary } from "active-driver/host";
import { getScenario, loadScenarioFile, SCENARIO_NAMES, type Scenario } from "active-driver/nic";
import { readScheduleFile, scheduleDriverPath, scheduleScenario, sha256File, type ScheduleFile } from "active-driver/explore";
import { parseArgs, UsageError } from "./usage";
import { defined } from "../../runtime/src/defined";

/** What `run` and `explore` accept as the driver: an existing .ts/.js file. Bad input is a UsageError (exit 2). */
export function driverArgument(positional: string[], command: string): string {
  if (positional.length === 0) throw new UsageError(`${command}: give the driver file, e.g. \`active-driver ${command} samples/rtl8169/active.ts\``);
  if (positional.length > 1) throw new UsageError(`${command}: one driver file at a time (got ${positional.join(" ")})`);
  const file = positional[0]!;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the driver (${code === "ENOENT" ? "no such file" : (code ?? String(error))})`);
  }
  if (!stat.isFile()) throw new UsageError(`${file}: not a file (give the driver's entry file, e.g. ${path.join(file, "active.ts")})`);
  if (!/\.(ts|tsx|js|cjs)$/.test(file)) throw new UsageError(`${file}: not a driver source file (.ts or .js)`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new UsageError(`${file}: cannot read the driver (permission denied)`);
  }
  return file;
}

/** A scenario name, or a path to a scenario JSON file (read and checked here, so its errors exit 2). */
export function scenarioArgument(value: string | boolean | undefined): Scenario {
  if (value === undefined) return getScenario("default");
  const text = String(value);
  if ((SCENARIO_NAMES as readonly string[]).includes(text)) return getScenario(text);
  if (text.endsWith(".json") || text.includes("/") || text.includes("\\") || fs.existsSync(text)) {
    try {
      return loadScenarioFile(text);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  throw new UsageError(`unknown scenario '${text}': use one of ${SCENARIO_NAMES.join(", ")}, or a path to a .json scenario file`);
}

/** A seed: a non-negative integer. */
export function seedArgument(value: string | boolean | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new UsageError(`--seed: expected a non-negative integer, got '${text}'`);
  return Number(text);
}

/** An output path the run will write: refused early, with exit 2, when it cannot be written (the file itself is not touched). */
function writableOutput(value: string | boolean | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const file = String(value);
  const why = unwritableReason(file);
  if (why !== undefined) throw new UsageError(`${file}: cannot write the ${what} (${why})`);
  return file;
}

/** Errors about the run's output files, not the driver: bad usage (exit 2). */
const OUTPUT_ERRORS = new Set(["output-clash", "output", "trace-file"]);

export async function run(args: string[]): Promise<number> {
  const { options, positional } = parseArgs(args, { scenario: "string", seed: "string", trace: "string", pcap: "string", json: "boolean", replay: "string" });
  if (options["replay"] !== undefined) return replay(String(options["replay"]), positional, options);
  const driver = driverArgument(positional, "run");
  const scenario = scenarioArgument(options["scenario"]);
  const seed = seedArgument(options["seed"], scenario.seed ?? 1);
  const tracePath = writableOutput(options["trace"], "trace file");
  const pcapPath = writableOutput(options["pcap"], "capture file");
  const targets = [
    ...(tracePath !== undefined ? [{ path: tracePath, what: "trace file" }] : []),
    ...(pcapPath !== undefined ? [{ path: pcapPath, what: "capture file" }] : []),
  ];
  const clash = outputClash(targets, [driver]);
  if (clash !== undefined) throw new UsageError(clash);
  const result = await runDriverInWorker({
    driverPath: driver,
    scenario: scenario as unknown as Record<string, unknown>,
    seed,
    ...defined({ tracePath, pcapPath }),
  });
  if (result.error !== undefined && OUTPUT_ERRORS.has(result.error.kind)) throw new UsageError(result.error.message);
  const context = { driver, scenario, seed, tracePath };
  process.stdout.write(options["json"] === true ? formatRunJson(result, context) : formatRun(result, context));
  return result.ok ? 0 : 1;
}

export interface RunContext {
  driver: string;
  scenario: Scenario;
  seed: number;
  tracePath?: string | undefined;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const ms = (us: number): string => `${(us / 1000).toFixed(3)} ms`;
const wall = (millis: number): string => (millis >= 1000 ? `${(millis / 1000).toFixed(2)} s` : `${millis} ms`);

function causes(dropped: Record<string, number>): string {
  const parts = Object.entries(dropped)
    .filter(([, n]) => n > 0)
    .map(([cause, n]) => `${cause} ${n}`);
  return parts.length === 0 ? "" : `; dropped: ${parts.join(", ")}`;
}

/** Violations and problems the text summary lists; past this it says how many more there are. */
export const LISTED = 20;

/** The summary a terminal shows: what ran, what moved, what went wrong, and where (long lists cut at LISTED, with a count). */
export function formatRun(result: RunResult, context: RunContext): string {
  const out: string[] = [];
  const s = result.summary;
  out.push(`driver     ${context.driver}${s !== undefined ? ` (${s.model})` : ""}`);
  out.push(`scenario   ${context.scenario.name}, seed ${context.seed}: ${context.scenario.description}`);
  if (s === undefined) {
    const e = result.error;
    out.push(`result     FAILED: ${e?.message ?? "no result"}`);
    out.push(`time       ${wall(result.wallMs)} wall`);
    if (context.tracePath !== undefined) out.push(`trace      not written: the run did not finish (${context.tracePath} is as it was)`);
    return out.join("\n") + "\n";
  }
  const wrong = [
    s.failure !== undefined ? "driver error" : "",
    s.violations.length > 0 ? plural(s.violations.length, "protocol violation") : "",
    s.problems.length > 0 ? "frames or requests unaccounted for" : "",
  ].filter((x) => x !== "");
  const verdict = [
    s.ok ? "ok" : `FAILED: ${wrong.join(", ") || "not ok"}`,
    s.completed ? "" : "workload not completed",
    `protocol state at the end: ${s.protocolState}`,
  ];
  out.push(`result     ${verdict.filter((x) => x !== "").join("; ")}`);
  out.push(`time       ${ms(s.virtualTimeUs)} virtual, ${wall(result.wallMs)} wall, ${result.events} trace events`);
  out.push(`requests   ${formatRequests(s.requests)}; txTimeout ${s.txTimeouts}`);
  const tx = s.frames.tx;
  const rx = s.frames.rx;
  out.push(`frames     TX: ${tx.offered} from the OS, ${tx.delivered} on the wire${causes(tx.dropped)}${accountingIssues(tx)}`);
  out.push(`           RX: ${rx.offered} from the wire, ${rx.delivered} to the OS${causes(rx.dropped)}${accountingIssues(rx)}`);
  out.push(`nic        ${s.nic.txFrames} frames sent, ${s.nic.rxFrames} received, ${plural(s.nic.interrupts, "interrupt")}, ${plural(s.nic.resets, "reset")}`);
  const boxes = Object.entries(s.messages).filter(([, m]) => m.sent > 0 || m.delivered > 0 || m.queued > 0);
  if (boxes.length > 0) {
    const width = Math.max(...boxes.map(([name]) => name.length), 7);
    out.push(`messages   ${"mailbox".padEnd(width)}  ${"sent".padStart(7)}  ${"taken".padStart(7)}  ${"queued".padStart(6)}`);
    for (const [name, m] of boxes)
      out.push(`           ${name.padEnd(width)}  ${String(m.sent).padStart(7)}  ${String(m.delivered).padStart(7)}  ${String(m.queued).padStart(6)}`);
  }
  for (const f of s.faults) out.push(`fault      at ${ms(f.timeUs)}: ${f.kind}: ${f.detail}`);
  for (const v of s.violations.slice(0, LISTED)) {
    const where = v.loc !== undefined ? ` at ${formatSourceLocation(v.loc)}` : "";
    out.push(`violation  ${v.kind}: "${v.message}" in state "${v.state}"${v.thread !== undefined ? ` (thread ${v.thread})` : ""}${where}, at ${ms(v.time)}`);
    out.push(`           ${v.detail}`);
  }
  if (s.violations.length > LISTED)
    out.push(`           … ${s.violations.length - LISTED} more not shown (${s.violations.length} in all; --json lists every one)`);
  if (s.failure !== undefined)
    out.push(
      `error      ${s.failure}${s.failureLoc !== undefined && !s.failure.includes(formatSourceLocation(s.failureLoc)) ? ` (at ${formatSourceLocation(s.failureLoc)})` : ""}`,
    );
  for (const p of s.problems.slice(0, LISTED)) out.push(`problem    ${p}`);
  if (s.problems.length > LISTED) out.push(`           … ${s.problems.length - LISTED} more not shown (${s.problems.length} in all; --json lists every one)`);
  for (const n of s.notes) out.push(`note       ${n}`);
  if (context.tracePath !== undefined) out.push(`trace      ${context.tracePath} (${result.events} events, one JSON object per line)`);
  if (s.pcapFile !== undefined) out.push(`capture    ${s.pcapFile} (pcap: open it in Wireshark)`);
  return out.join("\n") + "\n";
}

/**
 * `run --json`: the run as one JSON document for scripts and CI: what ran (driver, scenario, seed),
 * `ok`, the whole summary (messages, frames, requests, faults, violations, problems; the trace and the
 * capture stay in their files), or the error that left no summary, and wall time.
 */
export function formatRunJson(result: RunResult, context: RunContext): string {
  const { ok, summary, error, files, events, wallMs } = result;
  const document = {
    driver: context.driver,
    scenario: context.scenario.name,
    seed: context.seed,
    ok,
    ...defined({ summary, error, traceFile: summary !== undefined ? context.tracePath : undefined }),
    events,
    files,
    wallMs,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** "open=0 suspend×4=0 close=-19": each request with how often it came and what it was answered. */
function formatRequests(requests: RunSummary["requests"]): string {
  const byName = new Map<string, string[]>();
  for (const r of requests) {
    const outcome = r.repliedUs !== undefined ? String(r.status) : r.error !== undefined ? "failed" : "unanswered";
    byName.set(r.name, [...(byName.get(r.name) ?? []), outcome]);
  }
  const parts = [...byName].map(([name, outcomes]) => `${name}${outcomes.length > 1 ? `×${outcomes.length}` : ""}=${[...new Set(outcomes)].join("/")}`);
  return parts.join(" ") || "none";
}

function accountingIssues(a: { lost: number; corrupted: number; duplicates: number; bogus: number }): string {
  const parts: string[] = [];
  if (a.lost > 0) parts.push(`${a.lost} lost`);
  if (a.corrupted > 0) parts.push(`${a.corrupted} corrupted`);
  if (a.duplicates > 0) parts.push(`${a.duplicates} duplicated`);
  if (a.bogus > 0) parts.push(`${a.bogus} bogus`);
  return parts.length === 0 ? "" : `; ${parts.join(", ")}`;
}

/**
 * `run --replay FILE.schedule.json`: the schedule's driver and scenario with its choices. Exit 1 when
 * the run fails (the failure recurs, or another one), 0 when it passes now, 2 when the file is
 * unreadable or invalid. A driver that changed since the schedule was recorded is replayed, with a
 * warning.
 */
async function replay(file: string, positional: string[], options: Record<string, string | boolean>): Promise<number> {
  for (const option of ["scenario", "seed"])
    if (options[option] !== undefined) throw new UsageError(`--replay takes the scenario and the choices from ${file}: leave out --${option}`);
  let schedule: ScheduleFile;
  try {
    schedule = readScheduleFile(file);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const driver = scheduleDriverPath(file, schedule);
  if (positional.length > 0 && path.resolve(positional[0]!) !== driver) throw new UsageError(`${file} is a schedule of ${driver}, not of ${positional[0]}`);
  driverArgument([driver], "run");
  const scenarioRef = scheduleScenario(file, schedule, SCENARIO_NAMES);
  let scenario: Scenario;
  try {
    scenario = scenarioArgument(scenarioRef);
  } catch (error) {
    throw new UsageError(`${file}: scenario: ${(error as Error).message}`);
  }
  const now = sha256File(driver);
  if (now !== schedule.driver.sha256) {
    process.stderr.write(
      `warning: the driver changed since this schedule was recorded: ${driver} (sha256 ${schedule.driver.sha256.slice(0, 12)}... then, ${now.slice(0, 12)}... now); replaying the same choices, the run may differ\n`,
    );
  }
  const tracePath = writableOutput(options["trace"], "trace file");
  const pcapPath = writableOutput(options["pcap"], "capture file");
  const seed = schedule.seed ?? scenario.seed ?? 1;
  const result = await runDriverInWorker({
    driverPath: driver,
    scenario: scenario as unknown as Record<string, unknown>,
    seed,
    schedule: { strategy: "replay", choices: schedule.choices },
    explore: true,
    ...defined({ tracePath }),
    ...defined({ pcapPath }),
  });
  const context = { driver, scenario, seed, tracePath };
  process.stdout.write(options["json"] === true ? formatRunJson(result, context) : formatRun(result, context) + replayVerdict(file, schedule, result));
  return result.ok ? 0 : 1;
}

/** The replay's last line: the recorded failure again, another one, or a clean run. */
function replayVerdict(file: string, schedule: ScheduleFile, result: RunResult): string {
  const now = result.summary?.exploration?.failure;
  const then = schedule.failure;
  const choices = `${schedule.choices.length} choices`;
  if (result.ok) return `replay     ${file} (${choices}): the run passes now${then !== undefined ? ` (recorded: ${then.kind})` : ""}\n`;
  const kind = now?.kind ?? result.error?.kind ?? "failed";
  if (then === undefined || then.kind === kind)
    return `replay     ${file} (${choices}): the failure recurs (${kind}${now !== undefined ? `, event ${now.seq} at ${ms(now.timeUs)}` : ""})\n`;
  return `replay     ${file} (${choices}): the run fails differently (${kind}; recorded: ${then.kind})\n`;
}
