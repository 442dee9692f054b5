// The debug worker has the limits of `run`: a driver that loops without waiting ends the session
// with its line named (or, with "Driver errors" on, is held before the delivery it took last), and
// one that keeps 16 typed arrays of 256 MB ends it with an out-of-memory error, instead of spinning
// forever or taking the adapter past the limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { evaluate, launch, startStdio, stopAfter, type Client } from "../debug/helpers";
import { lineOf, TYPED_ARRAY_HOARD, tempDir, writeDriver } from "./helpers";

const dir = tempDir("debug-limits");
const quiet = path.join(dir, "quiet.json");
fs.writeFileSync(quiet, JSON.stringify({ name: "quiet", workload: { frames: 0, rxRate: 0 }, faults: [] }));
/** Without the limits these sessions never end: the test's own bound. */
const bound = { timeout: 120_000 };

/** Launches without stopping and resolves with everything the adapter printed once the session ends. */
async function runToEnd(client: Client, driver: string): Promise<{ output: string; located: DebugProtocol.OutputEvent[] }> {
  const { dc } = client;
  const events: DebugProtocol.OutputEvent[] = [];
  dc.on("output", (e: DebugProtocol.OutputEvent) => events.push(e));
  const terminated = dc.waitForEvent("terminated");
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
  await terminated;
  return { output: events.map((e) => e.body.output).join(""), located: events.filter((e) => e.body.line !== undefined) };
}

test("debugger: a driver that loops without waiting ends the session, naming the line", bound, async () => {
  const driver = writeDriver(
    dir,
    "spin.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open);
  let n = 0;
  for (;;) n++; // spins here
});
`,
  );
  const client = await startStdio();
  try {
    const { output, located } = await runToEnd(client, driver);
    assert.match(output, /was stopped: it ran for \d+ ms without waiting/);
    assert.ok(output.includes(`${driver}:${lineOf(driver, "spins here")}:`), output);
    assert.ok(
      located.some((e) => e.body.source?.path === driver && e.body.line === lineOf(driver, "spins here")),
      "the output event points at the line",
    );
  } finally {
    await client.close();
  }
});

test('debugger: with "Driver errors" on, a driver that spins is held before the delivery it took last; Next runs into it again', bound, async () => {
  const driver = writeDriver(
    dir,
    "spin-held.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open); // waits here
  let n = 0;
  for (;;) n++; // spins here
});
`,
  );
  const client = await startStdio();
  const { dc } = client;
  try {
    const output: string[] = [];
    dc.on("output", (e: DebugProtocol.OutputEvent) => output.push(e.body.output));
    const held = await launch(dc, { driver, scenario: quiet, stopOnEntry: false }, async () => {
      await dc.setExceptionBreakpointsRequest({ filters: ["error"] });
    });
    assert.equal(held.body.reason, "exception");
    assert.match(held.body.text ?? held.body.description ?? "", /Driver error: the run was stopped: .*without waiting/);
    assert.match(output.join(""), /The run was stopped: .*was stopped: it ran for \d+ ms without waiting/);
    assert.equal(await evaluate(dc, "delivery.mailbox"), "open", "held before the delivery of open, after which it spins");
    const info = await dc.exceptionInfoRequest({ threadId: held.body.threadId ?? 3 });
    assert.match(info.body.description ?? "", /held before the last delivery the driver took; Next runs into it again/);
    // The worker is new (a replay): stepping runs into the loop again and is held again.
    const again = await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }), held.body.threadId ?? 3);
    assert.equal(again.body.reason, "exception");
  } finally {
    await client.close();
  }
});

test('debugger: a "Driver errors" condition that does not hold at the watchdog ends the session as without the filter', bound, async () => {
  const driver = writeDriver(
    dir,
    "spin-unheld.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open);
  for (;;); // spins here
});
`,
  );
  const client = await startStdio();
  const { dc } = client;
  try {
    const events: DebugProtocol.OutputEvent[] = [];
    dc.on("output", (e: DebugProtocol.OutputEvent) => events.push(e));
    const stops: DebugProtocol.StoppedEvent[] = [];
    dc.on("stopped", (e: DebugProtocol.StoppedEvent) => stops.push(e));
    const terminated = dc.waitForEvent("terminated");
    await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: "error", condition: 'kind === "out-of-memory"' }] });
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
    await terminated;
    assert.deepEqual(stops, []);
    assert.match(events.map((e) => e.body.output).join(""), /The run was stopped: .*was stopped: it ran for \d+ ms without waiting/);
  } finally {
    await client.close();
  }
});

test("debugger: 16 typed arrays of 256 MB end the session with an out-of-memory error", bound, async () => {
  const driver = writeDriver(dir, "hoard.ts", TYPED_ARRAY_HOARD);
  const client = await startStdio();
  try {
    const { output } = await runToEnd(client, driver);
    assert.match(output, /ran out of memory: the worker's memory limit of 512 MB was passed/);
  } finally {
    await client.close();
  }
});
