// Descriptor processing: TX and RX rings with wrap at EOR, fragments, ownership, wire timing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Desc, Intr, PEER_MAC, Poll, Reg, Stream, frameTag, makeFrame, wireTimeUs } from "active-driver/nic";
import { armRx, bits, opts1, queueTx, setup } from "./rings";

const toPeer = (seq: number, size = 60) => makeFrame({ dst: PEER_MAC, src: new Uint8Array(6), stream: Stream.test, seq, size });

test("TX: frames go on the wire after their wire time, OWN clears, TxOK interrupts; the ring wraps at EOR", () => {
  const r = setup({ tx: 4 });
  const sent: Uint8Array[] = [];
  r.nic.wire.observe({ transmitted: (f, _t, cause) => cause === undefined && sent.push(f) });
  for (let seq = 0; seq < 6; seq++) {
    const [i] = queueTx(r, toPeer(seq, 100));
    r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
    assert.equal(bits(opts1(r.txRing, i), Desc.OWN), Desc.OWN, "owned until sent");
    r.host.advance(wireTimeUs(100) - 0.001);
    assert.equal(sent.length, seq, "not before the wire time");
    r.host.advance(0.001);
    assert.equal(sent.length, seq + 1);
    assert.equal(bits(opts1(r.txRing, i), Desc.OWN), 0);
    assert.equal(frameTag(sent[seq])?.seq, seq);
    assert.equal(r.host.interrupts.at(-1)?.isr ?? 0, Intr.TxOK);
    r.nic.write(Reg.IntrStatus, 2, Intr.TxOK);
  }
  assert.equal(r.nic.counters.txFrames, 6);
  assert.equal((r.nic.inspect().txRing as { next: number }).next, 2, "6 frames through a ring of 4: next is 2");
  assert.deepEqual(
    sent.map((f) => frameTag(f)?.seq),
    [0, 1, 2, 3, 4, 5],
    "observers keep their own copies while the buffers are reused",
  );
});

test("TX: the chip reads the buffer as the frame goes out (DMA), not when it is polled", () => {
  const r = setup({ tx: 4 });
  const sent: Uint8Array[] = [];
  r.nic.wire.observe({ transmitted: (f) => sent.push(f) });
  const [i] = queueTx(r, toPeer(1, 100));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.txBufs[i].bytes[99] ^= 0xff; // a driver writing a buffer the NIC still owns
  r.host.advance(wireTimeUs(100));
  assert.equal(sent.length, 1);
  assert.equal(sent[0][99], toPeer(1, 100)[99] ^ 0xff);
});

test("TX: one poll sends every owned frame back to back; fragments FS..LS make one frame", () => {
  const r = setup({ tx: 8 });
  const sent: Uint8Array[] = [];
  r.nic.wire.observe({ transmitted: (f) => sent.push(f) });
  const big = toPeer(7, 1000);
  queueTx(r, toPeer(1));
  queueTx(r, big, 3);
  queueTx(r, toPeer(2));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(100);
  assert.deepEqual(
    sent.map((f) => frameTag(f)?.seq),
    [1, 7, 2],
  );
  assert.deepEqual(sent[1], big);
  for (let i = 0; i < 5; i++) assert.equal(bits(opts1(r.txRing, i), Desc.OWN), 0);
  assert.equal(r.host.interrupts.length, 1, "TxOK coalesces while the line stays asserted");
});

test("TX: a poll with nothing owned latches TxDescUnavail; a disabled transmitter ignores polls", () => {
  const r = setup({ tx: 4 });
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  assert.equal(r.nic.read(Reg.IntrStatus, 2) & Intr.TxDescUnavail, Intr.TxDescUnavail);
  r.nic.write(Reg.ChipCmd, 1, 0x08); // RX only
  queueTx(r, toPeer(1));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(100);
  assert.equal(r.nic.counters.txFrames, 0);
  assert.equal(bits(opts1(r.txRing, 0), Desc.OWN), Desc.OWN);
});

test("TX: a descriptor pointing outside DMA memory is a bus error (SYSErr), dropped and counted", () => {
  const r = setup({ tx: 4 });
  queueTx(r, toPeer(1));
  r.txRing.view.setUint32(8, 0x100, true);
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(10);
  assert.equal(r.nic.read(Reg.IntrStatus, 2) & Intr.SYSErr, Intr.SYSErr);
  assert.equal(r.nic.counters.dropped["tx-dma-error"], 1);
  assert.ok(r.host.faults().includes("dma-error"));
});

