/// <reference types="mocha" />
// The debugger in a real extension host: a launch of type active-driver on the tx-timeout scenario
// stops on entry, answers a custom threads request with the driver's threads, and terminates.
import assert from "node:assert/strict";
import * as vscode from "vscode";
import { poll, sampleUri, workspaceFolder } from "./helpers";

suite("debugging", () => {
  const disposables: vscode.Disposable[] = [];
  teardown(async () => {
    if (vscode.debug.activeDebugSession !== undefined) await vscode.debug.stopDebugging();
    for (const d of disposables.splice(0)) d.dispose();
  });

  test("tx-timeout stops on entry, lists the driver threads, and terminates", async () => {
    const stops: string[] = [];
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory("active-driver", {
        createDebugAdapterTracker: () => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { reason?: string } }) => {
            if (message.type === "event" && message.event === "stopped") stops.push(message.body?.reason ?? "?");
          },
        }),
      }),
    );
    let terminated = false;
    disposables.push(vscode.debug.onDidTerminateDebugSession((s) => (terminated ||= s.type === "active-driver")));
    const started = await vscode.debug.startDebugging(workspaceFolder(), {
      type: "active-driver",
      request: "launch",
      name: "electron suite: tx-timeout",
      driver: sampleUri("rtl8169/active.ts").fsPath,
      scenario: "tx-timeout",
      seed: 1,
      stopOnEntry: true,
    });
    assert.equal(started, true, "the debug session starts");
    const session = vscode.debug.activeDebugSession;
    assert.ok(session, "a debug session is active");
    assert.equal(session.type, "active-driver");
    await poll("the session stops on entry", () => (stops.length > 0 ? true : undefined));
    assert.equal(stops[0], "entry");
    const reply = (await session.customRequest("threads")) as { threads: { id: number; name: string }[] };
    assert.deepEqual(
      reply.threads.map((t) => t.name),
      ["main", "OS side", "NIC"],
    );
    await vscode.debug.stopDebugging(session);
    await poll("the session terminates", () => (terminated ? true : undefined));
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });
});
