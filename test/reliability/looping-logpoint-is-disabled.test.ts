// A logpoint whose expression loops is disabled after its first timeout, as a looping condition is,
// instead of costing its whole budget at every hit for the rest of the run.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { startStdio } from "../debug/helpers";
import { lineOf, tempDir, writeDriver } from "./helpers";

test("a logpoint whose expression loops is disabled as conditions are", { timeout: 180_000 }, async () => {
  const dir = tempDir("logpoint");
  const scenario = path.join(dir, "quiet.json");
  fs.writeFileSync(scenario, JSON.stringify({ name: "quiet", workload: { frames: 0, rxRate: 0 } }));
  // 200 hits of the wait line: at 1.25 s each, a logpoint that stayed enabled would take minutes.
  const driver = writeDriver(
    dir,
    "ticker.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  const tick = d.mailbox<number>("tick");
  await d.wait(d.mb.open);
  for (let i = 0; i < 200; i++) {
    d.send(tick, i);
    await d.wait(tick); // tick
  }
  d.send(d.mb.openComplete, { status: 0 });
  await d.wait(d.mb.close);
  d.send(d.mb.closeComplete, { status: 0 });
  await d.wait(d.mb.unplug);
});
`,
  );
  const client = await startStdio();
  const { dc } = client;
  const changed: DebugProtocol.Breakpoint[] = [];
  const output: string[] = [];
  dc.on("breakpoint", (e: DebugProtocol.BreakpointEvent) => changed.push(e.body.breakpoint));
  dc.on("output", (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
  try {
    const terminated = dc.waitForEvent("terminated", 170_000);
    await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    await dc.setBreakpointsRequest({
      source: { path: driver },
      breakpoints: [{ line: lineOf(driver, "// tick"), logMessage: "tick {(() => { for (;;) {} })()}" }],
    });
    const launched = dc.launchRequest({
      type: "active-driver",
      request: "launch",
      driver,
      scenario,
      seed: 1,
      stopOnEntry: false,
    } as DebugProtocol.LaunchRequestArguments);
    await dc.configurationDoneRequest();
    await launched;
    await terminated;
    const disabled = changed.find((b) => /log message .* took longer than \d+ ms .*; it is no longer evaluated$/.test(b.message ?? ""));
    assert.ok(disabled !== undefined && disabled.verified === false, JSON.stringify(changed));
    assert.ok(output.filter((o) => o.includes("took longer than")).length <= 2, "reported once (a problem line), not at every hit");
  } finally {
    await client.close();
  }
});
