// `next` (and the other steps) while the driver runs is answered with an error, not a success that
// is then dropped.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { startStdio } from "../debug/helpers";
import { tempDir, writeDriver } from "./helpers";

test("next while the driver runs answers an error", { timeout: 120_000 }, async () => {
  const dir = tempDir("next-running");
  const quiet = path.join(dir, "quiet.json");
  fs.writeFileSync(quiet, JSON.stringify({ name: "quiet", workload: { frames: 0, rxRate: 0 } }));
  // Runs a long while in wall time (5 ms per virtual millisecond slept), making progress all along.
  const driver = writeDriver(
    dir,
    "slow.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  await d.wait(d.mb.open);
  for (;;) {
    Atomics.wait(pause, 0, 0, 5);
    await d.sleep(1);
  }
});
`,
  );
  const client = await startStdio();
  const { dc } = client;
  try {
    await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    const launched = dc.launchRequest({
      type: "active-driver",
      request: "launch",
      driver,
      scenario: quiet,
      seed: 1,
      stopOnEntry: false,
    } as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    await launched;
    const threads = await dc.threadsRequest();
    const threadId = threads.body.threads[0]?.id ?? 1;
    await assert.rejects(dc.nextRequest({ threadId }), /Next needs a stopped driver: it is running/);
    await assert.rejects(dc.stepBackRequest({ threadId }), /Step back needs a stopped driver/);
  } finally {
    await client.close();
  }
});
