// The inline debug adapter for the extension host: the same session dist/debugAdapter.js runs on
// stdio (client/src/debug/session.ts). The driver itself runs in the session's worker thread.
import type * as vscode from "vscode";
import type { Ctx } from "../ctx";
import { ActiveDriverDebugSession } from "../debug/session";

export function createInlineDebugSession(_ctx: Ctx): vscode.DebugAdapter | undefined {
  return new ActiveDriverDebugSession();
}
