// "New Active Driver": asks a name, writes <name>.protocol.ts and <name>.ts (protocol first), opens both.
import * as vscode from "vscode";
import type { Ctx } from "../ctx";
import { driverTemplate, validateDriverName } from "./templates";

async function targetFolder(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === "file") return vscode.Uri.joinPath(active, "..");
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0]!.uri;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: "Folder for the new driver" }))?.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: "Create the driver here",
  });
  return picked?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export function newDriver(ctx: Ctx) {
  return async (): Promise<void> => {
    const name = await vscode.window.showInputBox({
      title: "New Active Driver",
      prompt: "Driver name: names the protocol file <name>.protocol.ts and the driver file <name>.ts",
      placeHolder: "my-nic",
      validateInput: validateDriverName,
    });
    if (name === undefined) return;
    const folder = await targetFolder();
    if (folder === undefined) return;
    const files = driverTemplate(name);
    const protocolUri = vscode.Uri.joinPath(folder, files.protocolFile);
    const driverUri = vscode.Uri.joinPath(folder, files.driverFile);
    const taken = [];
    for (const uri of [protocolUri, driverUri]) if (await exists(uri)) taken.push(vscode.workspace.asRelativePath(uri));
    if (taken.length > 0) {
      void vscode.window.showErrorMessage(`Active Drivers: not overwriting ${taken.join(" and ")}. Choose another name.`);
      return;
    }
    await vscode.workspace.fs.writeFile(protocolUri, Buffer.from(files.protocolText, "utf8"));
    await vscode.workspace.fs.writeFile(driverUri, Buffer.from(files.driverText, "utf8"));
    ctx.output.info(`new driver: ${protocolUri.fsPath}, ${driverUri.fsPath}`);
    // Protocol first: the driver is written against it.
    await vscode.window.showTextDocument(protocolUri, { viewColumn: vscode.ViewColumn.One, preview: false });
    await vscode.window.showTextDocument(driverUri, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  };
}
