// The extension's one context object (as rust-analyzer's editors/code Ctx): it owns the language
// client's lifecycle, the output channel, the status bar, the trace views and every disposable.
import * as fs from "node:fs";
import * as vscode from "vscode";
import { State, type LanguageClient } from "vscode-languageclient/node";
import {
  analysisStatusNotification,
  protocolModelRequest,
  type AnalysisStatusParams,
  type ProtocolGraph,
  type ProtocolModelParams,
  type ProtocolModelResult,
} from "../../server/src/lsp/protocol";
import { analysisSettings, togglesAnalysis } from "./config";
import { createLanguageClient } from "./languageClient";
import { createMachinePanel } from "../views/machine/host/machinePanel";
import { createTrafficPanel } from "../views/traffic/host/trafficPanel";
import type { ViewPanel } from "../views/shared/host/viewPanel";
import { RunTerminal } from "./runTerminal";
import { AnalysisStatusBar } from "./statusBar";
import { TraceSession } from "./traceSession";

// Handlers take whatever VS Code passes (URIs from menus, arguments from executeCommand).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;
export type CommandFactory = (ctx: Ctx) => CommandHandler;

const showOutput = "Show Output";

export class Ctx implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  readonly statusBar: AnalysisStatusBar;
  readonly trace: TraceSession;
  readonly trafficPanel: ViewPanel;
  readonly machinePanel: ViewPanel;
  readonly runTerminal: RunTerminal;
  private client: LanguageClient | undefined;
  private clientDisposables: vscode.Disposable[] = [];
  /** Serialises start/stop/restart so settings flipping quickly cannot start two servers. */
  private lifecycle: Promise<void> = Promise.resolve();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extCtx: vscode.ExtensionContext) {
    this.output = this.push(vscode.window.createOutputChannel("Active Drivers", { log: true }));
    this.statusBar = this.push(new AnalysisStatusBar());
    this.trace = this.push(new TraceSession());
    this.trafficPanel = this.push(createTrafficPanel(extCtx.extensionUri, this.trace, this.output));
    this.machinePanel = this.push(createMachinePanel(extCtx.extensionUri, this.trace, this.output));
    this.runTerminal = this.push(new RunTerminal());
    this.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The time budget reaches the running server as didChangeConfiguration; on/off starts or stops it.
        if (togglesAnalysis(e)) void (analysisSettings().enable ? this.startServer() : this.stopServer());
      }),
    );
  }

  get extensionUri(): vscode.Uri {
    return this.extCtx.extensionUri;
  }

  asAbsolutePath(relative: string): string {
    return this.extCtx.asAbsolutePath(relative);
  }

  /** Registers `disposable` for disposal with the extension; returns it. */
  push<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** Registers a command; a failure is logged and shown with the way to the output. */
  registerCommand(name: string, factory: CommandFactory): void {
    const handler = factory(this);
    this.push(
      vscode.commands.registerCommand(name, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          this.showError(`${name} failed`, error);
          return undefined;
        }
      }),
    );
  }

  /** Logs `error` with its stack, and shows `summary: message` with a button to the output. */
  showError(summary: string, error?: unknown): void {
    const detail = error === undefined ? "" : `: ${error instanceof Error ? error.message : String(error)}`;
    this.output.error(`${summary}${detail}`);
    if (error instanceof Error && error.stack !== undefined) this.output.debug(error.stack);
    void vscode.window.showErrorMessage(`Active Drivers: ${summary}${detail}`, showOutput).then((choice) => {
      if (choice === showOutput) this.output.show(true);
    });
  }

  /**
   * The protocol state machine of `uri`'s driver (or the protocol the file defines), from the
   * analysis server. Throws with a reason the user can act on.
   */
  async protocolOf(uri: vscode.Uri): Promise<ProtocolGraph | undefined> {
    const client = this.client;
    if (client === undefined || !client.isRunning()) {
      throw new Error(
        analysisSettings().enable
          ? "the analysis server is not running (see the Active Drivers output)"
          : "analysis is turned off (activeDriver.analysis.enable)",
      );
    }
    const params: ProtocolModelParams = { textDocument: { uri: client.code2ProtocolConverter.asUri(uri) } };
    const result = await client.sendRequest<ProtocolModelResult>(protocolModelRequest, params);
    return result.protocols[0];
  }

  /** Starts the analysis server unless turned off by `activeDriver.analysis.enable`. */
  startServer(): Promise<void> {
    return this.queue(() => this.doStart());
  }

  stopServer(): Promise<void> {
    return this.queue(() => this.doStop());
  }

  restartServer(): Promise<void> {
    return this.queue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  private queue(step: () => Promise<void>): Promise<void> {
    this.lifecycle = this.lifecycle.then(step, step);
    return this.lifecycle;
  }

  private async doStart(): Promise<void> {
    if (this.client !== undefined) return;
    if (!analysisSettings().enable) {
      this.statusBar.setServerState("disabled");
      this.output.info("analysis is turned off (activeDriver.analysis.enable)");
      return;
    }
    const serverModule = this.asAbsolutePath("dist/server.js");
    if (!fs.existsSync(serverModule)) {
      this.statusBar.setServerState("failed");
      this.showError("cannot start the analysis server", new Error(`${serverModule} is missing: the extension was not built (npm run build)`));
      return;
    }
    const watcher = vscode.workspace.createFileSystemWatcher("**/*.ts");
    const client = createLanguageClient(this.extCtx, this.output, watcher);
    this.client = client;
    this.clientDisposables = [
      watcher,
      client.onDidChangeState((e) => {
        this.statusBar.setServerState(e.newState === State.Running ? "running" : e.newState === State.Starting ? "starting" : "stopped");
      }),
      client.onNotification(analysisStatusNotification, (status: AnalysisStatusParams) => {
        this.statusBar.setAnalysisStatus(client.protocol2CodeConverter.asUri(status.uri).toString(), status);
      }),
    ];
    this.statusBar.setServerState("starting");
    try {
      await client.start();
      this.output.info(`analysis server started (${serverModule})`);
    } catch (error) {
      this.statusBar.setServerState("failed");
      this.showError("the analysis server failed to start", error);
    }
  }

  private async doStop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.clientDisposables) d.dispose();
    this.clientDisposables = [];
    this.statusBar.forgetAnalysisStatuses();
    if (client === undefined) return;
    try {
      if (client.needsStop()) await client.stop(2000);
    } catch (error) {
      this.output.warn(`stopping the analysis server: ${error instanceof Error ? error.message : String(error)}`);
    }
    this.statusBar.setServerState(analysisSettings().enable ? "stopped" : "disabled");
  }

  /** Stops the server (awaited by deactivate) and disposes everything else. */
  async dispose(): Promise<void> {
    await this.stopServer();
    for (const d of this.disposables.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // Disposal continues: one failing disposable must not leak the rest.
      }
    }
  }
}
