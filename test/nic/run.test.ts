// runScenario end to end with the fixture drivers: every scenario, accounting, pcap, the
// contract's smaller protocol.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SCENARIO_NAMES, formatSummary, frameTag, parsePcap, runScenario, Stream, type RunSummary } from "active-driver/nic";
import { fig4Driver, lossyDriver, ringDriver } from "./drivers";

function explain(s: RunSummary): string {
  return formatSummary(s);
}

function requestsOf(s: RunSummary): string[] {
  return s.requests.map((r) => `${r.name}=${String(r.status)}`);
}

test("default: open, stream, close; every frame accounted for in both directions", async () => {
  const s = await runScenario(ringDriver, "default", { seed: 1 });
  assert.equal(s.ok, true, explain(s));
  assert.equal(s.completed, true);
  assert.deepEqual(requestsOf(s), ["open=0", "close=0"]);
  assert.equal(s.frames.tx.offered, 500);
  assert.equal(s.frames.tx.delivered, 500);
  assert.equal(s.frames.tx.lost, 0);
  assert.ok(s.frames.rx.offered > 50, `RX offered ${s.frames.rx.offered}`);
  assert.equal(s.frames.rx.delivered, s.frames.rx.offered);
  assert.equal(s.messages.xmit.sent, 500);
  assert.equal(s.messages.xmit.delivered, 500);
  assert.equal(s.messages.recv.sent, s.frames.rx.delivered);
  assert.ok(s.messages.irq.sent > 0);
  assert.equal(s.violations.length, 0);
  assert.equal(s.failure, undefined);
  assert.equal(s.protocolState, "closed");
  assert.ok(s.virtualTimeUs > 5000 && s.virtualTimeUs < 50000, `virtual time ${s.virtualTimeUs}`);
  assert.ok(s.trace.length > 0);
  assert.equal(JSON.parse(JSON.stringify(s)).trace, undefined, "the trace stays out of JSON");
  assert.match(formatSummary(s), /^scenario default, seed 1, active driver: ok after [\d.]+ ms of virtual time\n {2}TX: 500 sent by the OS, 500 on the wire,/);
});

test("tx-timeout: the lock-up stalls TX, the watchdog sends txTimeout, the reset recovers", async () => {
  const s = await runScenario(ringDriver, "tx-timeout", { seed: 3 });
  assert.equal(s.ok, true, explain(s));
  assert.deepEqual(
    s.faults.map((f) => f.kind),
    ["tx-lockup"],
  );
  assert.equal(s.txTimeouts, 1);
  assert.equal(s.messages.txTimeout.delivered, 1);
  assert.ok(s.nic.resets >= 2, "open and the txTimeout each reset the chip");
  const lostToFault = (s.frames.tx.dropped["tx-lockup"] ?? 0) + (s.frames.tx.dropped["tx-timeout"] ?? 0);
  assert.ok(lostToFault >= 1, explain(s));
  assert.equal(s.frames.tx.delivered + lostToFault, 500, explain(s));
  const timeout = s.trace.find((e) => e.mailbox === "txTimeout" && e.kind === "send");
  const lockup = s.faults[0].timeUs;
  assert.ok(timeout !== undefined && timeout.time - lockup >= 5000, "the watchdog waits a whole period of no progress");
});

test("link-flap: two flaps, frames lost only while the link is down", async () => {
  const s = await runScenario(ringDriver, "link-flap", { seed: 1 });
  assert.equal(s.ok, true, explain(s));
  assert.deepEqual(
    s.faults.map((f) => [f.kind, f.timeUs]),
    [
      ["link-flap", 2000],
      ["link-flap", 6000],
    ],
  );
  const down = (s.frames.tx.dropped["tx-link-down"] ?? 0) + (s.frames.rx.dropped["rx-link-down"] ?? 0);
  assert.ok(down > 0, explain(s));
  assert.equal(s.frames.tx.delivered + (s.frames.tx.dropped["tx-link-down"] ?? 0), s.frames.tx.offered);
});

test("rx-overflow: the FIFO drops part of a burst; reception recovers", async () => {
  const s = await runScenario(ringDriver, "rx-overflow", { seed: 1 });
  assert.equal(s.ok, true, explain(s));
  assert.ok((s.frames.rx.dropped["rx-fifo-overflow"] ?? 0) > 0, explain(s));
  assert.ok(s.frames.rx.delivered > 256 - (s.frames.rx.dropped["rx-fifo-overflow"] ?? 0));
  const afterBurst = s.trace.filter((e) => e.mailbox === "recv" && e.kind === "send" && e.time > 3500).length;
  assert.ok(afterBurst > 0, "frames still arrive after the burst");
});

