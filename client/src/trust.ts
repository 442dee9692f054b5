// Workspace Trust: running or debugging a driver executes workspace code, so both are refused in
// Restricted Mode (analysis is text-only and stays on). Checked where the action starts, not only in
// `when` clauses, because commands can be called directly (keybindings, other extensions, URIs).
import * as vscode from "vscode";
import { refusalMessage } from "./trustMessage";

export { refusalMessage };

const manageTrust = "Manage Workspace Trust";

/** True when the workspace is trusted; otherwise shows why `action` is refused and returns false. */
export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showErrorMessage(refusalMessage(action), manageTrust).then((choice) => {
    if (choice === manageTrust) void vscode.commands.executeCommand("workbench.trust.manage");
  });
  return false;
}
