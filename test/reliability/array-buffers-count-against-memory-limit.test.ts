// Array buffers and other memory outside V8's heap count against the worker's memory limit: a
// driver that keeps 16 typed arrays of 256 MB is stopped with an out-of-memory error, not "ok".
// The arrays are never written, so the test costs address space, not resident memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runDriverInWorker } from "active-driver/host";
import { TYPED_ARRAY_HOARD, tempDir, writeDriver } from "./helpers";

const dir = tempDir("external-memory");
const quiet = { name: "quiet", workload: { frames: 0, rxRate: 0 }, faults: [] };

test("run: 16 typed arrays of 256 MB stop the driver with an out-of-memory error", async () => {
  const driver = writeDriver(dir, "hoard.ts", TYPED_ARRAY_HOARD);
  const result = await runDriverInWorker({ driverPath: driver, scenario: quiet, seed: 1 });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "out-of-memory", result.error?.message ?? "the run passed");
  assert.match(result.error?.message ?? "", /ran out of memory: the worker's memory limit of 512 MB was passed \(\d+ MB in use, \d+ MB of it array buffers/);
  assert.ok(result.error?.message.includes(driver));
});
