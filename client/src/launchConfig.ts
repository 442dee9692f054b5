// The launch configuration of the DAP contract (DESIGN.md), and its checks. Pure (no vscode).
import { builtinScenarios } from "./scenarios";

export const debugType = "active-driver";

export interface ActiveDriverLaunch {
  type: string;
  request: string;
  name: string;
  driver?: string;
  scenario?: string;
  seed?: number;
  stopOnEntry?: boolean;
  trace?: string;
  /** A schedule file to replay (driver, scenario and seed default to the schedule's). */
  replay?: string;
  [key: string]: unknown;
}

/** Why a launch configuration cannot start (after variables are substituted), or undefined. */
export function launchProblem(config: ActiveDriverLaunch): string | undefined {
  const replay = config.replay !== undefined;
  if (replay && (typeof config.replay !== "string" || !config.replay.endsWith(".json"))) return '"replay" must be the path of a .schedule.json file (written by active-driver explore).';
  if (replay && config.replay!.includes("${")) return `"replay" has a variable that could not be resolved: ${config.replay!}.`;
  // A replay takes the driver, scenario and seed from its schedule file unless they are given.
  if (!(replay && config.driver === undefined)) {
    if (typeof config.driver !== "string" || config.driver === "") return '"driver" must name the driver file (e.g. "${file}").';
    if (config.driver.includes("${")) return `"driver" has a variable that could not be resolved: ${config.driver}.`;
  }
  if (!(replay && config.scenario === undefined) && (typeof config.scenario !== "string" || config.scenario === "")) return `"scenario" must be one of ${builtinScenarios.join(", ")}, or the path of a scenario file.`;
  if (!(replay && config.seed === undefined) && (typeof config.seed !== "number" || !Number.isInteger(config.seed) || config.seed < 0)) return '"seed" must be a whole number, 0 or more.';
  if (typeof config.stopOnEntry !== "boolean") return '"stopOnEntry" must be true or false.';
  if (config.trace !== undefined && typeof config.trace !== "string") return '"trace" must be the path of a .jsonl file.';
  return undefined;
}

/** A built-in scenario name, or else a scenario file path. */
export function isBuiltinScenario(scenario: string): boolean {
  return (builtinScenarios as readonly string[]).includes(scenario);
}
