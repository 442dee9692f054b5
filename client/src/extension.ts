// Entry point: activate builds the one Ctx, deactivate disposes it (stopping the language server).
import type * as vscode from "vscode";
import { registerCommands } from "./commands";
import { Ctx } from "./ctx";
import { registerDebugging } from "./editorDebug/registration";
import { ExploreTests } from "./testing/controller";

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const created = new Ctx(context);
  ctx = created;
  try {
    registerCommands(created);
    registerDebugging(created);
    created.push(new ExploreTests(created));
  } catch (error) {
    // Activation errors reach the user with the way to the details, not only the developer console.
    created.showError("activation failed", error);
    throw error;
  }
  // Not awaited: commands and the debugger work while the analysis server starts; its own failures
  // are shown by Ctx with the way to the output.
  void created.startServer();
}

export async function deactivate(): Promise<void> {
  const current = ctx;
  ctx = undefined;
  await current?.dispose();
}
