// The debug worker has the limits of `run`: a driver that loops without waiting ends the session
// with its line named, and one that keeps 16 typed arrays of 256 MB ends it with an out-of-memory
// error, instead of spinning forever or taking the adapter past the limit.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { startStdio, type Client } from "../debug/helpers";
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
