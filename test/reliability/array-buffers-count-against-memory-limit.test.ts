// Array buffers and other memory outside V8's heap count against the worker's memory limit: a
// driver that keeps 16 typed arrays of 256 MB is stopped with an out-of-memory error, not "ok".
// The arrays are never written, so the test costs address space, not resident memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runDriverInWorker } from "active-driver/host";
import { tempDir, writeDriver } from "./helpers";

const dir = tempDir("external-memory");
const quiet = { name: "quiet", workload: { frames: 0, rxRate: 0 }, faults: [] };

export const TYPED_ARRAY_HOARD = `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  const hoard: Uint8Array[] = [];
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.close, d.mb.txTimeout, d.mb.unplug);
    if (r.name === "open") {
      for (let i = 0; i < 16; i++) {
        hoard.push(new Uint8Array(256 * 1024 * 1024)); // 256 MB outside the heap
        await d.sleep(1);
      }
      // Keeps them a while (500 ms of wall time, in 1 ms blocks between sleeps): long enough for any watchdog period.
      for (let i = 0; i < 500; i++) {
        Atomics.wait(pause, 0, 0, 1);
        await d.sleep(1);
      }
      d.send(d.mb.openComplete, { status: 0 });
    } else if (r.name === "close") d.send(d.mb.closeComplete, { status: 0 });
    else if (r.name === "unplug") return;
  }
});
`;

test("run: 16 typed arrays of 256 MB stop the driver with an out-of-memory error", async () => {
  const driver = writeDriver(dir, "hoard.ts", TYPED_ARRAY_HOARD);
  const result = await runDriverInWorker({ driverPath: driver, scenario: quiet, seed: 1 });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "out-of-memory", result.error?.message ?? "the run passed");
  assert.match(result.error?.message ?? "", /ran out of memory: the worker's memory limit of 512 MB was passed \(\d+ MB in use, \d+ MB of it array buffers/);
  assert.ok(result.error?.message.includes(driver));
});
