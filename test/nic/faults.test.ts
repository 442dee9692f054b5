// Each injected hardware fault, at the device: what the driver sees and what is counted.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cmd, Desc, Intr, PEER_MAC, Phy, Poll, RESET_US, Reg, Stream, makeFrame, validateFaultPlan } from "active-driver/nic";
import { bits, opts1, queueTx, setup } from "./rings";

const toPeer = (seq: number) => makeFrame({ dst: PEER_MAC, src: new Uint8Array(6), stream: Stream.test, seq, size: 100 });

test("tx-lockup: the transmitter holds its frame until a reset, which discards it (counted)", () => {
  const r = setup({ tx: 4, faults: [{ kind: "tx-lockup", atUs: 150 }] });
  r.host.advance(60); // setup ran 100us; now 160: locked
  queueTx(r, toPeer(1));
  queueTx(r, toPeer(2));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(1000);
  assert.equal(r.nic.counters.txFrames, 0);
  assert.equal(bits(opts1(r.txRing, 0), Desc.OWN), Desc.OWN);
  assert.deepEqual(r.host.faults(), ["tx-lockup"]);
  r.nic.write(Reg.ChipCmd, 1, Cmd.Reset);
  r.host.advance(RESET_US);
  assert.equal(r.nic.counters.dropped["tx-lockup"], 1);
  // The reset rewound the NIC to descriptor 0: the driver re-initialises its ring too.
  for (let i = 0; i < r.txSize; i++) r.txRing.view.setUint32(i * 16, i === r.txSize - 1 ? Desc.EOR : 0, true);
  r.nic.write(Reg.ChipCmd, 1, Cmd.RxEnb | Cmd.TxEnb);
  r.txHead = 0;
  queueTx(r, toPeer(3));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(10);
  assert.equal(r.nic.counters.txFrames, 1, "after the reset the transmitter works again");
});

test("tx-lockup with a duration recovers by itself", () => {
  const r = setup({ tx: 4, faults: [{ kind: "tx-lockup", atUs: 100, durationUs: 500 }] });
  queueTx(r, toPeer(1));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(400);
  assert.equal(r.nic.counters.txFrames, 0);
  r.host.advance(300);
  assert.equal(r.nic.counters.txFrames, 1);
});

test("link-flap: PHYstatus drops, LinkChg twice, frames in both directions are lost while down", () => {
  const r = setup({ tx: 4, rx: 4, faults: [{ kind: "link-flap", atUs: 200, durationUs: 300 }] });
  r.host.advance(110);
  assert.equal(r.nic.read(Reg.PHYstatus, 1) & Phy.LinkStatus, 0);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.LinkChg],
  );
  assert.equal(r.nic.wire.inject(makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq: 0, size: 60 })), "rx-link-down");
  queueTx(r, toPeer(1));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(10);
  assert.equal(r.nic.counters.dropped["tx-link-down"], 1);
  r.nic.write(Reg.IntrStatus, 2, 0xffff);
  r.host.advance(300);
  assert.equal(r.nic.read(Reg.PHYstatus, 1) & Phy.LinkStatus, Phy.LinkStatus);
  assert.equal(r.host.interrupts.at(-1)?.isr, Intr.LinkChg);
});

test("rx-overflow: a burst arrives while the FIFO drops frames with RxFIFOOver", () => {
  const r = setup({ rx: 16, faults: [{ kind: "rx-overflow", atUs: 200, durationUs: 20, burst: 64 }] });
  r.host.advance(200);
  assert.equal(r.nic.wire.counters.offered, 64);
  const dropped = r.nic.counters.dropped["rx-fifo-overflow"] ?? 0;
  assert.ok(dropped > 0 && dropped < 64, `some dropped by the FIFO (${dropped})`);
  assert.equal(bits(r.nic.read(Reg.IntrStatus, 2), Intr.RxFIFOOver), Intr.RxFIFOOver);
  assert.equal(r.nic.counters.rxFrames + dropped + (r.nic.counters.dropped["rx-no-descriptor"] ?? 0), 64);
});

test("spurious-irq: an interrupt with isr 0 and nothing latched", () => {
  const r = setup({ faults: [{ kind: "spurious-irq", atUs: 150, repeat: 3, periodUs: 10 }] });
  r.host.advance(100);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [0, 0, 0],
  );
  assert.equal(r.nic.read(Reg.IntrStatus, 2), 0);
});

test("hot-unplug: reads all ones, writes ignored, one last 0xffff interrupt, an event for the OS", () => {
  const r = setup({ tx: 4, faults: [{ kind: "hot-unplug", atUs: 150, noticeUs: 30 }] });
  const events: string[] = [];
  r.nic.onEvent((e) => events.push(e.type === "unplugged" ? `unplugged notice=${e.noticeUs}` : e.type));
  queueTx(r, toPeer(1));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(100);
  assert.equal(r.nic.read(Reg.ChipCmd, 1), 0xff);
  assert.equal(r.nic.read(Reg.IntrStatus, 2), 0xffff);
  assert.equal(r.nic.read(Reg.MAC0, 4), 0xffffffff);
  r.nic.write(Reg.IntrMask, 2, 0);
  assert.equal(r.nic.read(Reg.IntrMask, 2), 0xffff);
  assert.deepEqual(r.host.interrupts.at(-1), { time: 150, isr: 0xffff });
  assert.deepEqual(events, ["fault", "unplugged notice=30"]);
  assert.equal(r.host.pendingTimers(), 0, "the device stopped its timers");
  assert.equal(r.nic.inspect().state, "unplugged");
});

test("a fault can fire after a count of events instead of a time", () => {
  const r = setup({ tx: 8, faults: [{ kind: "tx-lockup", afterCount: 3, on: "tx" }] });
  for (let i = 0; i < 6; i++) queueTx(r, toPeer(i));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(1000);
  assert.equal(r.nic.counters.txFrames, 3);
  assert.deepEqual((r.nic.inspect().txRing as { inFlight: number[] }).inFlight, [3], "the 4th frame is held by the stuck transmitter");
  assert.deepEqual(r.host.faults(), ["tx-lockup"]);
});

test("validateFaultPlan names the field that is wrong", () => {
  assert.throws(() => validateFaultPlan({ kind: "meteor" }, "s.json: faults[0]"), /s\.json: faults\[0\]\.kind: "meteor" is not one of tx-lockup/);
  assert.throws(() => validateFaultPlan({ kind: "link-flap", atUs: -1 }, "f"), /f\.atUs: expected a non-negative number/);
  assert.throws(() => validateFaultPlan({ kind: "link-flap" }, "f"), /give "atUs"/);
  assert.throws(() => validateFaultPlan({ kind: "link-flap", atUs: 1, colour: 2 }, "f"), /f\.colour: unknown field/);
  assert.deepEqual(validateFaultPlan({ kind: "link-flap", atUs: 5 }, "f"), { kind: "link-flap", atUs: 5 });
});
