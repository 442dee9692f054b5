// The RTL8169's hardware side, shared by the three samples (active.ts, threaded.ts, passive.ts):
// registers, TX and RX descriptor rings in DMA memory, the interrupt status register. Nothing here
// waits or remembers where the driver is in its conversation with the OS: that control flow is
// exactly what the three styles do differently, so it stays in the driver files.
import type { BusHandle, DmaRegion, DriverContext } from "active-driver";
import { Cmd, Desc, Intr, intrMitigate, Phy, Poll, Reg, RxAccept } from "active-driver/nic";

/** Descriptors per ring (the OS keeps at most 16 frames outstanding; resets and suspends may hold more). */
export const TX_RING = 64;
export const RX_RING = 64;
/** Bytes per buffer: a full 1514-byte frame fits in one descriptor. */
export const BUF_SIZE = 1536;
/** What a 16-bit register reads once the card is gone (hot unplug). */
export const ALL_ONES = 0xffff;
/** Polls of CmdReset before giving up on a reset, and the time between them (the chip takes about 10 us). */
export const RESET_POLLS = 100;
export const RESET_POLL_MS = 0.005;

export const IRQ_MASK = Intr.RxOK | Intr.RxErr | Intr.TxOK | Intr.TxErr | Intr.RxOverflow | Intr.LinkChg | Intr.RxFIFOOver | Intr.SYSErr;
/** CPlusCmd bits 1..0: the interrupt mitigation timer counts in 10.24 us units (at 1000 Mb/s). */
export const MITIGATION_UNIT = 3;
/**
 * Interrupt mitigation, as `ethtool -C eth0 tx-usecs 50 tx-frames 16 rx-usecs 50 rx-frames 16`
 * sets it on Linux: RxOK/TxOK wait up to ~51 us or 16 frames, so one interrupt reports several
 * frames. Errors, link changes and ring exhaustion still interrupt at once.
 */
export const MITIGATION = intrMitigate({ txTimer: 5, txFrames: 16, rxTimer: 5, rxFrames: 16 });
/** IntrStatus bits that mean "look at the RX ring" and "look at the TX ring". */
export const RX_EVENTS = Intr.RxOK | Intr.RxErr | Intr.RxOverflow | Intr.RxFIFOOver;
export const TX_EVENTS = Intr.TxOK | Intr.TxErr | Intr.TxDescUnavail;

export class Rtl8169Hw {
  private readonly txRing: DmaRegion;
  private readonly rxRing: DmaRegion;
  private readonly txBufs: DmaRegion;
  private readonly rxBufs: DmaRegion;
  /** The frame in each TX descriptor until the NIC hands the descriptor back (kept to resend after a reset). */
  private readonly txFrames: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(TX_RING).fill(undefined);
  /** Frames waiting for a free TX descriptor. */
  private backlog: Uint8Array[] = [];
  /** Next TX descriptor to fill, oldest one the NIC still owns, and how many are in use. */
  private txHead = 0;
  private txTail = 0;
  private txUsed = 0;
  /** Next RX descriptor the NIC fills. */
  private rxNext = 0;

  constructor(private readonly dev: BusHandle) {
    // Rings and buffers are allocated once: DMA memory is a limited resource.
    this.txRing = dev.dma(TX_RING * Desc.SIZE);
    this.rxRing = dev.dma(RX_RING * Desc.SIZE);
    this.txBufs = dev.dma(TX_RING * BUF_SIZE);
    this.rxBufs = dev.dma(RX_RING * BUF_SIZE);
    this.initRings();
  }

  // ---- chip ------------------------------------------------------------------------------

  /** The card reads all ones: it is gone. */
  isGone(): boolean {
    return this.dev.read16(Reg.IntrStatus) === ALL_ONES;
  }

  /** Masks interrupts and starts a software reset; the chip clears CmdReset when it is done. */
  startReset(): void {
    this.dev.write16(Reg.IntrMask, 0);
    this.dev.write8(Reg.ChipCmd, Cmd.Reset);
  }

  /** CmdReset is still set (a gone card reads it set too: check isGone() first). */
  resetPending(): boolean {
    return (this.dev.read8(Reg.ChipCmd) & Cmd.Reset) !== 0;
  }

