// Shared by the extension-host suites: the workspace (a copy of samples/ opened by the test
// runner, see .vscode-test.mjs and scripts/electron/in-code-server.mjs) and polling helpers.
import * as vscode from "vscode";

export const extensionId = "active-drivers.active-drivers";

/** The copy of samples/ the test instance opened. */
export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) throw new Error("no workspace folder is open: the runner must open a copy of samples/");
  return folder;
}

export function sampleUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, relativePath);
}

export async function openSample(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(sampleUri(relativePath));
  return vscode.window.showTextDocument(document);
}

/**
 * Polls `probe` until it returns a value other than undefined. The language server answers only once
 * it has started and analysed the file, so the first answers may be empty.
 */
export async function poll<T>(what: string, probe: () => Thenable<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  return typeof diagnostic.code === "object" ? diagnostic.code.value : diagnostic.code;
}

export function diagnosticsWithCode(uri: vscode.Uri, code: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === code);
}

/** The 0-based line that carries a `//~ CODE` marker (the samples mark their expected findings). */
export function markedLine(document: vscode.TextDocument, code: string): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (document.lineAt(line).text.includes(`//~ ${code}`)) return line;
  }
  throw new Error(`${document.uri.fsPath}: no //~ ${code} marker`);
}

/** The text of a hover's contents, whatever form each part takes. */
export function hoverText(hover: vscode.Hover): string {
  return hover.contents.map((part) => (typeof part === "string" ? part : part.value)).join("\n");
}
