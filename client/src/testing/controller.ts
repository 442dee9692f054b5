// The Test Explorer (VS Code's Testing API): each driver file of the workspace is a test item, its
// scenarios the children. Run explores each scenario with the configured strategy and budget in a
// child process (`active-driver explore --json`, exploreProcess.ts); a failure is a failed test whose
// message sits at the driver line the report points to. Debug replays the failing schedule in the
// debugger, stopped at the failure. Both are refused in Restricted Mode.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { exploreSettings } from "../config";
import type { Ctx } from "../ctx";
import { debugType } from "../debug/launchConfig";
import { refusalMessage, requireTrust } from "../trust";
import { driverDefinition, driverScenarios, EXCLUDED_GLOB, SCENARIO_GLOB, scenarioItemId, scenarioLabel } from "./discovery";
import { runExplore } from "./exploreProcess";
import {
  budgetArgument,
  distinctFailures,
  exploreArguments,
  failureText,
  mergeCoverage,
  strategyArgument,
  type ExploreReport,
  type ReportFailure,
} from "./report";
import { defined } from "../../../runtime/src/defined";

export const testControllerId = "activeDriver.explore";
const exploreAction = "explore a driver";

interface ScenarioData {
  driver: vscode.Uri;
  scenario: string;
}

/** How the last exploration of a scenario ended, as the Test Explorer shows it. */
export interface ScenarioOutcome {
  state: "passed" | "failed" | "errored" | "skipped";
  /** The failure's or error's message. */
  message?: string;
  /** Where the failure points (absolute path, 1-based). */
  location?: { file: string; line: number; column: number };
  /** The failure's schedule file. */
  schedule?: string;
}

