// The run watchdog measures the driver's progress (waits, sleeps, deliveries), not virtual time or
// trace writes: a thread that queues many internal messages that another thread drains is working,
// with or without a trace file; a loop that never waits is stopped either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { runDriverInWorker } from "active-driver/host";
import { lineOf, tempDir, writeDriver } from "./helpers";

const dir = tempDir("watchdog");
const MESSAGES = 150_000;
/** No traffic: the run is the driver's own work between open and close. */
const quiet = { name: "quiet", workload: { frames: 0, rxRate: 0 }, faults: [] };

const flood = writeDriver(
  dir,
  "flood.ts",
  `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  const work = d.mailbox<number>("work");
  const done = d.mailbox<number>("done");
  // Every 100 messages the drain blocks its thread for 1 ms (as a synchronous call would): about
  // 1.5 s of wall time in all, longer than the watchdog's 1 s, with no CPU spent on it.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  d.spawn("drain", async () => {
    for (let n = 1; ; n++) {
      const r = await d.wait(work);
      if (n % 100 === 0) Atomics.wait(pause, 0, 0, 1);
      if (n === ${MESSAGES}) d.send(done, r.msg);
    }
  });
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.close, d.mb.txTimeout, d.mb.unplug);
    if (r.name === "open") {
      for (let i = 0; i < ${MESSAGES}; i++) d.send(work, i);
      await d.wait(done);
      d.send(d.mb.openComplete, { status: 0 });
    } else if (r.name === "close") d.send(d.mb.closeComplete, { status: 0 });
    else if (r.name === "unplug") return;
  }
});
`,
);

const spin = writeDriver(
  dir,
  "logspin.ts",
  `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open);
  for (let n = 0; ; n++) if (n % 4096 === 0) d.log("still here", n); // logs, never waits
});
`,
);

for (const traced of [false, true]) {
  const label = traced ? "with a trace file" : "without a trace file";
  test(`a thread draining ${MESSAGES} queued internal messages is not a spin (${label})`, async () => {
    const result = await runDriverInWorker({ driverPath: flood, scenario: quiet, seed: 1, ...(traced ? { tracePath: path.join(dir, "flood.jsonl") } : {}) });
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.summary?.messages["work"]?.delivered, MESSAGES);
    assert.equal(result.ok, true, JSON.stringify(result.summary?.problems));
  });

  test(`a loop that logs but never waits is stopped and named (${label})`, async () => {
    const result = await runDriverInWorker({
      driverPath: spin,
      scenario: quiet,
      seed: 1,
      locateMs: 10000,
      ...(traced ? { tracePath: path.join(dir, "spin.jsonl") } : {}),
    });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout", result.error?.message ?? result.summary?.failure);
    assert.equal(result.error?.loc?.line, lineOf(spin, "never waits"));
  });
}
