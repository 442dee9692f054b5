// The status bar item: the analysis state of the driver in the active editor, from the analyser's
// diagnostics (codes AD0xx). Also keeps the `activeDriver.isDriverFile` context key for menus.
import * as vscode from "vscode";
import type { AnalysisStatusParams } from "../../server/src/lsp/protocol";
import { driverFileKind, isAnalyserCode, statusText, type AnalysisDetail, type DriverFileKind, type Finding, type ServerState } from "./analysisState";

const severities: Record<vscode.DiagnosticSeverity, Finding["severity"]> = {
  [vscode.DiagnosticSeverity.Error]: "error",
  [vscode.DiagnosticSeverity.Warning]: "warning",
  [vscode.DiagnosticSeverity.Information]: "information",
  [vscode.DiagnosticSeverity.Hint]: "hint",
};

function diagnosticCode(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === "object" ? d.code.value : d.code;
}

export function analyserFindings(uri: vscode.Uri): Finding[] {
  const out: Finding[] = [];
  for (const d of vscode.languages.getDiagnostics(uri)) {
    const code = diagnosticCode(d);
    if (isAnalyserCode(code)) out.push({ code, severity: severities[d.severity] });
  }
  return out;
}

export class AnalysisStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("activeDriver.analysis", vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];
  private serverState: ServerState = "starting";
  private isDriverFile: boolean | undefined;
  /** The server's latest `activeDriver/analysisStatus` per document URI (string form). */
  private readonly statuses = new Map<string, AnalysisStatusParams>();
  /** Per document version: re-reading the text on each diagnostics event would be wasteful. */
  private kindCache = new WeakMap<vscode.TextDocument, { version: number; kind: DriverFileKind | undefined }>();

  constructor() {
    this.item.name = "Active Driver Analysis";
    this.item.command = "workbench.actions.view.problems";
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const uri = vscode.window.activeTextEditor?.document.uri.toString();
        if (uri !== undefined && e.uris.some((u) => u.toString() === uri)) this.update();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.update();
      }),
    );
    this.update();
  }

  setServerState(state: ServerState): void {
    this.serverState = state;
    this.update();
  }

  /** Records the server's status of one document (`uri` as VS Code prints it). */
  setAnalysisStatus(uri: string, status: AnalysisStatusParams): void {
    this.statuses.set(uri, status);
    if (vscode.window.activeTextEditor?.document.uri.toString() === uri) this.update();
  }

  forgetAnalysisStatuses(): void {
    this.statuses.clear();
    this.update();
  }

  /** The driver kind of the active editor's file, or undefined. */
  activeDriverKind(): DriverFileKind | undefined {
    const document = vscode.window.activeTextEditor?.document;
    return document === undefined ? undefined : this.kindOf(document);
  }

  private kindOf(document: vscode.TextDocument): DriverFileKind | undefined {
    if (document.languageId !== "typescript") return undefined;
    // The server's judgement wins once it has analysed this version (it knows imported protocols).
    const status = this.statuses.get(document.uri.toString());
    if (status !== undefined && status.version === document.version) return status.kind === "none" ? undefined : status.kind;
    const cached = this.kindCache.get(document);
    if (cached?.version === document.version) return cached.kind;
    const kind = driverFileKind(document.getText());
    this.kindCache.set(document, { version: document.version, kind });
    return kind;
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    // Focus in a panel, terminal or webview leaves no active editor: keep showing the last driver.
    if (editor === undefined && vscode.window.visibleTextEditors.length > 0 && this.isDriverFile === true) return;
    const document = editor?.document;
    const kind = document === undefined ? undefined : this.kindOf(document);
    const isDriverFile = kind === "active" || kind === "passive";
    if (isDriverFile !== this.isDriverFile) {
      this.isDriverFile = isDriverFile;
      void vscode.commands.executeCommand("setContext", "activeDriver.isDriverFile", isDriverFile);
    }
    if (document === undefined || kind === undefined) {
      this.item.hide();
      return;
    }
    const server = this.statuses.get(document.uri.toString());
    const detail: AnalysisDetail = server === undefined ? {} : { states: server.states, incomplete: server.incomplete, durationMs: server.durationMs };
    const status = statusText(kind, this.serverState, analyserFindings(document.uri), detail);
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    this.item.backgroundColor =
      status.emphasis === "error"
        ? new vscode.ThemeColor("statusBarItem.errorBackground")
        : status.emphasis === "warning"
          ? new vscode.ThemeColor("statusBarItem.warningBackground")
          : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
