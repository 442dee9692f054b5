// Coverage from a run's trace: (state, message) pairs reached and unreached, wait sites, faults by
// state; merging keeps counts and drops from `unreached` what another run reached.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { coverageOfRun, formatCoverage, mergeCoverage } from "active-driver/explore";
import { loadDriver } from "active-driver/host";
import { Ethernet, runScenario } from "active-driver/nic";

const active = path.resolve(__dirname, "..", "..", "samples", "rtl8169", "active.ts");

test("coverage of runs, merged", async () => {
  const module = loadDriver(active).exports as never;
  const plain = coverageOfRun(Ethernet, (await runScenario(module, "default", { seed: 1 })).trace);
  const pair = (state: string, message: string) => plain.transitions.find((t) => t.state === state && t.message === message);
  assert.equal(pair("closed", "open")?.count, 1);
  assert.equal(pair("open", "close")?.count, 1);
  assert.equal(pair("open", "xmit")?.count, 500);
  assert.ok(
    plain.unreached.some((u) => u.state === "suspended" && u.message === "resume"),
    "no suspend in the default scenario",
  );
  assert.equal(
    plain.transitions.length + plain.unreached.length,
    Object.values(Ethernet.states).reduce((n, row) => n + Object.keys(row).length, 0),
    "every enabled pair is reached or unreached",
  );
  assert.deepEqual(plain.faults, []);
  const site = plain.waitSites.find((s) => s.messages["xmit"] !== undefined);
  assert.ok(site !== undefined && site.file === active && site.line > 0, JSON.stringify(plain.waitSites));

  const unplug = coverageOfRun(Ethernet, (await runScenario(module, "suspend-unplug", { seed: 1 })).trace);
  assert.ok(unplug.faults.some((f) => f.kind === "suspend-unplug"));
  const both = mergeCoverage([plain, unplug]);
  assert.equal(
    both.transitions.find((t) => t.state === "open" && t.message === "xmit")?.count,
    500 + unplug.transitions.find((t) => t.state === "open" && t.message === "xmit")!.count,
  );
  assert.ok(!both.unreached.some((u) => u.state === "open" && u.message === "suspend"), "suspend in open: reached by the second run");
  assert.ok(both.unreached.length < plain.unreached.length);
  assert.deepEqual(mergeCoverage([both]), both, "merging is stable");
  assert.match(formatCoverage(both), /^coverage {3}\d+\/\d+ \(state, message\) pairs/);
});
