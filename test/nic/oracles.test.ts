// The run oracles one by one: what each finding says and where it points. The bug set
// (test/explore/) covers them end to end over real drivers; these pin the messages down.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defineDriver } from "active-driver";
import { Ethernet, Rtl8169, runScenario, STORM_LIMIT } from "active-driver/nic";
import { fig4Driver, lossyDriver, ringDriver } from "./drivers";

test("lost frames are named with where they were last seen, when, and where the driver waited", async () => {
  const s = await runScenario(lossyDriver, "default", { seed: 1 });
  const f = s.findings.find((x) => x.kind === "lost-frames");
  assert.ok(f !== undefined, s.problems.join("\n"));
  // The lossy driver takes every 10th frame from xmit and forgets it: never seen in the ring.
  assert.match(
    f.message,
    /^TX: 50 frame\(s\) the OS sent never reached the wire and no injected fault touched them: os#9 handed to the driver at [\d.]+us and never seen in the TX ring/,
  );
  assert.match(f.message, /; and 47 more; the driver at [\d.]+us: protocol state open; thread main waits at lossy-driver\.ts:\d+:\d+ on /);
  assert.ok(f.location !== undefined && f.location.file.endsWith("lossy-driver.ts"), JSON.stringify(f.location));
  assert.deepEqual(
    s.problems,
    s.findings.map((x) => x.message),
  );
});

test("a watchdog firing with no fault behind it is a finding that says what the ring holds", async () => {
  const s = await runScenario(fig4Driver, "default", { seed: 1 });
  const f = s.findings.find((x) => x.kind === "watchdog");
  assert.ok(f !== undefined, s.problems.join("\n"));
  assert.match(
    f.message,
    /^the OS watchdog fired at [\d.]+us \(16 frame\(s\) outstanding, no TX progress since [\d.]+us\) and no injected fault explains the stall: none of them is in the TX ring; protocol state open/,
  );
  // With the fault that explains it, the same firing is no finding.
  const faulted = await runScenario(ringDriver, "tx-timeout", { seed: 1 });
  assert.equal(faulted.txTimeouts, 1);
  assert.equal(faulted.findings.filter((x) => x.kind === "watchdog").length, 0, faulted.problems.join("\n"));
});

test("liveness: a request unanswered for replyTimeoutUs stops the run and names the thread, its wait site and mailboxes", async () => {
  const mute = defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
    const { open } = d.mb;
    await d.wait(open);
    for (;;) await d.wait(d.dev.irq); // never answers open
  });
  const s = await runScenario(mute, { name: "mute", description: "", workload: { replyTimeoutUs: 3000 }, faults: [] }, { seed: 1 });
  assert.equal(s.ok, false);
  const f = s.findings[0]!;
  assert.equal(f.kind, "unanswered");
  assert.match(f.message, /^open \(sent at [\d.]+us\) unanswered after 3000us: protocol state opening; thread main waits at oracles\.test\.ts:\d+:\d+ on irq$/);
  assert.ok(s.virtualTimeUs < 3200, `the run stops at the bound (${s.virtualTimeUs}us)`);
});

test("an interrupt storm is reported with the unacknowledged IntrStatus bits, and the line is disabled", async () => {
  let handled = 0;
  const storm = defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
    const { open, openComplete } = d.mb;
    await d.wait(open);
    d.dev.write32(0x44, 0); // RxConfig: nothing is accepted, frames are filtered
    d.dev.write16(0x3c, 0x0020); // IntrMask: LinkChg
    d.dev.write8(0x37, 0x10); // reset: LinkChg latched when done
    d.send(openComplete, { status: 0 });
    for (;;) {
      await d.wait(d.dev.irq);
      handled++;
      // Mask, unmask, never acknowledge: the line rises again at once.
      d.dev.write16(0x3c, 0);
      d.dev.write16(0x3c, 0x0020);
    }
  });
  const s = await runScenario(
    storm,
    { name: "storm", description: "", workload: { frames: 0, rxRate: 0, replyTimeoutUs: 5000 }, faults: [] },
    { seed: 1, trace: false },
  );
  const f = s.findings.find((x) => x.kind === "interrupt-storm");
  assert.ok(f !== undefined, s.problems.join("\n"));
  assert.match(f.message, new RegExp(`^interrupt storm: ${STORM_LIMIT} interrupts at [\\d.]+us with IntrStatus 0x0020 \\(LinkChg\\) never acknowledged`));
  assert.equal(s.problems[0], f.message, "the storm comes first: later findings follow from it");
  assert.ok(handled <= STORM_LIMIT + 1, `${handled} interrupts handled`);
});
