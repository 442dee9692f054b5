// Interrupt mitigation (IntrMitigate + CPlusCmd's timer unit): RxOK/TxOK held back until a frame
// count or a timer, released together with any other interrupt, cleared by a reset.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeMitigation, Intr, intrMitigate, makeFrame, PEER_MAC, Reg, Stream } from "active-driver/nic";
import { queueTx, setup, type Rings } from "./rings";

const rx = (r: Rings, seq: number) => r.nic.wire.inject(makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq, size: 60 }));

/** Unit 3 (10.24 us); RX: 2 units or 8 frames. */
function mitigated(fields: Parameters<typeof intrMitigate>[0], rings = 16): Rings {
  const r = setup({ rx: rings, tx: rings });
  r.nic.write(Reg.CPlusCmd, 2, 3);
  r.nic.write(Reg.IntrMitigate, 2, intrMitigate(fields));
  return r;
}

test("intrMitigate lays the fields out as Linux's r8169 does, and rejects what does not fit", () => {
  assert.equal(intrMitigate({ txTimer: 5, txFrames: 16, rxTimer: 2, rxFrames: 16 }), 0x5424);
  assert.equal(intrMitigate({ rxFrames: 5 }), 0x0002, "frame counts round up to fours");
  assert.equal(decodeMitigation(0x5424, 3), "rx 2x10.24us/16 frames, tx 5x10.24us/16 frames");
  assert.equal(decodeMitigation(0, 0), "rx off, tx off");
  assert.throws(() => intrMitigate({ rxTimer: 16 }), /rxTimer 16 is out of range \(0\.\.15\)/);
  assert.throws(() => intrMitigate({ txFrames: 61 }), /txFrames 61 is out of range \(0\.\.60\)/);
});

test("without mitigation every received frame interrupts once the line is idle", () => {
  const r = setup({ rx: 8 });
  rx(r, 0);
  r.nic.write(Reg.IntrStatus, 2, Intr.RxOK);
  rx(r, 1);
  assert.equal(r.host.interrupts.length, 2);
});

test("RxOK waits for the timer: frames within it share one interrupt, raised when it runs out", () => {
  const r = mitigated({ rxTimer: 2 });
  const start = r.host.time;
  rx(r, 0);
  r.host.advance(10);
  rx(r, 1);
  assert.equal(r.host.interrupts.length, 0, "held back");
  assert.equal(r.nic.read(Reg.IntrStatus, 2) & Intr.RxOK, 0, "not in IntrStatus while held");
  r.host.advance(10.47);
  assert.equal(r.host.interrupts.length, 0, "timer (20.48 us from the first frame) not yet out");
  r.host.advance(0.02);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK],
  );
  assert.ok(Math.abs(r.host.interrupts[0].time - (start + 20.48)) < 1e-9, `released at ${r.host.interrupts[0].time}, 20.48 us after the first frame`);
});

test("the frame count releases at once, before the timer", () => {
  const r = mitigated({ rxTimer: 15, rxFrames: 4 });
  for (let i = 0; i < 3; i++) rx(r, i);
  assert.equal(r.host.interrupts.length, 0);
  rx(r, 3);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK],
  );
  r.nic.write(Reg.IntrStatus, 2, Intr.RxOK);
  r.host.advance(200);
  assert.equal(r.host.interrupts.length, 1, "the released batch's timer was cancelled: no late interrupt");
});

test("an immediate event carries what mitigation holds; TX and RX are mitigated apart", () => {
  const r = mitigated({ rxTimer: 15, txTimer: 0 });
  rx(r, 0);
  assert.equal(r.host.interrupts.length, 0);
  queueTx(r, makeFrame({ dst: PEER_MAC, src: r.nic.mac, stream: Stream.test, seq: 9, size: 60 }));
  r.nic.write(Reg.TxPoll, 1, 0x40);
  r.host.advance(1);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.TxOK | Intr.RxOK],
    "TxOK is not mitigated and takes RxOK along",
  );
});

test("a reset drops what was held and its timer", () => {
  const r = mitigated({ rxTimer: 2 });
  rx(r, 0);
  r.nic.write(Reg.ChipCmd, 1, 0x10);
  r.host.advance(100);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.LinkChg],
    "only the reset's own LinkChg",
  );
});

test("inspect() shows the setting and what is held", () => {
  const r = mitigated({ rxTimer: 2 });
  rx(r, 0);
  assert.match(String(r.nic.inspect()["IntrMitigate"]), /^0x0020 \(rx 2x10\.24us, tx off; holding 0x0001 \(RxOK\)\)$/);
});
