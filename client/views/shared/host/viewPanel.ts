// One webview panel (traffic or machine) over the TraceSession: strict CSP page with a fresh nonce
// per render, resources only from the extension's dist/webview and webview media, messages per
// webview/messages.ts. The page is rebuilt when shown again (no retainContextWhenHidden): on its
// `ready` it gets the whole state replayed, so hiding a panel costs no memory; what the user looked
// at (filters, selection, scroll) the page keeps itself with the webview state API. A serializer
// brings the panel back after a window reload (activation event onWebviewPanel:<viewType>).
import * as vscode from "vscode";
import { webviewHtml } from "./html";
import type { HostToWebview, WebviewToHost } from "../messages";
import { asWebviewMessage } from "./webviewMessage";
import { createNonce } from "./nonce";
import type { TraceSession } from "../../../src/traceSession";

export type ViewName = "traffic" | "machine";

export interface ViewPanelOptions {
  view: ViewName;
  viewType: string;
  title: string;
  /** Handles reveal/export; `ready` is handled here. */
  onMessage(message: WebviewToHost): void | Promise<void>;
}

/** Folders a webview may load from (also used by tests of the manifest/packaging). */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, "dist", "webview"), vscode.Uri.joinPath(extensionUri, "client", "views", "media")];
}

/** The webview options of both a new panel and one restored after a reload (a restored panel must be given them again). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) };
}

export class ViewPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly session: TraceSession,
    private readonly options: ViewPanelOptions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(session.onDidChange((message) => this.post(message)));
    // The page's saved state needs nothing from here: the restored page reads it with getState.
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(options.viewType, { deserializeWebviewPanel: async (panel) => this.restore(panel) }));
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Opens the panel (beside the editor) or brings it to the front. */
  show(preserveFocus = true): void {
    if (this.panel !== undefined) {
      this.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      this.options.viewType,
      this.options.title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
    );
    this.adopt(panel);
  }

  /**
   * Takes over a panel VS Code restored after a window reload (WebviewPanelSerializer). There is one
   * panel per view: should one already be open, the restored duplicate is closed.
   */
  restore(panel: vscode.WebviewPanel): void {
    if (this.panel !== undefined && this.panel !== panel) {
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
    });
    panel.onDidChangeViewState(() => {
      // A hidden page is destroyed; it loads again (and says ready) when shown.
      if (!panel.visible) this.ready = false;
    });
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message));
    this.render(panel);
  }

  private render(panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    this.ready = false;
    webview.html = webviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "dist", "webview", `${this.options.view}.js`)).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, "client", "views", "media", "webview.css")).toString(),
      title: this.options.title,
    });
  }

  private receive(data: unknown): void {
    const message = asWebviewMessage(data);
    if (message === undefined) {
      this.log.warn(`${this.options.view} view: ignored a malformed message`);
      return;
    }
    if (message.type === "ready") {
      this.ready = true;
      for (const m of this.session.snapshot(this.options.view)) this.post(m);
      return;
    }
    Promise.resolve(this.options.onMessage(message)).catch((error: unknown) => {
      this.log.error(`${this.options.view} view: ${message.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Active Drivers: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private post(message: HostToWebview): void {
    if (this.panel === undefined || !this.ready) return; // replayed on the next `ready`
    void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
