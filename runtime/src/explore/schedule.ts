// Schedule files (`<driver>.<scenario>.<n>.schedule.json`): the choices of one run, with the
// driver (path and content hash), the scenario, how the choices were found and the failure they
// lead to. `active-driver run --replay FILE` and the debugger replay them.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceLocation } from "../trace";

export const SCHEDULE_FORMAT = "active-driver-schedule";
export const SCHEDULE_VERSION = 1;

/** Sizes of a schedule and of the run it drives, before and after shrinking. */
export interface ScheduleSize {
  /** Decisions listed. */
  choices: number;
  /** Decisions that are not 0. */
  nonDefault: number;
  /** Requests and notifications the OS made (xmit aside). */
  requests: number;
  /** Frames the OS handed to the driver. */
  frames: number;
}

export interface ScheduleFailure {
  /** What kind of failure: a violation kind, "driver-error", "lost-frames", "unanswered", ... */
  kind: string;
  /** One line. */
  message: string;
  /** Virtual time of the event where the failure was detected. */
  timeUs: number;
  /** Trace sequence number of that event (the debugger stops there). */
  seq: number;
  location?: SourceLocation;
}

export interface ScheduleFile {
  format: typeof SCHEDULE_FORMAT;
  version: typeof SCHEDULE_VERSION;
  /** `path` relative to the schedule file's directory when relative. */
  driver: { path: string; sha256: string };
  /** A built-in scenario name, or the path of a scenario file as given. */
  scenario: string;
  strategy: string;
  seed?: number;
  depth?: number;
  choices: number[];
  failure?: ScheduleFailure;
  shrink?: { before: ScheduleSize; after: ScheduleSize };
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Reads and checks a schedule file; the Error names the file and the cause. */
export function readScheduleFile(file: string): ScheduleFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${file}: cannot read the schedule file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseSchedule(data, file);
}

/** Checks a schedule object; errors start with `where`. */
export function parseSchedule(data: unknown, where: string): ScheduleFile {
  const bad = (field: string, expected: string): never => {
    throw new Error(`${where}: ${field}: expected ${expected}`);
  };
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new Error(`${where}: a schedule file is a JSON object with "format": "${SCHEDULE_FORMAT}"`);
  const o = data as Record<string, unknown>;
  if (o.format !== SCHEDULE_FORMAT) bad("format", `"${SCHEDULE_FORMAT}" (not a schedule file?)`);
  if (o.version !== SCHEDULE_VERSION)
    throw new Error(`${where}: version: ${JSON.stringify(o.version)} is not supported (this version reads version ${SCHEDULE_VERSION})`);
  const driver = o.driver as Record<string, unknown> | undefined;
  if (typeof driver !== "object" || driver === null || Array.isArray(driver)) bad("driver", `an object { "path": ..., "sha256": ... }`);
  if (typeof driver!.path !== "string" || driver!.path === "") bad("driver.path", "a non-empty string");
  if (typeof driver!.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(driver!.sha256)) bad("driver.sha256", "64 hex digits");
  if (typeof o.scenario !== "string" || o.scenario === "") bad("scenario", "a scenario name or file path");
  if (typeof o.strategy !== "string") bad("strategy", "a string");
  for (const key of ["seed", "depth"] as const)
    if (o[key] !== undefined && (typeof o[key] !== "number" || !Number.isSafeInteger(o[key]) || (o[key] as number) < 0)) bad(key, "a non-negative integer");
  if (!Array.isArray(o.choices)) bad("choices", "an array of option indices");
  (o.choices as unknown[]).forEach((c, i) => {
    if (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0) bad(`choices[${i}]`, `a non-negative integer, got ${JSON.stringify(c)}`);
  });
  if (o.failure !== undefined) {
    const f = o.failure as Record<string, unknown>;
    if (typeof f !== "object" || f === null) bad("failure", "an object");
    if (typeof f.kind !== "string" || typeof f.message !== "string") bad("failure", `{ "kind": string, "message": string, ... }`);
  }
  return data as ScheduleFile;
}

/** Writes a schedule file (pretty JSON, the choices on one line), through a temporary file renamed into place. */
export function writeScheduleFile(file: string, schedule: ScheduleFile): void {
  const s = schedule;
  // Field order as documented; the choices on one line (they can be thousands).
  const ordered: Record<string, unknown> = { format: s.format, version: s.version, driver: s.driver, scenario: s.scenario, strategy: s.strategy };
  if (s.seed !== undefined) ordered.seed = s.seed;
  if (s.depth !== undefined) ordered.depth = s.depth;
  ordered.choices = 0;
  if (s.failure !== undefined) ordered.failure = s.failure;
  if (s.shrink !== undefined) ordered.shrink = s.shrink;
  const text = JSON.stringify(ordered, null, 2).replace(/"choices": 0/, `"choices": ${JSON.stringify(s.choices)}`);
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text + "\n");
  fs.renameSync(temporary, file);
}

/** The driver path a schedule names, resolved against the schedule file's directory. */
export function scheduleDriverPath(file: string, schedule: ScheduleFile): string {
  return path.resolve(path.dirname(file), schedule.driver.path);
}

/** The scenario a schedule names: a built-in name as is, a file path resolved against the schedule's directory. */
export function scheduleScenario(file: string, schedule: ScheduleFile, builtIn: readonly string[]): string {
  return builtIn.includes(schedule.scenario) ? schedule.scenario : path.resolve(path.dirname(file), schedule.scenario);
}

/** The schedule file's name: `<driver basename without extension>.<scenario>.<n>.schedule.json`. */
export function scheduleFileName(driverPath: string, scenario: string, n: number): string {
  const driver = path.basename(driverPath).replace(/\.[^.]+$/, "");
  const scenarioName = path.basename(scenario).replace(/\.json$/, "");
  return `${driver}.${scenarioName}.${n}.schedule.json`;
}