test("spurious-irq: interrupts with no cause change nothing", async () => {
  const s = await runScenario(ringDriver, "spurious-irq", { seed: 1 });
  assert.equal(s.ok, true, explain(s));
  assert.equal(s.faults.length, 6);
  assert.equal(s.frames.tx.delivered, 500);
  assert.equal(s.frames.rx.delivered, s.frames.rx.offered);
});

test("hot-unplug: reads go all ones, the OS sends unplug, the frames in flight count as lost to it", async () => {
  const s = await runScenario(ringDriver, "hot-unplug", { seed: 1 });
  assert.equal(s.ok, true, explain(s));
  assert.equal(s.completed, false);
  assert.deepEqual(
    s.faults.map((f) => [f.kind, f.timeUs]),
    [["hot-unplug", 4000]],
  );
  assert.equal(s.messages.unplug.sent, 1);
  const unplugSent = s.trace.find((e) => e.mailbox === "unplug" && e.kind === "send");
  assert.equal(unplugSent?.time, 4050, "the OS learns of it 50us later");
  assert.ok(s.frames.tx.offered < 500);
  assert.equal(s.frames.tx.delivered + (s.frames.tx.dropped.unplug ?? 0) + (s.frames.tx.dropped["tx-unplugged"] ?? 0), s.frames.tx.offered, explain(s));
  assert.equal(s.messages.close?.sent ?? 0, 0, "no close after the card is gone");
});

test("suspend-unplug: the suspend is answered whichever comes first, over many seeds", async () => {
  const orders = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) {
    const s = await runScenario(ringDriver, "suspend-unplug", { seed, trace: { locations: false } });
    assert.equal(s.ok, true, `seed ${seed}: ${explain(s)}`);
    const suspend = s.requests.find((r) => r.name === "suspend");
    assert.ok(suspend?.repliedUs !== undefined, `seed ${seed}: suspend answered`);
    assert.equal(s.messages.unplug.sent, 1);
    orders.add(s.faults[0].timeUs < suspend.sentUs ? "unplug first" : "suspend first");
  }
  assert.deepEqual([...orders].sort(), ["suspend first", "unplug first"], "the seed decides the race both ways");
});

test("every scenario runs the fixture driver cleanly", async () => {
  for (const name of SCENARIO_NAMES) {
    const s = await runScenario(ringDriver, name, { seed: 5, trace: false });
    assert.equal(s.ok, true, `${name}: ${explain(s)}`);
    assert.equal(s.trace.length, 0);
  }
});

test("accounting: a driver that drops frames is caught, with the count", async () => {
  const s = await runScenario(lossyDriver, "default", { seed: 1, trace: false });
  assert.equal(s.ok, false);
  assert.equal(s.frames.tx.lost, 50);
  assert.equal(s.frames.tx.delivered, 450);
  assert.match(s.problems.join("\n"), /50 frame\(s\) the OS sent never reached the wire/);
  assert.ok(s.txTimeouts > 0, "the lost frames fill the OS's in-flight budget: TX stalls and the watchdog fires");
});

test("accounting: a frame whose bytes changed on the way is caught, in each direction", async () => {
  const tx = await runScenario(ringDriver, "default", {
    seed: 1,
    trace: false,
    onLaunch: (_inst, nic) => {
      // The bytes the wire carries for OS frame 7 differ from what the OS handed over.
      const transmit = nic.wire.transmit.bind(nic.wire);
      nic.wire.transmit = (frame, cause) => {
        const copy = frame.slice();
        if (frameTag(copy)?.stream === Stream.os && frameTag(copy)?.seq === 7) copy[copy.length - 1] ^= 0x01;
        transmit(copy, cause);
      };
    },
  });
  assert.equal(tx.frames.tx.corrupted, 1, explain(tx));
  assert.equal(tx.frames.tx.delivered, tx.frames.tx.offered - 1);
  assert.equal(tx.ok, false);
  assert.ok(
    tx.problems.some((p) => /TX: 1 frame\(s\) arrived with different bytes/.test(p)),
    tx.problems.join("; "),
  );

  const rx = await runScenario(ringDriver, "default", {
    seed: 1,
    trace: false,
    onLaunch: (_inst, nic) => {
      // What lands in the RX ring differs from what the wire offered: the driver reports other bytes.
      const receive = nic.receive.bind(nic);
      let n = 0;
      nic.receive = (frame) => {
        const copy = frame.slice();
        if (n++ === 3) copy[copy.length - 1] ^= 0x01;
        return receive(copy);
      };
    },
  });
  assert.equal(rx.frames.rx.corrupted, 1, explain(rx));
  assert.equal(rx.ok, false);
});