test("RX: frames land in owned descriptors with FS|LS and their length; EOR stays; the ring wraps", () => {
  const r = setup({ rx: 4 });
  const seen: number[] = [];
  for (let seq = 0; seq < 10; seq++) {
    const f = makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq, size: 64 + seq });
    assert.equal(r.nic.wire.inject(f), "ok");
    const i = seq % 4;
    const o = opts1(r.rxRing, i);
    assert.equal(bits(o, Desc.OWN), 0);
    assert.equal(bits(o, Desc.FS | Desc.LS), Desc.FS | Desc.LS);
    assert.equal(bits(o, Desc.LengthMask), 64 + seq);
    assert.equal(bits(o, Desc.EOR), i === 3 ? Desc.EOR : 0);
    seen.push(frameTag(r.rxBufs[i].bytes.subarray(0, 64 + seq))?.seq ?? -1);
    armRx(r, i);
  }
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(r.nic.counters.rxFrames, 10);
});

test("RX: with no descriptor owned the frame is dropped, counted, and RxOverflow raised", () => {
  const r = setup({ rx: 2 });
  const f = (seq: number) => makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq, size: 60 });
  assert.equal(r.nic.wire.inject(f(0)), "ok");
  assert.equal(r.nic.wire.inject(f(1)), "ok");
  assert.equal(r.nic.wire.inject(f(2)), "rx-no-descriptor");
  assert.equal(r.nic.counters.dropped["rx-no-descriptor"], 1);
  assert.equal(r.nic.read(Reg.IntrStatus, 2) & Intr.RxOverflow, Intr.RxOverflow);
});

test("RX: a frame larger than one buffer spans descriptors (FS on the first, LS on the last)", () => {
  const r = setup({ rx: 4 });
  for (let i = 0; i < 4; i++) r.rxRing.view.setUint32(i * 16, (Desc.OWN | (i === 3 ? Desc.EOR : 0) | 512) >>> 0, true);
  const f = makeFrame({ dst: r.nic.mac, src: PEER_MAC, stream: Stream.test, seq: 1, size: 1200 });
  assert.equal(r.nic.wire.inject(f), "ok");
  assert.equal(bits(opts1(r.rxRing, 0), Desc.FS | Desc.LS | Desc.OWN), Desc.FS);
  assert.equal(bits(opts1(r.rxRing, 1), Desc.FS | Desc.LS | Desc.OWN), 0);
  assert.equal(bits(opts1(r.rxRing, 2), Desc.FS | Desc.LS | Desc.OWN | Desc.LengthMask), Desc.LS | 1200);
  assert.equal(bits(opts1(r.rxRing, 3), Desc.OWN), Desc.OWN);
  assert.deepEqual(r.rxBufs[2].bytes.subarray(0, 176), f.subarray(1024));
});

test("RX: filtering by RxConfig, RxEnb and link", () => {
  const r = setup({ rx: 4 });
  const other = makeFrame({ dst: new Uint8Array([2, 9, 9, 9, 9, 9]), src: PEER_MAC, stream: Stream.test, seq: 1, size: 60 });
  assert.equal(r.nic.wire.inject(other), "rx-filtered");
  r.nic.write(Reg.RxConfig, 4, 0x0f); // AcceptAllPhys and the rest
  assert.equal(r.nic.wire.inject(other), "ok");
  r.nic.write(Reg.ChipCmd, 1, 0x04); // TX only
  assert.equal(r.nic.wire.inject(other), "rx-disabled");
  r.nic.write(Reg.ChipCmd, 1, 0x0c);
  r.nic.setLink(false);
  assert.equal(r.nic.wire.inject(other), "rx-link-down");
});

test("loopback: what the NIC sends comes back to its receiver", () => {
  const r = setup({ tx: 4, rx: 4, wire: { loopback: true } });
  const f = makeFrame({ dst: r.nic.mac, src: r.nic.mac, stream: Stream.test, seq: 3, size: 80 });
  queueTx(r, f);
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(10);
  assert.equal(r.nic.counters.rxFrames, 1);
  assert.deepEqual(r.rxBufs[0].bytes.subarray(0, 80), f);
});

test("traffic generator: seeded rate and sizes; the same seed gives the same frames", () => {
  const run = (seed: number) => {
    const r = setup({ rx: 8, seed, wire: { traffic: { rate: 100000, minSize: 60, maxSize: 200, count: 50, startUs: 200 } } });
    const sizes: number[] = [];
    r.nic.wire.observe({
      offered: (f) => {
        sizes.push(f.length);
        // play a driver that re-arms at once
        for (let i = 0; i < 8; i++) if (bits(opts1(r.rxRing, i), Desc.OWN) === 0) armRx(r, i);
      },
    });
    r.host.advance(1000);
    return { sizes, received: r.nic.counters.rxFrames, now: r.host.time };
  };
  const a = run(1);
  assert.equal(a.sizes.length, 50);
  assert.ok(a.sizes.every((s) => s >= 60 && s <= 200));
  assert.equal(a.received, 50);
  assert.deepEqual(run(1).sizes, a.sizes);
  assert.notDeepEqual(run(2).sizes, a.sizes);
});
