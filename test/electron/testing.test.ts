/// <reference types="mocha" />
// The Test Explorer in a real extension host: a driver that breaks its protocol in every run is a
// failed test whose message points into the driver; Debug replays the failing schedule in the
// debugger, which stops at the failure (reason "exception", the text naming it).
import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { ActiveDriversApi } from "../../client/src/extension";
import { extensionId, poll, sampleUri, workspaceFolder } from "./helpers";

/** Answers open with closeComplete: the protocol forbids it, and the open stays unanswered. */
const WRONG_REPLY = `import { defineDriver } from "active-driver";
import { Rtl8169 } from "active-driver/nic";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
  const { open, closeComplete, txTimeout, unplug } = d.mb;
  for (;;) {
    const r = await d.wait(open, txTimeout, unplug);
    if (r.name === "open") d.send(closeComplete, { status: 0 });
  }
});
`;

suite("Test Explorer", () => {
  const disposables: vscode.Disposable[] = [];
  teardown(async () => {
    if (vscode.debug.activeDebugSession !== undefined) await vscode.debug.stopDebugging();
    for (const d of disposables.splice(0)) d.dispose();
  });

  test("a failing driver is a failed test pointing into it; Debug lands on the failure", async function () {
    this.timeout(240_000);
    const driver = sampleUri("rtl8169/wrong-reply.ts");
    await vscode.workspace.fs.writeFile(driver, new TextEncoder().encode(WRONG_REPLY));
    await vscode.workspace.getConfiguration("activeDriver", workspaceFolder().uri).update("explore.budget", "4", vscode.ConfigurationTarget.Workspace);
    const extension = vscode.extensions.getExtension<ActiveDriversApi>(extensionId);
    assert.ok(extension, "the extension is installed");
    const api = await extension.activate();

    const outcome = await api.exploreScenario(driver, "default");
    assert.equal(outcome?.state, "failed", JSON.stringify(outcome));
    assert.ok((outcome.message ?? "").length > 0, "the failure says what went wrong");
    assert.ok(outcome.schedule?.endsWith(".schedule.json"), `a schedule file: ${outcome.schedule}`);
    if (outcome.location !== undefined) assert.equal(outcome.location.file, driver.fsPath, "the message sits in the driver");

    const stops: { reason?: string; text?: string }[] = [];
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory("active-driver", {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { reason?: string; text?: string } }) => {
            if (message.type === "event" && message.event === "stopped") stops.push(message.body ?? {});
          },
        }),
      }),
    );
    const sessions: vscode.DebugSession[] = [];
    disposables.push(vscode.debug.onDidStartDebugSession((s) => s.type === "active-driver" && sessions.push(s)));
    const debugging = api.exploreScenario(driver, "default", true);
    await poll("the replay stops", () => (stops.length > 0 ? true : undefined), 120_000);
    assert.equal(stops[0]!.reason, "exception");
    assert.match(stops[0]!.text ?? "", /^Replayed failure \(wrong-reply\.default\.1\.schedule\.json\): /);
    const session = sessions[0];
    assert.equal(session?.configuration.replay, outcome.schedule, "the session replays the failing schedule");
    await vscode.debug.stopDebugging(session);
    await debugging;
  });
});
