// The mailbox-traffic view: the trace as a sequence diagram (the page side: ../page).
import type * as vscode from "vscode";
import type { TraceSession } from "../../../src/traceSession";
import { exportTrace, revealSource } from "../../shared/host/actions";
import { ViewPanel } from "../../shared/host/viewPanel";

export const trafficViewType = "activeDriver.traffic";

export function createTrafficPanel(extensionUri: vscode.Uri, session: TraceSession, log: vscode.LogOutputChannel): ViewPanel {
  return new ViewPanel(
    extensionUri,
    session,
    {
      view: "traffic",
      viewType: trafficViewType,
      title: "Mailbox Traffic",
      onMessage: async (message) => {
        if (message.type === "reveal") await revealSource(message.loc);
        else if (message.type === "export") await exportTrace(session, message.format);
      },
    },
    log,
  );
}
