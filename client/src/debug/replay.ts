// A launch configuration's `"replay": "FILE.schedule.json"`: the schedule file read and checked,
// the driver and scenario it names (unless the configuration gives them), and a warning when the
// driver's bytes are not the ones the schedule was recorded with. No `vscode` import.
import * as fs from "node:fs";
import * as path from "node:path";
import { readScheduleFile, scheduleDriverPath, sha256File, type ScheduleFile } from "active-driver/explore";

/** What the runtime needs to replay a schedule. */
export interface ReplayInfo {
  /** Absolute path of the schedule file. */
  file: string;
  choices: number[];
  /** Where the recorded run failed: the debugger stops there. */
  failure?: { seq: number; kind: string; message: string };
}

export interface ReplayLaunch {
  driver: string;
  scenario: string;
  seed: number;
  replay: ReplayInfo;
  /** Said in the debug console before the run starts (a changed driver, a driver other than the recorded one). */
  warnings: string[];
}

/** A scenario written as a file path (a slash, or a file extension) rather than a built-in name. */
function isScenarioFile(scenario: string): boolean {
  return /[\\/]/.test(scenario) || /\.(json|ts|js)$/.test(scenario);
}

/**
 * Reads the schedule `file` (absolute) for a launch. `driver`/`scenario`/`seed` from the launch
 * configuration win over the schedule's. Throws an Error naming the file and the cause when the
 * schedule is unreadable or invalid, or the driver it names does not exist.
 */
export function replayLaunch(file: string, given: { driver?: string; scenario?: string; seed?: number }): ReplayLaunch {
  const schedule: ScheduleFile = readScheduleFile(file);
  const recorded = scheduleDriverPath(file, schedule);
  const driver = given.driver !== undefined ? path.resolve(given.driver) : recorded;
  if (!fs.existsSync(driver)) throw new Error(`${file}: the driver ${driver} does not exist (give "driver" in the launch configuration if it moved)`);
  const warnings: string[] = [];
  if (path.resolve(driver) !== path.resolve(recorded)) warnings.push(`Replaying ${path.basename(file)} on ${driver}; it was recorded on ${recorded}.`);
  const sha256 = sha256File(driver);
  if (sha256 !== schedule.driver.sha256) {
    warnings.push(
      `Warning: the driver changed since this schedule was recorded: ${driver} has sha256 ${sha256.slice(0, 12)}\u2026, the schedule ${path.basename(file)} was recorded with ${schedule.driver.sha256.slice(0, 12)}\u2026. The replay follows the same choices, but the run may differ from the recorded one${schedule.failure !== undefined ? " and not reach its failure" : ""}.`,
    );
  }
  const scenario = given.scenario ?? (isScenarioFile(schedule.scenario) ? path.resolve(path.dirname(file), schedule.scenario) : schedule.scenario);
  const replay: ReplayInfo = { file, choices: [...schedule.choices] };
  const f = schedule.failure;
  if (f !== undefined && typeof f.seq === "number" && Number.isInteger(f.seq) && f.seq >= 0) replay.failure = { seq: f.seq, kind: f.kind, message: f.message };
  return { driver, scenario, seed: given.seed ?? schedule.seed ?? 1, replay, warnings };
}
