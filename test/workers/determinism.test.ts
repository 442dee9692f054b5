// Same driver, scenario and seed: the same trace file, byte for byte (written by the worker, one
// TraceEvent per line); another seed: another trace.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadDriver, runDriverInWorker } from "active-driver/host";
import { runScenario } from "active-driver/nic";
import type { TraceEvent } from "active-driver";

const samples = path.resolve(__dirname, "..", "..", "samples", "rtl8169");

async function traceOf(driver: string, scenario: string, seed: number, dir: string, name: string): Promise<Buffer> {
  const tracePath = path.join(dir, name);
  const result = await runDriverInWorker({ driverPath: path.join(samples, driver), scenario, seed, tracePath });
  assert.equal(result.ok, true, result.error?.message ?? result.summary?.failure);
  const bytes = fs.readFileSync(tracePath);
  assert.equal(bytes.toString("utf8").split("\n").length - 1, result.events, "one line per event, as the result counts them");
  return bytes;
}

for (const [driver, scenario] of [
  ["active.ts", "tx-timeout"],
  ["threaded.ts", "suspend-unplug"],
] as const) {
  test(`${driver} ${scenario}: byte-identical trace for a seed, a different one for another seed`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-trace-"));
    try {
      const a = await traceOf(driver, scenario, 7, dir, "a.jsonl");
      const b = await traceOf(driver, scenario, 7, dir, "b.jsonl");
      const c = await traceOf(driver, scenario, 8, dir, "c.jsonl");
      assert.ok(a.equals(b), "seed 7 twice: the same bytes");
      assert.ok(!a.equals(c), "seed 8: a different trace");
      const events = a
        .toString("utf8")
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as TraceEvent);
      assert.deepEqual(
        events.map((e) => e.seq),
        events.map((_, i) => i),
        "seq is dense from 0",
      );
      assert.ok(
        events.some((e) => e.kind === "send" && e.loc?.file === path.join(samples, driver)),
        "sends carry the driver's source location",
      );
      // The worker's heartbeat timer changes nothing: the same run in this thread traces the same bytes.
      const here = await runScenario(loadDriver(path.join(samples, driver)).exports as never, scenario, { seed: 7 });
      assert.equal(here.trace.map((e) => JSON.stringify(e) + "\n").join(""), a.toString("utf8"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
