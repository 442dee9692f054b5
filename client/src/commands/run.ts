// "Run Driver on Simulated NIC": picks a scenario, runs the driver file in the host's worker thread
// (never on the extension host's thread), streams the trace into the traffic view and the progress
// and summary into the output channel and the run terminal.
import * as path from "node:path";
import * as vscode from "vscode";
import { formatSummary, scenarios, SCENARIO_NAMES, type RunSummary } from "active-driver/nic";
import { driverFileKind } from "../analysisState";
import { runSettings } from "../config";
import type { Ctx } from "../ctx";
import { isBuiltinScenario } from "../debug/launchConfig";
import { requireTrust } from "../trust";

const runAction = "run a driver";
const customScenario = "$(file) Scenario file...";

interface ScenarioItem extends vscode.QuickPickItem {
  scenario?: string;
}

/** The NIC's scenarios, the configured default first; then a scenario file of the user's. */
async function pickScenario(driver: vscode.Uri): Promise<string | undefined> {
  const { defaultScenario } = runSettings(driver);
  const items: ScenarioItem[] = SCENARIO_NAMES.map((name) => ({ label: name, detail: scenarios[name].description, scenario: name }));
  const preferred = items.findIndex((i) => i.scenario === defaultScenario);
  if (preferred > 0) items.unshift(...items.splice(preferred, 1));
  if (!isBuiltinScenario(defaultScenario)) items.unshift({ label: path.basename(defaultScenario), detail: defaultScenario, scenario: defaultScenario });
  if (items[0]!.scenario === defaultScenario) items[0]!.description ??= "$(star-full) activeDriver.run.defaultScenario";
  items.push({ label: customScenario, detail: "A JSON scenario: a workload, faults and a seed (may extend a built-in one)" });
  const picked = await vscode.window.showQuickPick(items, {
    title: "Run Driver on Simulated NIC",
    placeHolder: `Scenario for ${path.basename(driver.fsPath)}`,
    matchOnDetail: true,
  });
  if (picked === undefined) return undefined;
  if (picked.scenario !== undefined) return resolveScenarioPath(picked.scenario, driver);
  const files = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: { "Scenario (JSON)": ["json"] },
    defaultUri: vscode.workspace.getWorkspaceFolder(driver)?.uri,
    openLabel: "Run on this scenario",
  });
  return files?.[0]?.fsPath;
}

/** A scenario file path from the settings is relative to the driver's workspace folder. */
function resolveScenarioPath(scenario: string, driver: vscode.Uri): string {
  if (isBuiltinScenario(scenario) || path.isAbsolute(scenario)) return scenario;
  const folder = vscode.workspace.getWorkspaceFolder(driver)?.uri.fsPath ?? path.dirname(driver.fsPath);
  return path.join(folder, scenario);
}

/** The driver to run: the URI a menu passed, or the active editor's file. Saves unsaved edits. */
async function driverDocument(resource: unknown): Promise<vscode.TextDocument | undefined> {
  const document = resource instanceof vscode.Uri ? await vscode.workspace.openTextDocument(resource) : vscode.window.activeTextEditor?.document;
  if (document === undefined || document.languageId !== "typescript") {
    void vscode.window.showErrorMessage("Active Drivers: open a driver file (a TypeScript file that calls defineDriver or definePassiveDriver) to run it.");
    return undefined;
  }
  if (document.uri.scheme !== "file") {
    void vscode.window.showErrorMessage("Active Drivers: save the driver to a file first: drivers run from their files on disk.");
    return undefined;
  }
  const kind = driverFileKind(document.getText());
  if (kind !== "active" && kind !== "passive") {
    void vscode.window.showErrorMessage(
      `Active Drivers: ${vscode.workspace.asRelativePath(document.uri)} is not a driver: it has no defineDriver(...) or definePassiveDriver(...) call to run.`,
    );
    return undefined;
  }
  if (document.isDirty && !(await document.save())) return undefined;
  return document;
}

export function runDriver(ctx: Ctx) {
  return async (resource?: unknown): Promise<void> => {
    // Running executes the driver and whatever it imports: never in an untrusted workspace.
    if (!requireTrust(runAction)) return;
    const document = await driverDocument(resource);
    if (document === undefined) return;
    const scenario = await pickScenario(document.uri);
    if (scenario === undefined) return;
    // Re-checked: trust can be revoked while the pickers are open.
    if (!requireTrust(runAction)) return;
    const driver = document.uri.fsPath;
    const { seed, openTrafficView } = runSettings(document.uri);
    const title = `${path.basename(driver)} on ${isBuiltinScenario(scenario) ? scenario : path.basename(scenario)}, seed ${seed}`;
    const terminal = ctx.runTerminal;
    terminal.show();
    terminal.line(`Run ${title}`, "title");
    ctx.output.info(`run: ${driver} on ${scenario}, seed ${seed}`);
    ctx.trace.reset({ driver, scenario, seed, kind: "run" });
    if (openTrafficView) ctx.trafficPanel.show(true);

    // Loaded on first use: the host brings the TypeScript transpiler for drivers.
    const { runDriverInWorker } = await import("active-driver/host");
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Active Drivers: running ${title}` }, (progress) =>
      runDriverInWorker({
        driverPath: driver,
        scenario,
        seed,
        onTrace: (events) => ctx.trace.append(events),
        onProgress: ({ time, events }) => progress.report({ message: `${(time / 1000).toFixed(2)} ms virtual time, ${events} events` }),
      }),
    );

    const summary = result.summary as RunSummary | undefined;
    if (summary !== undefined) {
      const text = formatSummary(summary);
      for (const line of text.split("\n"))
        terminal.line(line, line.startsWith("  ") ? (/violation|failed|problem/.test(line) ? "warn" : "plain") : summary.ok ? "ok" : "error");
      ctx.output.info(`run: ${summary.ok ? "ok" : "FAILED"}: ${text}`);
    }
    if (result.error !== undefined) {
      const where =
        result.error.loc !== undefined && result.error.loc.line > 0 ? `${result.error.loc.file}:${result.error.loc.line}:${result.error.loc.column}: ` : "";
      terminal.line(`${where}${result.error.message}`, "error");
      ctx.output.error(`run: ${where}${result.error.message}`);
      if (result.error.stack !== undefined) ctx.output.debug(result.error.stack);
    }
    terminal.line(`${result.events} trace events, ${result.wallMs} ms wall time`, "dim");
    reportOutcome(result.ok, title, result.error?.message ?? summary?.failure, result.error?.loc);
  };
}

function reportOutcome(ok: boolean, title: string, reason: string | undefined, loc: { file: string; line: number; column: number } | undefined): void {
  if (ok) {
    void vscode.window.showInformationMessage(`Active Drivers: ${title}: ok.`);
    return;
  }
  const openSource = "Go to Error";
  const actions = loc !== undefined && loc.line > 0 ? [openSource] : [];
  void vscode.window
    .showErrorMessage(`Active Drivers: ${title} failed${reason !== undefined ? `: ${reason}` : " (see the run terminal)"}`, ...actions)
    .then((choice) => {
      if (choice !== openSource || loc === undefined) return;
      const position = new vscode.Position(loc.line - 1, Math.max(0, loc.column - 1));
      void vscode.window.showTextDocument(vscode.Uri.file(loc.file), { selection: new vscode.Range(position, position) });
    });
}
