// Debugger registration: launch configurations (filled from the active editor), the adapter
// (inline in the extension host by default, dist/debugAdapter.js on stdio otherwise), Workspace
// Trust, and the adapter's custom events feeding the traffic and state-machine views.
import * as fs from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { builtinScenarios, debugRunsInline, runSettings } from "../config";
import { debugType, isBuiltinScenario, launchProblem, type LaunchArguments } from "../debug/launchConfig";
import type { Ctx } from "../ctx";
import { debugEventNames, type CurrentEventBody, type ProtocolEventBody, type TraceEventBody } from "../debug/customEvents";
import { refusalMessage, requireTrust } from "../trust";
import { createInlineDebugSession } from "./inlineAdapter";

const debugAction = "debug a driver";

/** The launch configuration as VS Code hands it over. */
type LaunchConfiguration = vscode.DebugConfiguration & LaunchArguments;

function isTypeScriptEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return editor?.document.languageId === "typescript" && editor.document.uri.scheme === "file";
}

/** A custom scenario is a path (built-in names have no dot or slash); relative ones are resolved to the folder. */
function resolveScenario(scenario: string, folder: vscode.WorkspaceFolder | undefined): string {
  if (isBuiltinScenario(scenario)) return scenario;
  if (path.isAbsolute(scenario) || folder === undefined) return scenario;
  return path.join(folder.uri.fsPath, scenario);
}

class LaunchConfigurations implements vscode.DebugConfigurationProvider {
  /** Initial configurations for a new launch.json (static ones are in package.json too). */
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const { defaultScenario, seed } = runSettings();
    return [{ type: debugType, request: "launch", name: "Debug active driver", driver: "${file}", scenario: defaultScenario, seed, stopOnEntry: true }];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: LaunchConfiguration): vscode.DebugConfiguration | undefined {
    if (!requireTrust(debugAction)) return undefined;
    if (!config.type && !config.request && !config.name) {
      // F5 with no launch.json: debug the driver in the active editor.
      if (!isTypeScriptEditor(vscode.window.activeTextEditor)) {
        void vscode.window.showErrorMessage(
          'Active Drivers: open a driver file (a TypeScript file that calls defineDriver) to debug it, or add an "active-driver" launch configuration.',
        );
        return undefined;
      }
      Object.assign(config, { type: debugType, request: "launch", name: "Debug active driver" });
    }
    const settings = runSettings(folder?.uri);
    if (config.replay !== undefined) {
      // The schedule names the driver, the scenario and the seed; the run goes to its failure.
      config.stopOnEntry ??= false;
      return config;
    }
    config.driver ??= "${file}";
    config.scenario ??= settings.defaultScenario;
    config.seed ??= settings.seed;
    config.stopOnEntry ??= true;
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: LaunchConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (!requireTrust(debugAction)) return undefined;
    const problem = launchProblem(config);
    if (problem !== undefined) {
      void vscode.window.showErrorMessage(`Active Drivers: cannot start "${config.name}": ${problem}`);
      return undefined;
    }
    const inFolder = (file: string): string => (path.isAbsolute(file) || folder === undefined ? file : path.join(folder.uri.fsPath, file));
    if (typeof config.replay === "string") config.replay = inFolder(config.replay);
    if (config.driver !== undefined) {
      const driver = inFolder(config.driver);
      if (!fs.existsSync(driver)) {
        void vscode.window.showErrorMessage(`Active Drivers: cannot start "${config.name}": the driver file ${driver} does not exist.`);
        return undefined;
      }
      config.driver = driver;
    }

    if (config.scenario !== undefined) config.scenario = resolveScenario(config.scenario, folder);
    if (typeof config.trace === "string" && !path.isAbsolute(config.trace) && folder !== undefined) config.trace = path.join(folder.uri.fsPath, config.trace);
    return config;
  }
}

/** "Run and Debug" > Active Driver...: one configuration per built-in scenario for the active driver. */
class DynamicConfigurations implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const editor = vscode.window.activeTextEditor;
    if (!isTypeScriptEditor(editor)) return [];
    const file = path.basename(editor.document.uri.fsPath);
    const { seed } = runSettings(editor.document.uri);
    return builtinScenarios.map((scenario) => ({
      type: debugType,
      request: "launch",
      name: `Debug ${file} (${scenario})`,
      driver: editor.document.uri.fsPath,
      scenario,
      seed,
      stopOnEntry: true,
    }));
  }
}

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly ctx: Ctx) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    // Also refused here: a configuration can reach the adapter without our resolvers (another extension's).
    if (!vscode.workspace.isTrusted) throw new Error(refusalMessage(debugAction));
    if (debugRunsInline()) return new vscode.DebugAdapterInlineImplementation(createInlineDebugSession());
    // The extension host's executable is Electron in desktop VS Code: run it as plain Node.
    return new vscode.DebugAdapterExecutable(process.execPath, [this.ctx.asAbsolutePath("dist/debugAdapter.js")], { env: { ELECTRON_RUN_AS_NODE: "1" } });
  }
}

function sessionOrigin(session: vscode.DebugSession): { driver: string; scenario: string; seed: number } {
  const c = session.configuration as LaunchConfiguration;
  return { driver: c.driver ?? c.replay ?? "", scenario: c.scenario ?? "default", seed: c.seed ?? 1 };
}

export function registerDebugging(ctx: Ctx): void {
  ctx.push(vscode.debug.registerDebugConfigurationProvider(debugType, new LaunchConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Initial));
  ctx.push(vscode.debug.registerDebugConfigurationProvider(debugType, new DynamicConfigurations(), vscode.DebugConfigurationProviderTriggerKind.Dynamic));
  ctx.push(vscode.debug.registerDebugAdapterDescriptorFactory(debugType, new AdapterFactory(ctx)));
  ctx.push(
    vscode.debug.onDidStartDebugSession((session) => {
      if (session.type !== debugType) return;
      ctx.trace.reset({ ...sessionOrigin(session), kind: "debug" });
      if (runSettings().openTrafficView) ctx.trafficPanel.show(true);
    }),
  );
  ctx.push(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== debugType) return;
      switch (e.event) {
        case debugEventNames.trace: {
          const body = e.body as TraceEventBody;
          if (!Array.isArray(body?.events)) return;
          if (body.reset) ctx.trace.replace(body.events);
          else ctx.trace.append(body.events);
          break;
        }
        case debugEventNames.current: {
          const body = e.body as CurrentEventBody;
          if (body?.seq === null || typeof body?.seq === "number") ctx.trace.setCurrent(body.seq, body.state);
          break;
        }
        case debugEventNames.protocol: {
          const body = e.body as ProtocolEventBody;
          if (typeof body?.initial === "string" && typeof body.states === "object" && body.states !== null) ctx.trace.setProtocol(body);
          break;
        }
      }
    }),
  );
}