test("a driver of the contract's four-request protocol runs; what it never sends is reported", async () => {
  const s = await runScenario(fig4Driver, "default", { seed: 1, trace: false });
  assert.equal(s.failure, undefined, explain(s));
  assert.deepEqual(requestsOf(s), ["open=0", "close=0"]);
  assert.equal(s.frames.tx.delivered, 0);
  assert.ok(s.frames.tx.lost > 0);
  assert.ok(s.txTimeouts > 0, "TX outstanding with no progress: the watchdog fires");
  assert.match(s.notes.join("\n"), /has no recv/);
  assert.equal(s.ok, false);
});

test("pcap: the run's capture holds the frames the driver sent, in order, with virtual timestamps", async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nic-pcap-")), "run.pcap");
  const s = await runScenario(ringDriver, "default", { seed: 2, pcap: file, trace: false });
  assert.equal(s.pcapFile, file);
  const { header, records } = parsePcap(fs.readFileSync(file));
  assert.equal(header.network, 1);
  const sent = records.filter((r) => frameTag(r.data)?.stream === Stream.os).map((r) => frameTag(r.data)?.seq);
  assert.deepEqual(
    sent,
    Array.from({ length: 500 }, (_, i) => i),
  );
  const received = records.filter((r) => frameTag(r.data)?.stream === Stream.generator).length;
  assert.equal(received, s.frames.rx.offered);
  const times = records.map((r) => r.tsSec * 1e6 + r.tsUsec);
  assert.deepEqual(
    times,
    [...times].sort((a, b) => a - b),
  );
  assert.ok(times[times.length - 1] <= s.virtualTimeUs);
});

test("a workload with two open periods, suspends and loopback balances", async () => {
  const s = await runScenario(
    ringDriver,
    { name: "busy", description: "", workload: { frames: 300, cycles: 2, suspends: 2, loopback: true, rxRate: 10000 }, faults: [] },
    { seed: 4 },
  );
  assert.equal(s.ok, true, explain(s));
  assert.deepEqual(requestsOf(s), [
    "open=0",
    "suspend=0",
    "resume=0",
    "suspend=0",
    "resume=0",
    "close=0",
    "open=0",
    "suspend=0",
    "resume=0",
    "suspend=0",
    "resume=0",
    "close=0",
  ]);
  assert.equal(s.frames.tx.delivered, 300);
  // Loopback: each frame sent comes back, and is received like any other.
  assert.ok(s.frames.rx.offered >= 300, `${s.frames.rx.offered}`);
  assert.equal(s.frames.rx.delivered, s.frames.rx.offered);
  assert.equal(s.protocolState, "closed");
});

test("the stepping gate passes through to launch and sees every delivery", async () => {
  const seen: string[] = [];
  const s = await runScenario(
    ringDriver,
    { name: "small", description: "", workload: { frames: 5, rxRate: 0 }, faults: [] },
    {
      seed: 1,
      gate: (e) => {
        seen.push(e.mailbox);
      },
    },
  );
  assert.equal(s.ok, true, explain(s));
  // The gate also sees the thread's start and its sleeps ending; the trace's deliveries are the messages.
  const messages = seen.filter((m) => m !== "start" && m !== "sleep");
  assert.deepEqual(
    messages,
    s.trace.filter((e) => e.kind === "deliver").map((e) => e.mailbox),
  );
  assert.deepEqual(
    messages.filter((m) => m !== "irq"),
    ["open", "xmit", "xmit", "xmit", "xmit", "xmit", "close"],
  );
});

test("onLaunch hands over the live instance and the NIC (the debugger's Device scope)", async () => {
  let registers: Record<string, unknown> | undefined;
  await runScenario(ringDriver, "default", {
    seed: 1,
    trace: false,
    onLaunch: (inst, nic) => {
      assert.equal(inst.device, nic);
      inst.after(3000, () => (registers = nic.inspect()));
    },
  });
  assert.ok(registers !== undefined);
  assert.match(String(registers.ChipCmd), /RxEnb\|TxEnb/);
  assert.equal((registers.txRing as { descriptors: string[] }).descriptors.length, 32);
});
