// Which files are drivers, and which scenarios each is explored on, for the Test Explorer. Pure
// (no vscode): a cheap text scan, as the status bar's driver detection.
import * as path from "node:path";
import { driverFileKind } from "../analysisState";
import { builtinScenarios } from "../scenarios";

/** The protocol-driven workload: any request the protocol enables, at any point. */
export const PROTOCOL_FUZZ = "protocol-fuzz";

/** Scenarios every driver is explored on: the protocol-driven one first, then the NIC's built-ins. */
export const driverScenarios: readonly string[] = [...new Set<string>([PROTOCOL_FUZZ, ...builtinScenarios])];

/** Where the driver is defined (0-based line and column of its define call), or undefined when the text is no driver. */
export function driverDefinition(text: string): { kind: "active" | "passive"; line: number; column: number } | undefined {
  const kind = driverFileKind(text);
  if (kind !== "active" && kind !== "passive") return undefined;
  const match = (kind === "active" ? /\bdefineDriver\s*\(/ : /\bdefinePassiveDriver\s*\(/).exec(text)!;
  const before = text.slice(0, match.index);
  const line = before.split("\n").length - 1;
  return { kind, line, column: match.index - (before.lastIndexOf("\n") + 1) };
}

/** Files the scan skips: dependencies, build output, declarations. */
export const EXCLUDED_GLOB = "{**/node_modules/**,**/dist/**,**/out/**,**/.git/**,**/*.d.ts}";
/** Scenario files (the same globs as the editor's JSON schema for scenarios). */
export const SCENARIO_GLOB = "{**/scenarios/*.json,**/*.scenario.json}";

/** A test item's label for a scenario: a built-in name as is, a scenario file by its name. */
export function scenarioLabel(scenario: string): string {
  return driverScenarios.includes(scenario) ? scenario : path.basename(scenario);
}

/**
 * Id of a scenario's test item under its driver's. Ids need only be unique among siblings, and VS
 * Code refuses the NUL character in them (it separates the ids of a test's ancestors).
 */
export function scenarioItemId(driverId: string, scenario: string): string {
  return `${driverId}#${scenario}`;
}
