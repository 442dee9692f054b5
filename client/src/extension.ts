// Entry point: activate builds the one Ctx, deactivate disposes it (stopping the language server).
import type * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";
import { registerDebugging } from "./editorDebug/registration";
import { ExploreTests, type ScenarioOutcome } from "./testing/controller";

/** What the extension exports (`vscode.extensions.getExtension(id).exports`): for scripts and tests. */
export interface ActiveDriversApi {
  /** Explores one scenario of a driver as the Test Explorer does (`debug`: replays its failure in the debugger). */
  exploreScenario(driver: vscode.Uri, scenario: string, debug?: boolean): Promise<ScenarioOutcome | undefined>;
}

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): ActiveDriversApi {
  const created = new Ctx(context);
  ctx = created;
  let tests: ExploreTests;
  try {
    registerCommands(created);
    registerDebugging(created);
    tests = created.push(new ExploreTests(created));
  } catch (error) {
    // Activation errors reach the user with the way to the details, not only the developer console.
    created.showError("activation failed", error);
    throw error;
  }
  // Not awaited: commands and the debugger work while the analysis server starts; its own failures
  // are shown by Ctx with the way to the output.
  void created.startServer();
  return { exploreScenario: (driver, scenario, debug) => tests.exploreScenario(driver, scenario, debug) };
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.dispose();
}
