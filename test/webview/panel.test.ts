// The extension side of a webview panel outside VS Code (the vscode stand-in of test/client): each
// view registers a serializer for its viewType, and a panel VS Code restores after a window reload
// gets scripts, the resource roots, a fresh CSP page, and the trace replayed on its `ready`.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as fs from "node:fs";
import * as path from "node:path";
// First: the stand-in must be in place before the extension's modules load.
import "../client/vscodeStubInstalled";
import * as vscode from "vscode";
import { createMachinePanel, machineViewType } from "../../client/views/machine/host/machinePanel";
import { createTrafficPanel, trafficViewType } from "../../client/views/traffic/host/trafficPanel";
import type { ViewPanel } from "../../client/views/shared/host/viewPanel";
import { contentSecurityPolicy } from "../../client/views/shared/host/html";
import { TraceSession } from "../../client/src/traceSession";
import { syntheticTrace } from "./harness";

type Serializer = { deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> };

const serializers = new Map<string, Serializer>();
(vscode.window as unknown as Record<string, unknown>).registerWebviewPanelSerializer = (viewType: string, serializer: Serializer) => {
  serializers.set(viewType, serializer);
  return { dispose: () => serializers.delete(viewType) };
};
const created: string[] = [];
let lastCreated: ReturnType<typeof fakePanel> | undefined;
(vscode.window as unknown as Record<string, unknown>).createWebviewPanel = (viewType: string) => {
  created.push(viewType);
  lastCreated = fakePanel();
  return lastCreated.panel;
};

const extensionUri = vscode.Uri.file("/ext");
const CSP_SOURCE = "https://file+.vscode-resource.vscode-cdn.net";
const log = { warn: () => {}, error: () => {} } as unknown as vscode.LogOutputChannel;

/** A WebviewPanel as VS Code hands one to deserializeWebviewPanel: what the extension sets and posts is recorded. */
function fakePanel() {
  const receivers: ((message: unknown) => void)[] = [];
  const disposeListeners: (() => void)[] = [];
  const record = { posted: [] as unknown[], revealed: 0, disposed: false };
  const webview = {
    options: {} as vscode.WebviewOptions,
    html: "",
    cspSource: CSP_SOURCE,
    asWebviewUri: (uri: vscode.Uri) => uri,
    onDidReceiveMessage: (fn: (message: unknown) => void) => {
      receivers.push(fn);
      return { dispose: () => {} };
    },
    postMessage: async (message: unknown) => {
      record.posted.push(message);
      return true;
    },
  };
  const panel = {
    visible: true,
    webview,
    onDidDispose: (fn: () => void) => {
      disposeListeners.push(fn);
      return { dispose: () => {} };
    },
    onDidChangeViewState: () => ({ dispose: () => {} }),
    reveal: () => void record.revealed++,
    dispose: () => {
      record.disposed = true;
      for (const fn of disposeListeners) fn();
    },
  };
  return { panel: panel as unknown as vscode.WebviewPanel, webview, record, send: (message: unknown) => receivers.forEach((fn) => fn(message)) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("webview panel serializers", () => {
  const session = new TraceSession();
  const panels: ViewPanel[] = [createTrafficPanel(extensionUri, session, log), createMachinePanel(extensionUri, session, log)];

  it("each view registers a serializer for its viewType, and the manifest activates the extension to restore it", () => {
    assert.deepEqual([...serializers.keys()].sort(), [trafficViewType, machineViewType].sort());
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { activationEvents: string[] };
    for (const viewType of serializers.keys())
      assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${viewType}`), `activation event onWebviewPanel:${viewType}`);
  });

  it("a restored traffic panel gets scripts, the resource roots and a CSP page, then the trace on ready", async () => {
    session.reset({ driver: "/w/active.ts", scenario: "default", seed: 1, kind: "run" });
    session.append(syntheticTrace(5));
    const restored = fakePanel();
    await serializers.get(trafficViewType)!.deserializeWebviewPanel(restored.panel, { v: 1, view: "traffic" });
    assert.equal(restored.webview.options.enableScripts, true);
    assert.deepEqual(
      restored.webview.options.localResourceRoots?.map((u) => u.fsPath),
      ["/ext/dist/webview", "/ext/client/views/media"],
    );
    const nonce = /<script nonce="([^"]+)" src="file:\/\/\/ext\/dist\/webview\/traffic\.js"><\/script>/.exec(restored.webview.html)?.[1];
    assert.ok(nonce, restored.webview.html);
    assert.ok(restored.webview.html.includes(`content="${contentSecurityPolicy(CSP_SOURCE, nonce)}"`), "the CSP with that nonce");
    assert.deepEqual(restored.record.posted, [], "nothing is posted before the page says ready");
    restored.send({ type: "ready", view: "traffic" });
    await settle();
    assert.deepEqual(restored.record.posted, [
      { type: "events", events: syntheticTrace(5), reset: true },
      { type: "current", seq: null },
    ]);
    session.append(syntheticTrace(1, 5));
    assert.deepEqual(restored.record.posted.at(-1), { type: "events", events: syntheticTrace(1, 5) }, "and it follows the session live");
  });

  it("showing the view then reveals the restored panel instead of opening another", () => {
    const before = created.length;
    panels[0]!.show(false);
    assert.equal(created.length, before, "no new panel");
  });

  it("a second restored panel of the same view is closed (one panel per view)", async () => {
    const duplicate = fakePanel();
    await serializers.get(trafficViewType)!.deserializeWebviewPanel(duplicate.panel, undefined);
    assert.equal(duplicate.record.disposed, true);
    assert.equal(duplicate.webview.html, "");
  });

  it("a restored machine panel loads the machine page; closing it lets the view open a new one", async () => {
    const restored = fakePanel();
    await serializers.get(machineViewType)!.deserializeWebviewPanel(restored.panel, undefined);
    assert.match(restored.webview.html, /src="file:\/\/\/ext\/dist\/webview\/machine\.js"/);
    restored.panel.dispose();
    const before = created.length;
    panels[1]!.show(false);
    assert.deepEqual(created.slice(before), [machineViewType]);
  });

  it("a machine panel gets the last exploration's coverage on ready, and its clearing live", async () => {
    panels[1]!.show(false);
    const restored = lastCreated!;
    const coverage = {
      driver: "active.ts",
      runs: 3,
      transitions: [{ state: "open", message: "xmit", count: 9 }],
      unreached: [{ state: "closing", message: "txTimeout" }],
    };
    session.setCoverage(coverage);
    restored.send({ type: "ready", view: "machine" });
    await settle();
    assert.deepEqual(
      restored.record.posted.find((m) => (m as { type: string }).type === "coverage"),
      { type: "coverage", ...coverage },
    );
    session.setCoverage(undefined);
    assert.deepEqual(restored.record.posted.at(-1), { type: "coverage", transitions: [], unreached: [] });
    assert.equal(session.coverage, undefined);
    restored.panel.dispose();
  });

  it("disposing the views unregisters their serializers", () => {
    for (const p of panels) p.dispose();
    assert.equal(serializers.size, 0);
  });
});
