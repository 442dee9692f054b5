// Same driver, scenario and seed: the same trace byte for byte; another seed: another interleaving.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runScenario } from "active-driver/nic";
import { ringDriver } from "./drivers";

const traceJson = async (scenario: string, seed: number) => {
  const s = await runScenario(ringDriver, scenario, { seed });
  return { json: JSON.stringify(s.trace), summary: JSON.stringify(s), events: s.trace };
};

test("same seed, same trace JSON and summary", async () => {
  for (const scenario of ["default", "tx-timeout", "suspend-unplug"]) {
    const a = await traceJson(scenario, 11);
    const b = await traceJson(scenario, 11);
    assert.ok(a.events.length > 100);
    assert.equal(a.json, b.json, scenario);
    assert.equal(a.summary, b.summary, scenario);
  }
});

test("different seeds interleave the OS threads and the wire differently", async () => {
  const a = await traceJson("default", 1);
  const b = await traceJson("default", 2);
  assert.notEqual(a.json, b.json);
  // Not just payloads: the order of messages (xmit, irq, recv) differs.
  const order = (events: typeof a.events) =>
    events
      .filter((e) => e.kind === "send")
      .map((e) => e.mailbox)
      .join(",");
  const interleavings = new Set([order(a.events), order(b.events), order((await traceJson("default", 3)).events)]);
  assert.ok(interleavings.size > 1);
});
