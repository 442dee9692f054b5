// The protocol state machine view (as the paper's Figure 3), current state lit (client/webview/machine).
import type * as vscode from "vscode";
import type { TraceSession } from "../traceSession";
import { exportTrace, revealSource } from "./actions";
import { ViewPanel } from "./viewPanel";

export const machineViewType = "activeDriver.stateMachine";

export function createMachinePanel(extensionUri: vscode.Uri, session: TraceSession, log: vscode.LogOutputChannel): ViewPanel {
  return new ViewPanel(
    extensionUri,
    session,
    {
      view: "machine",
      viewType: machineViewType,
      title: "Protocol State Machine",
      onMessage: async (message) => {
        if (message.type === "reveal") await revealSource(message.loc);
        else if (message.type === "export") await exportTrace(session, message.format);
      },
    },
    log,
  );
}
