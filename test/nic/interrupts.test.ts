// Interrupt masking, acknowledge (write 1 to clear), coalescing and re-raise.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Intr, PEER_MAC, Reg, Stream, makeFrame } from "active-driver/nic";
import { armRx, setup } from "./rings";

const rx = (r: ReturnType<typeof setup>, seq: number) => r.nic.wire.inject(makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq, size: 60 }));

test("a masked event latches in IntrStatus without an interrupt; unmasking it interrupts", () => {
  const r = setup({ rx: 4, mask: 0 });
  rx(r, 0);
  assert.equal(r.host.interrupts.length, 0);
  assert.equal(r.nic.read(Reg.IntrStatus, 2), Intr.RxOK);
  r.nic.write(Reg.IntrMask, 2, Intr.RxOK);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK],
  );
});

test("events while the line is asserted coalesce; an acknowledge that leaves bits pending raises again", () => {
  const r = setup({ rx: 8, mask: Intr.RxOK | Intr.LinkChg });
  rx(r, 0);
  rx(r, 1);
  r.nic.setLink(false);
  r.nic.setLink(true);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK],
    "one interrupt: the line stayed asserted",
  );
  r.nic.write(Reg.IntrStatus, 2, Intr.RxOK); // the driver acks what its message said
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK, Intr.LinkChg],
  );
  r.nic.write(Reg.IntrStatus, 2, Intr.LinkChg);
  assert.equal(r.host.interrupts.length, 2);
  assert.equal(r.nic.read(Reg.IntrStatus, 2), 0);
  rx(r, 2);
  assert.equal(r.host.interrupts.length, 3, "idle line: the next event interrupts at once");
});

test("writing 0 to IntrStatus clears nothing and does not re-raise", () => {
  const r = setup({ rx: 4 });
  rx(r, 0);
  r.nic.write(Reg.IntrStatus, 2, 0);
  assert.equal(r.host.interrupts.length, 1);
  assert.equal(r.nic.read(Reg.IntrStatus, 2), Intr.RxOK);
});

test("masking all while asserted drops the line; unmasking with bits pending interrupts again (Linux's NAPI pattern)", () => {
  const r = setup({ rx: 4 });
  rx(r, 0);
  r.nic.write(Reg.IntrMask, 2, 0);
  rx(r, 1);
  armRx(r, 0);
  r.nic.write(Reg.IntrStatus, 2, Intr.RxOK);
  assert.equal(r.host.interrupts.length, 1);
  rx(r, 2);
  r.nic.write(Reg.IntrMask, 2, Intr.RxOK);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.RxOK, Intr.RxOK],
  );
});

test("TxPoll FSWInt raises SWInt through the mask", () => {
  const r = setup({ mask: Intr.SWInt });
  r.nic.write(Reg.TxPoll, 1, 0x01);
  assert.deepEqual(
    r.host.interrupts.map((i) => i.isr),
    [Intr.SWInt],
  );
});
