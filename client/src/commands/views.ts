// "Show Mailbox Traffic" and "Show Protocol State Machine".
import * as vscode from "vscode";
import { driverFileKind } from "../analysisState";
import type { Ctx } from "../ctx";
import type { ProtocolView } from "../traceSession";

export function showTraffic(ctx: Ctx) {
  return (): void => ctx.trafficPanel.show(false);
}

/** The protocol state after the trace's last state event, when the trace is of `driver`. */
function lastStateOf(ctx: Ctx, driver: string): string | undefined {
  if (ctx.trace.origin?.driver !== driver) return undefined;
  const events = ctx.trace.trace;
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.kind === "state" && events[i]!.state !== undefined) return events[i]!.state;
  return undefined;
}

export function showStateMachine(ctx: Ctx) {
  return async (): Promise<void> => {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId === "typescript") {
      // The active editor's driver (or protocol) wins over the last session's: it is what the user looks at.
      let graph;
      try {
        graph = await ctx.protocolOf(document.uri);
      } catch (error) {
        if (ctx.trace.protocol === undefined) throw error;
        ctx.output.warn(`protocol of ${document.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}; showing the last session's`);
      }
      if (graph !== undefined) {
        const view: ProtocolView = { states: graph.states, initial: graph.initial, directions: graph.directions };
        if (graph.name !== undefined) view.name = graph.name;
        const current = lastStateOf(ctx, document.uri.fsPath);
        if (current !== undefined) view.current = current;
        ctx.trace.setProtocol(view);
        // Coverage lights the transitions of the driver explored, not another driver's (a protocol file keeps it).
        const covered = ctx.trace.coverageDriver;
        const kind = driverFileKind(document.getText());
        if (covered !== undefined && covered !== document.uri.fsPath && (kind === "active" || kind === "passive")) ctx.trace.setCoverage(undefined);
      } else if (ctx.trace.protocol === undefined) {
        void vscode.window.showInformationMessage(
          `Active Drivers: ${vscode.workspace.asRelativePath(document.uri)} has no protocol (defineProtocol) and no driver whose protocol the analysis can read.`,
        );
        return;
      }
    } else if (ctx.trace.protocol === undefined) {
      void vscode.window.showInformationMessage("Active Drivers: open a driver or protocol file (or start a debug session) to see its protocol state machine.");
      return;
    }
    ctx.machinePanel.show(false);
  };
}
