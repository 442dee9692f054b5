// The launch configuration of the DAP contract (docs/contracts.md, "Debug adapter") and the one
// check of it, used by the adapter (any DAP client) and by the editor side (before it starts a
// session). Pure (no vscode).
import type { DebugProtocol } from "@vscode/debugprotocol";
import { builtinScenarios } from "../scenarios";

export const debugType = "active-driver";

/** A launch configuration as a client sends it: attributes of the contract, each checked by launchProblem. */
export interface LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  type?: string;
  request?: string;
  name?: string;
  driver?: string;
  /** A built-in scenario name or the path of a scenario file; default "default". */
  scenario?: string;
  /** Default 1. */
  seed?: number;
  stopOnEntry?: boolean;
  /** Write the trace to this file, one JSON event per line. */
  trace?: string;
  /** A schedule file (`*.schedule.json`) to replay: its choices, and its driver, scenario and seed unless given; the run stops at its failure. */
  replay?: string;
}

/** Why a launch configuration cannot start (after variables are substituted), or undefined. Absent optional attributes take the contract's defaults. */
export function launchProblem(config: LaunchArguments): string | undefined {
  const replay = config.replay !== undefined;
  if (replay && (typeof config.replay !== "string" || !config.replay.endsWith(".json")))
    return '"replay" must be the path of a .schedule.json file (written by active-driver explore).';
  if (replay && config.replay!.includes("${")) return `"replay" has a variable that could not be resolved: ${config.replay!}.`;
  // A replay takes the driver from its schedule file unless one is given.
  if (!(replay && config.driver === undefined)) {
    if (typeof config.driver !== "string" || config.driver === "")
      return '"driver" must name the driver file (a .ts module whose default export is defineDriver(...)), e.g. "${file}", or "replay" a schedule file.';
    if (config.driver.includes("${")) return `"driver" has a variable that could not be resolved: ${config.driver}.`;
  }
  if (config.scenario !== undefined && (typeof config.scenario !== "string" || config.scenario === ""))
    return `"scenario" must be one of ${builtinScenarios.join(", ")}, or the path of a scenario file.`;
  if (config.seed !== undefined && (typeof config.seed !== "number" || !Number.isInteger(config.seed) || config.seed < 0))
    return '"seed" must be a whole number, 0 or more.';
  if (config.stopOnEntry !== undefined && typeof config.stopOnEntry !== "boolean") return '"stopOnEntry" must be true or false.';
  if (config.trace !== undefined && typeof config.trace !== "string") return '"trace" must be the path of a .jsonl file.';
  return undefined;
}

/** A built-in scenario name, or else a scenario file path. */
export function isBuiltinScenario(scenario: string): boolean {
  return (builtinScenarios as readonly string[]).includes(scenario);
}
