// The inline debug adapter for the extension host: the same session dist/debugAdapter.js runs on
// stdio (client/src/debug/session.ts). The driver itself runs in the session's worker thread.
import type * as vscode from "vscode";
import { ActiveDriverDebugSession } from "../debug/session";

/** A new adapter session for vscode.DebugAdapterInlineImplementation. */
export function createInlineDebugSession(): vscode.DebugAdapter {
  return new ActiveDriverDebugSession();
}
