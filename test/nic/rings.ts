// Test helpers that play the driver's part against the NIC model directly: descriptor rings in
// DMA memory, the register programming a driver does, and a host to run the clock.
import { Cmd, Desc, Intr, Reg, RxAccept, Rtl8169, type Rtl8169Options } from "active-driver/nic";
import type { DmaRegion } from "active-driver";
import { FakeHost } from "./fakeHost";

export interface Rings {
  nic: Rtl8169;
  host: FakeHost;
  txRing: DmaRegion;
  rxRing: DmaRegion;
  txBufs: DmaRegion[];
  rxBufs: DmaRegion[];
  txSize: number;
  rxSize: number;
  /** Driver-side producer index of the TX ring. */
  txHead: number;
}

export const BUF = 2048;

/** A NIC with rings of the given sizes, reset, RX/TX enabled, accepting its MAC and broadcast. */
export function setup(options: Rtl8169Options & { tx?: number; rx?: number; mask?: number; seed?: number } = {}): Rings {
  const host = new FakeHost(options.seed ?? 1);
  const nic = new Rtl8169(options);
  nic.attach(host);
  const txSize = options.tx ?? 4;
  const rxSize = options.rx ?? 4;
  const txRing = nic.dma(txSize * Desc.SIZE);
  const rxRing = nic.dma(rxSize * Desc.SIZE);
  const txBufs = Array.from({ length: txSize }, () => nic.dma(BUF));
  const rxBufs = Array.from({ length: rxSize }, () => nic.dma(BUF));
  nic.write(Reg.ChipCmd, 1, Cmd.Reset);
  host.advance(100);
  host.interrupts.length = 0;
  for (let i = 0; i < rxSize; i++) armRx({ rxRing, rxBufs, rxSize } as Rings, i);
  nic.write(Reg.TxDescStartAddrLow, 4, txRing.addr);
  nic.write(Reg.TxDescStartAddrHigh, 4, 0);
  nic.write(Reg.RxDescAddrLow, 4, rxRing.addr);
  nic.write(Reg.RxDescAddrHigh, 4, 0);
  nic.write(Reg.RxConfig, 4, RxAccept.AcceptMyPhys | RxAccept.AcceptBroadcast);
  nic.write(Reg.IntrStatus, 2, 0xffff);
  nic.write(Reg.IntrMask, 2, options.mask ?? Intr.RxOK | Intr.TxOK | Intr.LinkChg | Intr.RxOverflow | Intr.RxFIFOOver | Intr.TxErr | Intr.SYSErr);
  nic.write(Reg.ChipCmd, 1, Cmd.RxEnb | Cmd.TxEnb);
  return { nic, host, txRing, rxRing, txBufs, rxBufs, txSize, rxSize, txHead: 0 };
}

export function armRx(r: Pick<Rings, "rxRing" | "rxBufs" | "rxSize">, i: number): void {
  const v = r.rxRing.view;
  const eor = i === r.rxSize - 1 ? Desc.EOR : 0;
  v.setUint32(i * 16, (Desc.OWN | eor | BUF) >>> 0, true);
  v.setUint32(i * 16 + 4, 0, true);
  v.setUint32(i * 16 + 8, r.rxBufs[i].addr, true);
  v.setUint32(i * 16 + 12, 0, true);
}

/** Queues `frame` in the next TX descriptor(s), split into `fragments` pieces, and returns their indices. */
export function queueTx(r: Rings, frame: Uint8Array, fragments = 1): number[] {
  const used: number[] = [];
  const piece = Math.ceil(frame.length / fragments);
  for (let f = 0; f < fragments; f++) {
    const i = r.txHead;
    const part = frame.subarray(f * piece, Math.min(frame.length, (f + 1) * piece));
    r.txBufs[i].bytes.set(part);
    const flags = (f === 0 ? Desc.FS : 0) | (f === fragments - 1 ? Desc.LS : 0) | (i === r.txSize - 1 ? Desc.EOR : 0);
    const v = r.txRing.view;
    v.setUint32(i * 16 + 8, r.txBufs[i].addr, true);
    v.setUint32(i * 16 + 12, 0, true);
    v.setUint32(i * 16 + 4, 0, true);
    v.setUint32(i * 16, (Desc.OWN | flags | part.length) >>> 0, true);
    used.push(i);
    r.txHead = (i + 1) % r.txSize;
  }
  return used;
}

export function opts1(ring: DmaRegion, i: number): number {
  return ring.view.getUint32(i * 16, true);
}

/** `value & mask` as an unsigned 32-bit number (JS bit operators give signed results). */
export function bits(value: number, mask: number): number {
  return (value & mask) >>> 0;
}
