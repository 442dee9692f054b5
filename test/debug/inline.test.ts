// The session class in this process (as the extension host runs it inline), through DebugClient:
// restart, terminate with no worker left behind, and the runtime staying off this thread.
import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { liveWorkerCount } from "../../client/src/debug/workerHandle";
import { evaluate, fixture, launch, startInline, stopAfter, whereAmI } from "./helpers";

const TIMEOUT = { timeout: 180_000 };
const SINK = fixture("sink.ts");

describe("inline debug session", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  test("terminate ends the run and leaves no worker behind", TIMEOUT, async () => {
    const before = liveWorkerCount();
    const client = await startInline();
    close = client.close;
    const { dc } = client;
    await launch(dc, { driver: SINK }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    const owned = client.sessions[0]!.driverRuntime.workerCount;
    assert.ok(owned >= 1 && owned <= 2, "the running worker and at most one spare");
    assert.equal(liveWorkerCount(), before + owned, "replays replace the worker: none left over");
    const terminated = dc.waitForEvent("terminated");
    await dc.terminateRequest();
    await terminated;
    assert.equal(liveWorkerCount(), before);
    assert.equal(client.sessions[0]?.driverRuntime.isRunning, false);
  });

  test("restart runs the driver again from the start and resets the traffic view", TIMEOUT, async () => {
    const client = await startInline();
    close = client.close;
    const { dc } = client;
    await launch(dc, { driver: SINK });
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    assert.equal((await whereAmI(dc)).position, 2);
    const reset = new Promise<DebugProtocol.Event>((resolve) => {
      dc.on("activeDriver.trace", (e: DebugProtocol.Event) => {
        if ((e.body as { reset?: boolean }).reset === true) resolve(e);
      });
    });
    const stop = await stopAfter(dc, () => dc.restartRequest({}));
    assert.equal(stop.body.reason, "entry");
    assert.equal((await reset).body.events.length, 0);
    assert.equal(await evaluate(dc, "position"), "0");
  });

  test("disconnect ends the worker too", TIMEOUT, async () => {
    const before = liveWorkerCount();
    const client = await startInline();
    const { dc } = client;
    await launch(dc, { driver: SINK });
    assert.ok(liveWorkerCount() > before);
    await client.close();
    // The session ends its worker before it answers disconnect; close() awaited that answer.
    assert.equal(liveWorkerCount(), before);
  });
});
