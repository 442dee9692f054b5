// What the status bar says about a file: pure (no vscode), so tests check the wording directly.

/** What a TypeScript file holds, judged from its text the way the analyser finds drivers. */
export type DriverFileKind = "active" | "passive" | "protocol";

const activeDriverCall = /\bdefineDriver\s*\(/;
const passiveDriverCall = /\bdefinePassiveDriver\s*\(/;
const protocolCall = /\bdefineProtocol\s*\(/;

export function driverFileKind(text: string): DriverFileKind | undefined {
  if (activeDriverCall.test(text)) return "active";
  if (passiveDriverCall.test(text)) return "passive";
  if (protocolCall.test(text)) return "protocol";
  return undefined;
}

/** An analyser finding as the status bar needs it. */
export interface Finding {
  code: string;
  severity: "error" | "warning" | "information" | "hint";
}

/** The analyser's codes: AD001..AD030 (docs/contracts.md, "Diagnostic codes"). */
export function isAnalyserCode(code: string | number | undefined): code is string {
  return typeof code === "string" && /^AD\d{3}$/.test(code);
}

/** What the server's `activeDriver/analysisStatus` adds to the diagnostics (server/src/lsp/protocol.ts). */
export interface AnalysisDetail {
  /** Protocol states that hold at some protocol wait, how many accept every enabled message, which do not. */
  states?: { waited: number; covered: number; uncovered: string[] };
  /** Over the time budget or cancelled: findings may be missing. */
  incomplete?: boolean;
  durationMs?: number;
}

export type ServerState = "starting" | "running" | "stopped" | "failed" | "disabled";

export interface StatusText {
  text: string;
  tooltip: string;
  /** Errors get the error background; warnings the warning one. */
  emphasis: "error" | "warning" | "none";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The status bar text for a driver file in `kind`, given the analyser's findings on it. */
export function statusText(kind: DriverFileKind, server: ServerState, findings: readonly Finding[], detail: AnalysisDetail = {}): StatusText {
  const status = statusWithoutDetail(kind, server, findings);
  if (server !== "running") return status;
  const notes: string[] = [];
  const states = detail.states;
  if (states !== undefined && states.waited > 0) {
    notes.push(
      `Protocol states covered at their waits: ${states.covered} of ${states.waited}${states.uncovered.length > 0 ? ` (not: ${states.uncovered.join(", ")})` : ""}.`,
    );
    if (status.emphasis === "none" && kind === "active") status.text = `${status.text} (${states.covered}/${states.waited} states)`;
  }
  if (detail.incomplete === true) notes.push("The analysis ran out of its time budget (activeDriver.analysis.timeBudgetMs): some findings may be missing.");
  if (detail.durationMs !== undefined) notes.push(`Analysed in ${Math.round(detail.durationMs)} ms.`);
  if (notes.length > 0) status.tooltip = `${status.tooltip}\n\n${notes.join("\n")}`;
  return status;
}

function statusWithoutDetail(kind: DriverFileKind, server: ServerState, findings: readonly Finding[]): StatusText {
  const what = kind === "protocol" ? "Active driver protocol" : kind === "passive" ? "Passive driver" : "Active driver";
  switch (server) {
    case "disabled":
      return { text: `$(circle-slash) ${what}: analysis off`, tooltip: "Analysis is turned off (setting activeDriver.analysis.enable).", emphasis: "none" };
    case "starting":
      return { text: `$(sync~spin) ${what}: analysing`, tooltip: "The analysis server is starting.", emphasis: "none" };
    case "failed":
    case "stopped":
      return {
        text: `$(debug-disconnect) ${what}: analysis stopped`,
        tooltip: "The analysis server is not running. See the Active Drivers output, or run 'Active Driver: Restart Analysis Server'.",
        emphasis: "warning",
      };
    case "running":
      break;
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  const warnings = findings.filter((f) => f.severity === "warning").length;
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const detail = codes.length > 0 ? ` (${codes.join(", ")})` : "";
  if (errors > 0) {
    const more = warnings > 0 ? `, ${plural(warnings, "warning")}` : "";
    return {
      text: `$(pulse) ${what}: ${plural(errors, "error")}${more}`,
      tooltip: `The analysis found ${plural(errors, "error")}${more}${detail}. Click for the Problems view.`,
      emphasis: "error",
    };
  }
  if (warnings > 0) {
    return {
      text: `$(warning) ${what}: ${plural(warnings, "warning")}`,
      tooltip: `The analysis found ${plural(warnings, "warning")}${detail}. Click for the Problems view.`,
      emphasis: "warning",
    };
  }
  const clean = kind === "active" ? "protocol covered" : kind === "protocol" ? "protocol well-formed" : "no findings";
  const tooltip =
    kind === "active"
      ? "Every protocol wait accepts every message its state enables, owed replies are sent, and sends follow the protocol."
      : kind === "protocol"
        ? "Messages, states and replies of the protocol are consistent."
        : "The analysis found no stack ripping or deferred continuations.";
  return { text: `$(check) ${what}: ${clean}`, tooltip, emphasis: "none" };
}