  /** After a reset: rebuilds both rings, programs the chip, enables RX, TX and interrupts, and sends frames kept across the reset. */
  start(): void {
    this.initRings();
    const dev = this.dev;
    dev.write32(Reg.TxDescStartAddrLow, this.txRing.addr);
    dev.write32(Reg.TxDescStartAddrHigh, 0);
    dev.write32(Reg.RxDescAddrLow, this.rxRing.addr);
    dev.write32(Reg.RxDescAddrHigh, 0);
    dev.write16(Reg.RxMaxSize, BUF_SIZE);
    dev.write16(Reg.CPlusCmd, MITIGATION_UNIT);
    dev.write16(Reg.IntrMitigate, MITIGATION);
    dev.write32(Reg.RxConfig, RxAccept.AcceptMyPhys | RxAccept.AcceptBroadcast);
    dev.write16(Reg.IntrStatus, ALL_ONES);
    dev.write8(Reg.ChipCmd, Cmd.RxEnb | Cmd.TxEnb);
    dev.write16(Reg.IntrMask, IRQ_MASK);
    this.fillFromBacklog();
  }

  /** Stops RX and TX and masks interrupts (close, suspend). */
  stop(): void {
    this.dev.write16(Reg.IntrMask, 0);
    this.dev.write8(Reg.ChipCmd, 0);
    this.dev.write16(Reg.IntrStatus, ALL_ONES);
  }

  /** Reads IntrStatus and acknowledges what it shows (write 1 to clear). ALL_ONES: the card is gone. */
  takeStatus(): number {
    const status = this.dev.read16(Reg.IntrStatus);
    if (status !== 0 && status !== ALL_ONES) this.dev.write16(Reg.IntrStatus, status);
    return status;
  }

  linkUp(): boolean {
    return (this.dev.read8(Reg.PHYstatus) & Phy.LinkStatus) !== 0;
  }

  // ---- transmit ----------------------------------------------------------------------------

  /** Hands a frame to the NIC, or keeps it until a descriptor is free. */
  transmit(frame: Uint8Array): void {
    if (this.txUsed === TX_RING || this.backlog.length > 0) {
      this.backlog.push(frame);
      return;
    }
    this.place(frame);
    this.dev.write8(Reg.TxPoll, Poll.NPQ);
  }

  /** Keeps a frame without touching the chip (it is resetting or stopped): start() sends it. */
  hold(frame: Uint8Array): void {
    this.backlog.push(frame);
  }

  /** Frees the descriptors the NIC handed back and refills them from the backlog; returns how many frames went out. */
  reclaimTx(): number {
    const done = this.freeSent();
    this.fillFromBacklog();
    return done;
  }

  /**
   * Before a reset: frames the NIC has not taken yet go back to the front of the backlog, to be
   * sent after it. The frame the transmitter holds (the one a lock-up froze) is left to the reset,
   * which discards it: sending it again could put it on the wire twice.
   */
  salvageTx(): void {
    this.freeSent();
    const holding = (this.dev.read8(Reg.TxPoll) & Poll.NPQ) !== 0;
    const kept: Uint8Array[] = [];
    for (let k = holding ? 1 : 0; k < this.txUsed; k++) {
      const frame = this.txFrames[(this.txTail + k) % TX_RING];
      if (frame !== undefined) kept.push(frame);
    }
    this.backlog = kept.concat(this.backlog);
    this.clearTx();
  }

  /** Forgets every frame not sent yet (close, a card that is gone); returns how many. */
  dropTx(): number {
    const dropped = this.txUsed + this.backlog.length;
    this.backlog = [];
    this.clearTx();
    return dropped;
  }

  /** Frames handed over and not yet sent. */
  get txPending(): number {
    return this.txUsed + this.backlog.length;
  }

  // ---- receive -----------------------------------------------------------------------------

