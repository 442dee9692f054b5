// Typed access to the extension's settings (contributes.configuration in package.json).
import * as vscode from "vscode";

export const section = "activeDriver";

export { builtinScenarios } from "./scenarios";

export interface AnalysisSettings {
  enable: boolean;
  timeBudgetMs: number;
}

export interface RunSettings {
  defaultScenario: string;
  seed: number;
  openTrafficView: boolean;
}

function settings(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(section, scope);
}

export function analysisSettings(): AnalysisSettings {
  const s = settings();
  return { enable: s.get("analysis.enable", true), timeBudgetMs: s.get("analysis.timeBudgetMs", 500) };
}

export function runSettings(scope?: vscode.ConfigurationScope): RunSettings {
  const s = settings(scope);
  return {
    defaultScenario: s.get("run.defaultScenario", "default") || "default",
    seed: s.get("run.seed", 1),
    openTrafficView: s.get("run.openTrafficView", true),
  };
}

/** The Test Explorer's explorations: raw values, checked where they become CLI arguments (testing/report.ts). */
export function exploreSettings(scope?: vscode.ConfigurationScope): { strategy: unknown; budget: unknown } {
  const s = settings(scope);
  return { strategy: s.get("explore.strategy", "pct"), budget: s.get("explore.budget", "200") };
}

export function debugRunsInline(): boolean {
  return settings().get("debug.runInline", true);
}

/** True when analysis was turned on or off (the server is started or stopped). */
export function togglesAnalysis(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${section}.analysis.enable`);
}
