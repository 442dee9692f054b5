// The protocol state machine view (as the paper's Figure 3), current state lit (the page side: ../page).
import type * as vscode from "vscode";
import type { TraceSession } from "../../../src/traceSession";
import { exportTrace, revealSource } from "../../shared/host/actions";
import { ViewPanel } from "../../shared/host/viewPanel";

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