  /** Frames the NIC wrote since the last call, in order; their descriptors go back to the NIC. */
  receive(): Uint8Array[] {
    const frames: Uint8Array[] = [];
    const ring = this.rxRing.view;
    for (let n = 0; n < RX_RING; n++) {
      const i = this.rxNext;
      const opts1 = ring.getUint32(i * Desc.SIZE, true);
      if ((opts1 & Desc.OWN) !== 0) break;
      const whole = (opts1 & (Desc.FS | Desc.LS)) === (Desc.FS | Desc.LS);
      if (whole && (opts1 & Desc.RxRES) === 0) {
        const at = i * BUF_SIZE;
        frames.push(this.rxBufs.bytes.slice(at, at + (opts1 & Desc.LengthMask)));
      }
      this.armRx(i);
      this.rxNext = (i + 1) % RX_RING;
    }
    return frames;
  }

  // ---- rings -------------------------------------------------------------------------------

  private initRings(): void {
    const tx = this.txRing.view;
    for (let i = 0; i < TX_RING; i++) {
      tx.setUint32(i * Desc.SIZE, i === TX_RING - 1 ? Desc.EOR : 0, true);
      tx.setUint32(i * Desc.SIZE + 4, 0, true);
      tx.setUint32(i * Desc.SIZE + 8, this.txBufs.addr + i * BUF_SIZE, true);
      tx.setUint32(i * Desc.SIZE + 12, 0, true);
    }
    for (let i = 0; i < RX_RING; i++) this.armRx(i);
    this.clearTx();
    this.rxNext = 0;
  }

  private armRx(i: number): void {
    const rx = this.rxRing.view;
    rx.setUint32(i * Desc.SIZE + 4, 0, true);
    rx.setUint32(i * Desc.SIZE + 8, this.rxBufs.addr + i * BUF_SIZE, true);
    rx.setUint32(i * Desc.SIZE + 12, 0, true);
    rx.setUint32(i * Desc.SIZE, (Desc.OWN | (i === RX_RING - 1 ? Desc.EOR : 0) | BUF_SIZE) >>> 0, true);
  }

  private place(frame: Uint8Array): void {
    const i = this.txHead;
    this.txBufs.bytes.set(frame, i * BUF_SIZE);
    this.txFrames[i] = frame;
    const eor = i === TX_RING - 1 ? Desc.EOR : 0;
    this.txRing.view.setUint32(i * Desc.SIZE, (Desc.OWN | Desc.FS | Desc.LS | eor | frame.length) >>> 0, true);
    this.txHead = (i + 1) % TX_RING;
    this.txUsed++;
  }

  private freeSent(): number {
    let done = 0;
    const ring = this.txRing.view;
    while (this.txUsed > 0 && (ring.getUint32(this.txTail * Desc.SIZE, true) & Desc.OWN) === 0) {
      this.txFrames[this.txTail] = undefined;
      this.txTail = (this.txTail + 1) % TX_RING;
      this.txUsed--;
      done++;
    }
    return done;
  }

  private fillFromBacklog(): void {
    let placed = 0;
    while (this.backlog.length > 0 && this.txUsed < TX_RING) {
      this.place(this.backlog.shift()!);
      placed++;
    }
    if (placed > 0) this.dev.write8(Reg.TxPoll, Poll.NPQ);
  }

  private clearTx(): void {
    this.txFrames.fill(undefined);
    this.txHead = 0;
    this.txTail = 0;
    this.txUsed = 0;
    const tx = this.txRing.view;
    for (let i = 0; i < TX_RING; i++) tx.setUint32(i * Desc.SIZE, i === TX_RING - 1 ? Desc.EOR : 0, true);
  }
}

/**
 * Resets the chip and brings it up, polling the reset bit a bounded number of times (an unplugged
 * card never finishes). False when the card is gone or the reset never completes.
 */
export async function bringUp(d: Pick<DriverContext, "sleep" | "log">, hw: Rtl8169Hw): Promise<boolean> {
  hw.startReset();
  for (let poll = 0; poll < RESET_POLLS; poll++) {
    await d.sleep(RESET_POLL_MS);
    if (hw.isGone()) return false;
    if (!hw.resetPending()) {
      hw.start();
      return true;
    }
  }
  d.log(`reset did not finish after ${RESET_POLLS} polls`);
  return false;
}