export class ExploreTests implements vscode.Disposable {
  private readonly controller: vscode.TestController;
  /** Scenario item -> what it is. Driver items are the ones without an entry. */
  private readonly scenarios = new WeakMap<vscode.TestItem, ScenarioData>();
  /** The last failure of each scenario item (by id): what Debug replays. */
  private readonly lastFailure = new Map<string, ReportFailure>();
  /** How each scenario item's last exploration ended (by id). */
  private readonly outcomes = new Map<string, ScenarioOutcome>();
  private scenarioFiles: string[] = [];
  private watching = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: Ctx) {
    this.controller = vscode.tests.createTestController(testControllerId, "Active Drivers");
    this.controller.resolveHandler = async (item) => {
      if (item === undefined) await this.discover();
    };
    this.controller.refreshHandler = async () => this.discover();
    this.controller.createRunProfile("Explore", vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token, false), true);
    this.controller.createRunProfile("Debug failing schedule", vscode.TestRunProfileKind.Debug, (request, token) => this.run(request, token, true), true);
  }

  // ------------------------------------------------------------------ discovery

  /** Scans the workspace for driver files and scenario files; from then on follows their changes. */
  private async discover(): Promise<void> {
    this.watch();
    this.scenarioFiles = (await vscode.workspace.findFiles(SCENARIO_GLOB, EXCLUDED_GLOB)).map((u) => u.fsPath).sort();
    const files = await vscode.workspace.findFiles("**/*.ts", EXCLUDED_GLOB);
    const seen = new Set<string>();
    for (const uri of files) {
      if (await this.update(uri)) seen.add(uri.toString());
    }
    this.controller.items.forEach((item) => {
      if (!seen.has(item.id)) this.controller.items.delete(item.id);
    });
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const drivers = vscode.workspace.createFileSystemWatcher("**/*.ts");
    const refresh = (uri: vscode.Uri): void => void this.update(uri);
    this.disposables.push(
      drivers,
      drivers.onDidCreate(refresh),
      drivers.onDidChange(refresh),
      drivers.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
    );
    const scenarioFiles = vscode.workspace.createFileSystemWatcher(SCENARIO_GLOB);
    const rescan = (): void => void this.discover();
    this.disposables.push(scenarioFiles, scenarioFiles.onDidCreate(rescan), scenarioFiles.onDidDelete(rescan));
  }

  /** Adds, updates or removes the item of one file; true when it is a driver. */
  private async update(uri: vscode.Uri): Promise<boolean> {
    if (uri.fsPath.endsWith(".d.ts") || /[\\/](node_modules|dist|out)[\\/]/.test(uri.fsPath)) return false;
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.controller.items.delete(uri.toString());
      return false;
    }
    const definition = driverDefinition(text);
    if (definition === undefined) {
      this.controller.items.delete(uri.toString());
      return false;
    }
    const id = uri.toString();
    const item = this.controller.items.get(id) ?? this.controller.createTestItem(id, path.basename(uri.fsPath), uri);
    item.description = `${definition.kind} driver \u00b7 ${path.dirname(vscode.workspace.asRelativePath(uri))}`;
    item.range = new vscode.Range(definition.line, definition.column, definition.line, definition.column);
    const children = [...driverScenarios, ...this.scenarioFiles].map((scenario) => {
      const childId = scenarioItemId(id, scenario);
      const child = item.children.get(childId) ?? this.controller.createTestItem(childId, scenarioLabel(scenario), uri);
      child.range = item.range;
      child.sortText = String(driverScenarios.indexOf(scenario) >= 0 ? driverScenarios.indexOf(scenario) : 100).padStart(3, "0") + scenarioLabel(scenario);
      if (!driverScenarios.includes(scenario)) child.description = vscode.workspace.asRelativePath(scenario);
      this.scenarios.set(child, { driver: uri, scenario });
      return child;
    });
    item.children.replace(children);
    this.controller.items.add(item);
    return true;
  }

  // ------------------------------------------------------------------ runs

  /** The scenario items a request covers: a driver item stands for all its scenarios. */
  private requested(request: vscode.TestRunRequest): vscode.TestItem[] {
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const roots: vscode.TestItem[] = [];
    if (request.include !== undefined) roots.push(...request.include);
    else this.controller.items.forEach((i) => roots.push(i));
    const out: vscode.TestItem[] = [];
    for (const root of roots) {
      if (excluded.has(root.id)) continue;
      if (this.scenarios.has(root)) out.push(root);
      else root.children.forEach((child) => excluded.has(child.id) || out.push(child));
    }
    return out;
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken, debug: boolean): Promise<void> {
    const run = this.controller.createTestRun(request);
    const items = this.requested(request);
    try {
      if (!vscode.workspace.isTrusted) {
        // Exploring runs the driver, its imports and scenario files: never in an untrusted workspace.
        requireTrust(exploreAction);
        for (const item of items) run.errored(item, new vscode.TestMessage(refusalMessage(exploreAction)));
        return;
      }
      for (const item of items) run.enqueued(item);
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        const reports = new Map<string, ExploreReport[]>();
        for (const item of items) {
          if (token.isCancellationRequested) {
            run.skipped(item);
            continue;
          }
          if (debug && this.lastFailure.has(item.id)) {
            // Debug a known failure at once: no new exploration needed.
            run.started(item);
            const failure = this.lastFailure.get(item.id)!;
            this.fail(run, item, failure, 0);
            await this.debug(item, failure, run);
            return;
          }
          const report = await this.explore(run, item, abort.signal);
          if (report === undefined) continue;
          const data = this.scenarios.get(item)!;
          const list = reports.get(data.driver.fsPath) ?? [];
          list.push(report);
          reports.set(data.driver.fsPath, list);
          this.showCoverage(data.driver, list);
          const failure = this.lastFailure.get(item.id);
          if (debug && failure !== undefined) {
            await this.debug(item, failure, run);
            return;
          }
        }
        if (debug) run.appendOutput("No failure to debug: every exploration passed.\r\n");
      } finally {
        cancel.dispose();
      }
    } finally {
      run.end();
    }
  }

  /** One exploration of one scenario item; its outcome goes into the run. */
  private async explore(run: vscode.TestRun, item: vscode.TestItem, signal: AbortSignal): Promise<ExploreReport | undefined> {
    const { driver, scenario } = this.scenarios.get(item)!;
    const settings = exploreSettings(driver);
    const strategy = strategyArgument(settings.strategy);
    const budget = budgetArgument(settings.budget);
    const cwd = vscode.workspace.getWorkspaceFolder(driver)?.uri.fsPath ?? path.dirname(driver.fsPath);
    const outDir = this.scheduleDir(driver, scenario);
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(outDir, { recursive: true });
    const title = `${path.basename(driver.fsPath)} on ${scenarioLabel(scenario)} (${strategy}, budget ${budget})`;
    run.started(item);
    run.appendOutput(`Exploring ${title}\r\n`, undefined, item);
    const started = Date.now();
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Exploring ${title}` }, () =>
      runExplore({
        node: process.execPath,
        cli: this.ctx.asAbsolutePath(path.join("dist", "cli.js")),
        args: exploreArguments(driver.fsPath, scenario, strategy, budget, outDir),
        cwd,
        signal,
        source: `explore ${vscode.workspace.asRelativePath(driver)} --scenario ${scenarioLabel(scenario)}`,
        onStderr: (line) => run.appendOutput(`${line}\r\n`, undefined, item),
      }),
    );
    const duration = Date.now() - started;
    if (outcome.kind === "cancelled") {
      run.skipped(item);
      this.outcomes.set(item.id, { state: "skipped" });
      return undefined;
    }
    if (outcome.kind === "error") {
      this.ctx.output.error(outcome.message);
      run.errored(item, new vscode.TestMessage(outcome.message), duration);
      this.outcomes.set(item.id, { state: "errored", message: outcome.message });
      return undefined;
    }
    const { report } = outcome;
    run.appendOutput(`${report.runs} runs, ${report.passed} passed, ${report.failed} failed\r\n`, undefined, item);
    // One message per distinct failure: many runs of an exploration often fail the same way.
    const failures = distinctFailures(report.failures.filter((f) => f.scenario === scenario));
    const first = failures[0] ?? (outcome.exitCode === 1 ? report.failures[0] : undefined);
    if (first === undefined) {
      this.lastFailure.delete(item.id);
      this.outcomes.set(item.id, { state: "passed" });
      run.passed(item, duration);
    } else {
      this.lastFailure.set(item.id, first);
      this.outcomes.set(item.id, {
        state: "failed",
        message: failureText(first),
        ...defined({ location: first.location }),
        ...defined({ schedule: first.schedule }),
      });
      this.fail(run, item, first, duration, failures.slice(1));
    }
    return report;
  }

  private fail(run: vscode.TestRun, item: vscode.TestItem, failure: ReportFailure, duration: number, more: readonly ReportFailure[] = []): void {
    const messages = [failure, ...more].map((f) => {
      const message = new vscode.TestMessage(failureText(f));
      message.location =
        f.location !== undefined
          ? new vscode.Location(vscode.Uri.file(f.location.file), new vscode.Position(f.location.line - 1, f.location.column - 1))
          : new vscode.Location(item.uri!, item.range ?? new vscode.Position(0, 0));
      return message;
    });
    run.failed(item, messages, duration);
  }

  /** Opens a debug session that replays the failure's schedule, stopped at the failing event. */
  private async debug(item: vscode.TestItem, failure: ReportFailure, run: vscode.TestRun): Promise<void> {
    const { driver, scenario } = this.scenarios.get(item)!;
    if (failure.schedule === undefined) {
      run.appendOutput("The failure has no schedule file to replay.\r\n", undefined, item);
      return;
    }
    const folder = vscode.workspace.getWorkspaceFolder(driver);
    const config: vscode.DebugConfiguration = {
      type: debugType,
      request: "launch",
      name: `Replay ${path.basename(failure.schedule)}`,
      driver: driver.fsPath,
      scenario,
      replay: failure.schedule,
      stopOnEntry: false,
    };
    // The run lasts as long as the session: cancelling the run stops it, its end ends the run.
    const ended = new Promise<void>((resolve) => {
      const listener = vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type === debugType && session.configuration.replay === failure.schedule) {
          listener.dispose();
          resolve();
        }
      });
      this.pendingDebug = () => {
        listener.dispose();
        resolve();
      };
    });
    const started = await vscode.debug.startDebugging(folder, config, { testRun: run });
    if (!started) {
      run.appendOutput(`The debug session for ${failure.schedule} did not start.\r\n`, undefined, item);
      this.pendingDebug?.();
    }
    await ended;
    this.pendingDebug = undefined;
  }

  /** Ends the wait for a replay's debug session (it did not start, or the extension is disposed). */
  private pendingDebug: (() => void) | undefined;

  /** Schedule files of one scenario's exploration: in the extension's storage, never in the user's tree. */
  private scheduleDir(driver: vscode.Uri, scenario: string): string {
    const base = this.ctx.extCtx.storageUri?.fsPath ?? this.ctx.extCtx.globalStorageUri.fsPath;
    const key = crypto.createHash("sha256").update(`${driver.fsPath}\u0000${scenario}`).digest("hex").slice(0, 16);
    return path.join(base, "schedules", `${path.basename(driver.fsPath, ".ts")}-${key}`);
  }

  /** The state machine view lights what the explorations of this driver covered (on its protocol, unless a debug session shows another). */
  private showCoverage(driver: vscode.Uri, reports: readonly ExploreReport[]): void {
    const coverage = mergeCoverage(reports);
    if (coverage === undefined) return;
    this.ctx.trace.setCoverage({ driver: path.basename(driver.fsPath), runs: reports.reduce((n, r) => n + r.runs, 0), ...coverage }, driver.fsPath);
    if (vscode.debug.activeDebugSession?.type === debugType) return;
    this.ctx.protocolOf(driver).then(
      (graph) => {
        if (graph === undefined) return;
        this.ctx.trace.setProtocol({
          states: graph.states,
          initial: graph.initial,
          directions: graph.directions,
          ...defined({ name: graph.name }),
        });
      },
      (error: unknown) => this.ctx.output.warn(`protocol of ${driver.fsPath}: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  /**
   * Explores (or, `debug`, replays the failure of) one scenario of a driver as the Test Explorer's
   * profiles do, shown in the Test Explorer as a run of its own, and says how it ended. For scripts
   * and tests (the extension's exports); with `debug` it resolves once the debug session ends.
   */
  async exploreScenario(driver: vscode.Uri, scenario: string, debug = false): Promise<ScenarioOutcome | undefined> {
    if (!(await this.update(driver))) throw new Error(`${driver.fsPath} is not a driver (no defineDriver or definePassiveDriver call)`);
    const item = this.controller.items.get(driver.toString())?.children.get(scenarioItemId(driver.toString(), scenario));
    if (item === undefined) throw new Error(`${scenario} is not a scenario of ${driver.fsPath} (try ${driverScenarios.join(", ")})`);
    const cancel = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest([item]), cancel.token, debug);
    } finally {
      cancel.dispose();
    }
    return this.outcomes.get(item.id);
  }

  dispose(): void {
    this.pendingDebug?.();
    for (const d of this.disposables) d.dispose();
    this.controller.dispose();
  }
}
