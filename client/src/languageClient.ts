// The language client: starts the bundled analysis server (dist/server.js) in a Node process over
// IPC. Diagnostics are pulled (LSP 3.17 textDocument/diagnostic) on change, save and focus.
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { analysisSettings } from "./config";

export const clientId = "activeDriver"; // the client reads `${clientId}.trace.server`
export const clientName = "Active Drivers Analysis";

/** TypeScript files on disk and unsaved ones: drivers are found by their defineDriver call, not by name. */
export const driverDocumentSelector = [
  { language: "typescript", scheme: "file" },
  { language: "typescript", scheme: "untitled" },
];

/** `watcher` is owned by the caller (the client does not dispose the watchers it is given). */
export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, watcher: vscode.FileSystemWatcher): LanguageClient {
  const serverModule = context.asAbsolutePath("dist/server.js");
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6019"] } },
  };
  const analysis = analysisSettings();
  const clientOptions: LanguageClientOptions = {
    documentSelector: driverDocumentSelector,
    outputChannel: output,
    initializationOptions: { analysis: { timeBudgetMs: analysis.timeBudgetMs } },
    // A driver's protocol and helpers may live in other files: tell the server when they change.
    // didChangeConfiguration carries `activeDriver.*` (the server reads analysis.timeBudgetMs from it).
    synchronize: { fileEvents: watcher, configurationSection: "activeDriver" },
    diagnosticPullOptions: { onChange: true, onSave: true, onFocus: true },
  };
  return new LanguageClient(clientId, clientName, serverOptions, clientOptions);
}
