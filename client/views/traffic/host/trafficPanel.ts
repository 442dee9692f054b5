// The mailbox-traffic view: the trace as a sequence diagram (browser code in client/webview/traffic).
import type * as vscode from "vscode";
import type { TraceSession } from "../traceSession";
import { exportTrace, revealSource } from "./actions";
import { ViewPanel } from "./viewPanel";

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
