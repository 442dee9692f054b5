// What the views ask of the extension: open an event's source line, save the trace.
import * as path from "node:path";
import * as vscode from "vscode";
import type { SourceLocation } from "../../../../runtime/src/trace";
import { toChromeTrace, toJsonLines } from "./export";
import type { TraceSession } from "../../../src/traceSession";

/** Opens `loc` (1-based line and column) in the first editor group, cursor on the call. */
export async function revealSource(loc: SourceLocation): Promise<void> {
  if (!path.isAbsolute(loc.file)) throw new Error(`cannot open ${loc.file}:${loc.line}: the trace location is not an absolute path`);
  const position = new vscode.Position(Math.max(0, loc.line - 1), Math.max(0, loc.column - 1));
  await vscode.window.showTextDocument(vscode.Uri.file(loc.file), {
    selection: new vscode.Range(position, position),
    viewColumn: vscode.ViewColumn.One,
    preserveFocus: false,
  });
}

/** The default export file name: <driver>-<scenario>-seed<N>.<ext>, beside the driver. */
export function exportFileName(session: TraceSession, format: "jsonl" | "chrome"): vscode.Uri | undefined {
  const origin = session.origin;
  const ext = format === "jsonl" ? ".trace.jsonl" : ".trace.json";
  if (origin === undefined) {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder === undefined ? undefined : vscode.Uri.joinPath(folder, `driver${ext}`);
  }
  const scenario = path
    .basename(origin.scenario)
    .replace(/\.[^.]+$/, "")
    .replace(/[^A-Za-z0-9_-]/g, "_");
  const base = path.basename(origin.driver).replace(/\.[cm]?[tj]s$/, "");
  return vscode.Uri.file(path.join(path.dirname(origin.driver), `${base}-${scenario}-seed${origin.seed}${ext}`));
}

/** Save dialog, then writes the trace as JSON lines or as Chrome trace-event JSON (Perfetto). */
export async function exportTrace(session: TraceSession, format: "jsonl" | "chrome"): Promise<vscode.Uri | undefined> {
  if (session.trace.length === 0) {
    void vscode.window.showInformationMessage("Active Drivers: there is no trace to export yet. Run or debug a driver first.");
    return undefined;
  }
  const target = await vscode.window.showSaveDialog({
    defaultUri: exportFileName(session, format),
    filters: format === "jsonl" ? { "Trace (JSON lines)": ["jsonl"] } : { "Chrome trace (Perfetto)": ["json"] },
    title: format === "jsonl" ? "Export trace as JSON lines" : "Export trace for Perfetto (Chrome trace-event JSON)",
  });
  if (target === undefined) return undefined;
  const text =
    format === "jsonl"
      ? toJsonLines(session.trace)
      : JSON.stringify(toChromeTrace(session.trace, session.origin ? path.basename(session.origin.driver) : undefined));
  await vscode.workspace.fs.writeFile(target, Buffer.from(text, "utf8"));
  const open = "Open";
  void vscode.window
    .showInformationMessage(`Active Drivers: saved ${session.trace.length} events to ${vscode.workspace.asRelativePath(target)}.`, open)
    .then((choice) => {
      if (choice === open) void vscode.window.showTextDocument(target);
    });
  return target;
}
