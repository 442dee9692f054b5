// A simulated RTL8169 gigabit NIC: the real register map and descriptor format (see regs.ts),
// descriptor rings in simulated DMA memory, level-like interrupts, a PHY with link state, a wire,
// and injected faults. Everything runs on the DeviceHost's virtual clock.
//
// Where the model departs from the chip (on purpose), it says so here:
// - Reset (ChipCmd bit 4) takes RESET_US of virtual time; CmdReset reads 1 until then. It disables
//   RX and TX, rewinds both ring indices to descriptor 0, clears IntrStatus, discards frames in flight
//   and clears a TX lock-up. It keeps MAC, MAR, IntrMask, ring bases and configuration, as the
//   datasheet says. On completion the MAC re-reads the PHY and latches LinkChg, and the device always
//   signals that interrupt, even when IntrMask lacks LinkChg: drivers in the paper's style reset and
//   then wait for an interrupt (the chip itself would need CmdReset polled).
// - RX lengths in descriptors count the frame without the 4-byte FCS (the chip counts the FCS).
// - The TX ring wraps at EOR or after 1024 descriptors; RX likewise.
// - Interrupts: the line is "asserted" while IntrStatus & IntrMask != 0. The device calls
//   host.interrupt(isr) when the line goes from idle to asserted; events while it stays asserted
//   coalesce into the status register. A write to IntrStatus that clears bits acts as the end of
//   interrupt: if bits remain pending, a new interrupt carries them.
// - Register window 0x00..0xff: implemented registers behave as on the chip; unimplemented offsets
//   read 0 and ignore writes; offsets past the window read all ones. After a hot unplug every read
//   returns all ones (0xff, 0xffff, 0xffffffff) and writes are ignored.
// - DMA to an address outside allocated memory is a bus error: the access is dropped, SYSErr is set.
// - Interrupt mitigation (IntrMitigate with CPlusCmd's timer unit) holds RxOK/TxOK back: see mitigation.ts.
import type { DeviceHost, DeviceModel, DmaRegion, TimerHandle } from "../device";
import type { FaultPlan, FaultRecord } from "./faults";
import * as frames from "./frames";
import { PhysicalMemory } from "./memory";
import { decodeMitigation, InterruptMitigation } from "./mitigation";
import * as regs from "./regs";
import * as wire from "./wire";
import { PendingTimers, Wire, type DropCause, type RxResult, type WireOptions, type WirePort } from "./wire";

// Values from sibling modules are copied into constants here: under a CommonJS transform (tsx, the
// tests and benchmarks) every use of an import is a getter call, and these run per frame.
const { DEFAULT_MAC, describeFrame, formatMac, isBroadcast, isMulticast, parseMac } = frames;
const {
  Cfg9346,
  Cmd,
  Desc,
  Intr,
  Phy,
  Poll,
  REG_WINDOW,
  Reg,
  RxAccept,
  TXCONFIG_CHIP_VERSION,
  decodeCmd,
  decodeIntr,
  decodeOpts1,
  decodePhy,
  decodeRxConfig,
  hex,
  registerName,
} = regs;
const { onNanosecondGrid, wireTimeUs } = wire;

/** Virtual time a software reset takes. */
export const RESET_US = 10;
/** Interrupts at one virtual instant that make a storm (a handler that re-raises what it should acknowledge). */
export const STORM_LIMIT = 1000;
/** Descriptor rings wrap here when the driver sets no EOR. */
const MAX_RING = 1024;
/** PHYstatus while the link is up: 1000 Mb/s full duplex with flow control. */
const PHY_UP = Phy.LinkStatus | Phy._1000bpsF | Phy.FullDup | Phy.TxFlowCtrl | Phy.RxFlowCtrl;

export interface Rtl8169Options {
  /** Station address, "02:00:5e:00:00:01" or 6 bytes. */
  mac?: string | Uint8Array;
  /** Faults the device injects (hardware ones; the OS side carries out the rest). */
  faults?: FaultPlan[];
  /** The wire: an instance (to observe it or share its pcap) or options for a new one. */
  wire?: Wire | WireOptions;
  /** Link state at power-on (default up). */
  linkUp?: boolean;
}

export interface NicCounters {
  txFrames: number;
  txBytes: number;
  rxFrames: number;
  rxBytes: number;
  interrupts: number;
  resets: number;
  /** Frames lost, by cause (TX and RX). */
  dropped: Partial<Record<DropCause, number>>;
}

/** What the device tells listeners (the simulated OS) about itself. */
export type NicEvent =
  | { type: "unplugged"; timeUs: number; finalIrq: boolean; noticeUs: number }
  | { type: "link"; up: boolean; timeUs: number }
  | { type: "fault"; record: FaultRecord }
  | { type: "reset"; timeUs: number };

/**
 * The descriptors an RX frame goes to, found before any is written: scratch arrays reused per
 * frame (no object per descriptor); they grow to the longest chain seen.
 */
class RxParts {
  readonly index: number[] = [];
  readonly at: number[] = [];
  readonly opts1: number[] = [];
  readonly addr: number[] = [];
  readonly len: number[] = [];
}

interface TxInFlight {
  /** Descriptor indices of the frame's fragments. */
  indices: number[];
  frame: Uint8Array;
  timer: TimerHandle | undefined;
}

/** MII registers of the PHY, reached through PHYAR (an RTL8211-like gigabit PHY). */
const MII_RESET: Readonly<Record<number, number>> = { 0: 0x1140, 2: 0x001c, 3: 0xc912, 4: 0x01e1, 5: 0xc1e1, 9: 0x0300, 10: 0x3c00 };

export class Rtl8169 implements DeviceModel, WirePort {
  static readonly deviceName = "rtl8169";
  readonly name = "rtl8169";
  readonly memory = new PhysicalMemory();
  readonly wire: Wire;
  readonly counters: NicCounters = { txFrames: 0, txBytes: 0, rxFrames: 0, rxBytes: 0, interrupts: 0, resets: 0, dropped: {} };
  readonly faultLog: FaultRecord[] = [];
  private readonly plans: FaultPlan[];
  private readonly listeners: ((e: NicEvent) => void)[] = [];
  private host: DeviceHost | undefined;
  private readonly timers = new PendingTimers();
  private readonly mitigation = new InterruptMitigation(
    regs.Intr.RxOK,
    regs.Intr.TxOK,
    () => this.now(),
    (us, fn) => this.after(us, fn),
    () => this.raise(0),
  );

  /** Plain storage for read/write registers (MAC, MAR, ring bases, configuration). */
  private readonly regs = new Uint8Array(REG_WINDOW);
  private readonly macView = this.regs.subarray(Reg.MAC0, Reg.MAC0 + 6);
  private readonly mii: Record<number, number> = { ...MII_RESET };
  private rxEnabled = false;
  private txEnabled = false;
  private resetting = false;
  private status = 0;
  private mask = 0;
  private line = false;
  private link: boolean;
  private txIndex = 0;
  private rxIndex = 0;
  private tx: TxInFlight | undefined;
  private readonly rxParts = new RxParts();
  private txLocked = false;
  private rxFifoOverflowUntil = -1;
  private unplugged = false;
  private detached = false;
  /** Events counted for faults that trigger after a count (fields, not a keyed record: this runs per frame). */
  private txEvents = 0;
  private rxEvents = 0;
  private irqEvents = 0;
  private readonly countTriggers: { plan: FaultPlan; fired: boolean }[] = [];
  private traceOn = true;
  private tracingSet: boolean | undefined;
  private irqInstantUs = -1;
  private irqsThisInstant = 0;
  /** Set when interrupts stormed at one virtual instant (the line is disabled since): when, and IntrStatus/IntrMask then. */
  storm: { timeUs: number; interrupts: number; status: number; mask: number } | undefined;

  constructor(options: Rtl8169Options = {}) {
    const mac = typeof options.mac === "string" ? parseMac(options.mac) : (options.mac ?? DEFAULT_MAC);
    if (mac.length !== 6) throw new Error(`Rtl8169: mac must be 6 bytes, got ${mac.length}`);
    this.regs.set(mac, Reg.MAC0);
    this.plans = options.faults ?? [];
    this.wire = options.wire instanceof Wire ? options.wire : new Wire(options.wire ?? {});
    this.link = options.linkUp ?? true;
  }

  // ---- DeviceModel -------------------------------------------------------------------------

  attach(host: DeviceHost): void {
    this.host = host;
    this.traceOn = this.tracingSet ?? host.tracing ?? true;
    this.detached = false;
    this.wire.connect(this, host);
    for (const plan of this.plans) this.schedulePlan(plan);
  }

  detach(): void {
    this.detached = true;
    this.tx?.timer?.cancel();
    this.timers.cancelAll();
    this.wire.stop();
  }

  dma(bytes: number): DmaRegion {
    return this.memory.alloc(bytes);
  }

  read(reg: number, width: 1 | 2 | 4): number {
    if (this.unplugged) return width === 1 ? 0xff : width === 2 ? 0xffff : 0xffffffff;
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = (v << 8) | this.readByte(reg + i);
    return v >>> 0;
  }

  write(reg: number, width: 1 | 2 | 4, value: number): void {
    if (this.unplugged || this.detached) {
      if (this.traceOn)
        this.trace(`write${width * 8}(${registerName(reg)}, ${hex(value, width * 2)}) ignored: ${this.unplugged ? "card unplugged" : "device detached"}`);
      return;
    }
    if (reg < 0 || reg + width > REG_WINDOW) {
      if (this.traceOn) this.trace(`write${width * 8}(${hex(reg, 2)}) outside the 256-byte register window: ignored`);
      return;
    }
    let ack = 0;
    let ackTouched = false;
    let maskTouched = false;
    let cmd: number | undefined;
    let poll: number | undefined;
    let phyar = false;
    for (let i = 0; i < width; i++) {
      const off = reg + i;
      const byte = (value >>> (8 * i)) & 0xff;
      if (off === Reg.IntrStatus || off === Reg.IntrStatus + 1) {
        ack |= byte << (8 * (off - Reg.IntrStatus));
        ackTouched = true;
      } else if (off === Reg.IntrMask || off === Reg.IntrMask + 1) {
        const shift = 8 * (off - Reg.IntrMask);
        this.mask = (this.mask & ~(0xff << shift)) | (byte << shift);
        maskTouched = true;
      } else if (off === Reg.ChipCmd) cmd = byte;
      else if (off === Reg.TxPoll) poll = byte;
      else if (off < 6 || (off >= Reg.Config0 && off <= Reg.Config5)) {
        // The station address and Config0..5 are write-protected unless Cfg9346 is unlocked.
        if (this.regs[Reg.Cfg9346] === Cfg9346.Unlock) this.regs[off] = byte;
      } else if (isStorage(off)) {
        this.regs[off] = byte;
        if (off >= Reg.PHYAR && off < Reg.PHYAR + 4) phyar = true;
      }
    }
    // The bus adapter traces the access itself; the device adds what it meant where that helps.
    if (this.traceOn) {
      const meaning = describeWrite(reg, value);
      if (meaning !== "") this.trace(`${registerName(reg)}: ${meaning}`);
    }
    if (maskTouched) this.updateLine(false);
    if (ackTouched) this.acknowledge(ack);
    if (phyar) this.mdio();
    if (cmd !== undefined) this.command(cmd);
    if (poll !== undefined) this.txPoll(poll);
  }

  inspect(): Record<string, unknown> {
    const ringBase = (lo: number) => this.reg32(lo) + this.reg32(lo + 4) * 0x100000000;
    return {
      state: this.unplugged ? "unplugged" : this.resetting ? "resetting" : "running",
      MAC: formatMac(this.mac),
      ChipCmd: decodeCmd(this.readByte(Reg.ChipCmd)),
      IntrMask: decodeIntr(this.mask),
      IntrStatus: decodeIntr(this.status),
      interruptLine: this.line ? "asserted" : "idle",
      PHYstatus: decodePhy(this.readByte(Reg.PHYstatus)),
      TxConfig: hex(this.reg32(Reg.TxConfig) | TXCONFIG_CHIP_VERSION, 8),
      RxConfig: decodeRxConfig(this.reg32(Reg.RxConfig)),
      RxMaxSize: this.reg16(Reg.RxMaxSize),
      CPlusCmd: hex(this.reg16(Reg.CPlusCmd), 4),
      IntrMitigate: `${hex(this.reg16(Reg.IntrMitigate), 4)} (${decodeMitigation(this.reg16(Reg.IntrMitigate), this.readByte(Reg.CPlusCmd))}${this.mitigation.held !== 0 ? `; holding ${decodeIntr(this.mitigation.held)}` : ""})`,
      txRing: {
        base: hex(ringBase(Reg.TxDescStartAddrLow), 8),
        next: this.txIndex,
        inFlight: this.tx?.indices ?? [],
        lockedUp: this.txLocked,
        descriptors: this.ringDump(ringBase(Reg.TxDescStartAddrLow)),
      },
      rxRing: { base: hex(ringBase(Reg.RxDescAddrLow), 8), next: this.rxIndex, descriptors: this.ringDump(ringBase(Reg.RxDescAddrLow)) },
      counters: { ...this.counters, dropped: { ...this.counters.dropped } },
      dma: { regions: this.memory.regionCount, bytes: this.memory.allocated },
      faults: this.faultLog.map((f) => `${f.timeUs}us ${f.kind}: ${f.detail}`),
    };
  }

  // ---- for the OS side, tests and the debugger ---------------------------------------------

  /** MAC0..5, live (a view of the registers, made once: the OS reads it per frame). */
  get mac(): Uint8Array {
    return this.macView;
  }

  get linkUp(): boolean {
    return this.link;
  }

  get isUnplugged(): boolean {
    return this.unplugged;
  }

  /** The transmitter is locked up (an injected tx-lockup that no reset has cleared yet). */
  get txLockedUp(): boolean {
    return this.txLocked;
  }

  /** ChipCmd's RxEnb and TxEnb, and IntrMask: what the chip does while nobody asked it to. */
  get activity(): { rx: boolean; tx: boolean; mask: number } {
    return { rx: this.rxEnabled, tx: this.txEnabled, mask: this.mask };
  }

  onEvent(listener: (e: NicEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Raises or drops the link now (LinkChg on each change). */
  setLink(up: boolean): void {
    if (this.unplugged || up === this.link) return;
    this.link = up;
    if (this.traceOn) this.trace(`link ${up ? "up" : "down"}`);
    this.emit({ type: "link", up, timeUs: this.now() });
    this.raise(Intr.LinkChg);
  }

  /** Surprise removal: reads return all ones from now on; the OS hears of it `noticeUs` later. */
  unplug(finalIrq = true, noticeUs = 50): void {
    if (this.unplugged) return;
    if (this.tx !== undefined) this.dropTx("tx-unplugged");
    this.unplugged = true;
    this.timers.cancelAll();
    this.wire.stop();
    if (finalIrq && this.host !== undefined) {
      this.counters.interrupts++;
      this.host.interrupt(0xffff);
    }
    this.emit({ type: "unplugged", timeUs: this.now(), finalIrq, noticeUs });
  }

  /** Records and traces a fault (also used by the OS side for the faults it carries out). */
  noteFault(kind: FaultRecord["kind"], detail: string): void {
    const record: FaultRecord = { kind, timeUs: this.now(), detail };
    this.faultLog.push(record);
    this.host?.trace({ kind: "fault", fault: kind, detail });
    this.emit({ type: "fault", record });
  }

  // ---- the receive side of the wire ----------------------------------------------------------

  receive(frame: Uint8Array): RxResult {
    const cause = this.rxVerdict(frame);
    if (cause !== "ok") {
      this.drop(cause, () => `RX ${describeFrame(frame)} dropped: ${cause}`);
      return cause;
    }
    const result = this.rxStore(frame);
    if (result !== "ok") {
      this.drop(result, () => `RX ${describeFrame(frame)} dropped: ${result}`);
      return result;
    }
    this.counters.rxFrames++;
    this.counters.rxBytes += frame.length;
    this.complete(Intr.RxOK);
    this.countEvent("rx");
    return result;
  }

  private rxVerdict(frame: Uint8Array): RxResult {
    if (this.unplugged || this.detached) return "rx-unplugged";
    if (!this.link) return "rx-link-down";
    if (!this.rxEnabled || this.resetting) return "rx-disabled";
    if (!this.accepts(frame)) return "rx-filtered";
    if (this.now() < this.rxFifoOverflowUntil) {
      this.raise(Intr.RxFIFOOver);
      return "rx-fifo-overflow";
    }
    const max = this.reg16(Reg.RxMaxSize) & 0x3fff;
    if (max !== 0 && frame.length > max) {
      this.raise(Intr.RxErr);
      return "rx-too-long";
    }
    return "ok";
  }

  private accepts(frame: Uint8Array): boolean {
    const accept = this.reg32(Reg.RxConfig);
    if (accept & RxAccept.AcceptAllPhys) return true;
    // The destination is the frame's first 6 bytes (read in place: this runs per frame).
    if (isBroadcast(frame)) return (accept & RxAccept.AcceptBroadcast) !== 0;
    if (isMulticast(frame)) return (accept & RxAccept.AcceptMulticast) !== 0 && this.multicastHashHit(frame.subarray(0, 6));
    const regs = this.regs;
    for (let i = 0; i < 6; i++) if (frame[i] !== regs[Reg.MAC0 + i]) return false;
    return (accept & RxAccept.AcceptMyPhys) !== 0;
  }

  /** The 64-bit MAR hash: top 6 bits of the big-endian CRC-32 of the address. */
  private multicastHashHit(dst: Uint8Array): boolean {
    let crc = 0xffffffff;
    for (const b of dst) {
      for (let i = 0; i < 8; i++) {
        const bit = ((b >> i) & 1) ^ (crc >>> 31);
        crc = ((crc << 1) ^ (bit !== 0 ? 0x04c11db7 : 0)) >>> 0;
      }
    }
    const n = crc >>> 26;
    return (this.regs[Reg.MAR0 + (n >> 3)] & (1 << (n & 7))) !== 0;
  }

  /** Writes `frame` into the next descriptor(s) owned by the NIC. */
  private rxStore(frame: Uint8Array): RxResult {
    const base = this.reg32(Reg.RxDescAddrLow) + this.reg32(Reg.RxDescAddrHigh) * 0x100000000;
    // First pass: find enough owned descriptors, without changing anything.
    const parts = this.rxParts;
    let count = 0;
    let left = frame.length;
    let index = this.rxIndex;
    while (left > 0) {
      const at = base + index * Desc.SIZE;
      const desc = this.memory.find(at, Desc.SIZE);
      if (desc === undefined) {
        this.busError(`RX descriptor ${index} at ${hex(at, 8)}`);
        return "rx-dma-error";
      }
      const off = at - desc.addr;
      const opts1 = desc.view.getUint32(off, true);
      if ((opts1 & Desc.OWN) === 0) {
        this.raise(Intr.RxOverflow);
        return "rx-no-descriptor";
      }
      const size = opts1 & Desc.LengthMask;
      if (size === 0) {
        this.raise(Intr.RxErr);
        if (this.traceOn) this.trace(`RX descriptor ${index} has buffer size 0 in opts1: set the buffer size with OWN`);
        return "rx-bad-descriptor";
      }
      const len = Math.min(size, left);
      parts.index[count] = index;
      parts.at[count] = at;
      parts.opts1[count] = opts1;
      parts.addr[count] = desc.view.getUint32(off + 8, true) + desc.view.getUint32(off + 12, true) * 0x100000000;
      parts.len[count] = len;
      count++;
      left -= len;
      index = (opts1 & Desc.EOR) !== 0 || index + 1 >= MAX_RING ? 0 : index + 1;
      if (index === this.rxIndex && left > 0) {
        this.raise(Intr.RxOverflow);
        return "rx-no-descriptor";
      }
    }
    // Second pass: copy and hand the descriptors back.
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const len = parts.len[i];
      if (!this.memory.write(parts.addr[i], len === frame.length ? frame : frame.subarray(offset, offset + len))) {
        this.busError(`RX buffer of descriptor ${parts.index[i]} at ${hex(parts.addr[i], 8)}`);
        return "rx-dma-error";
      }
      offset += len;
    }
    for (let i = 0; i < count; i++) {
      const first = i === 0 ? Desc.FS : 0;
      const last = i === count - 1 ? Desc.LS : 0;
      // Length: the whole frame in the last descriptor, the buffer's share in the others.
      const len = last !== 0 ? frame.length : parts.len[i];
      this.memory.writeU32(parts.at[i], ((parts.opts1[i] & Desc.EOR) | first | last | (len & Desc.LengthMask)) >>> 0);
    }
    this.rxIndex = index;
    if (this.traceOn) this.trace(`RX ${describeFrame(frame)} -> descriptor ${parts.index.slice(0, count).join(",")}`);
    return "ok";
  }

  // ---- the transmit side -------------------------------------------------------------------

  private txPoll(value: number): void {
    if (value & Poll.FSWInt) this.raise(Intr.SWInt);
    if ((value & (Poll.NPQ | Poll.HPQ)) === 0) return;
    if (this.resetting || !this.txEnabled) {
      if (this.traceOn) this.trace(`TxPoll ignored: ${this.resetting ? "the chip is resetting" : "the transmitter is disabled (ChipCmd TxEnb clear)"}`);
      return;
    }
    if (this.tx !== undefined) return; // the walk in progress picks up newly owned descriptors
    this.txNext(true);
  }

  /** Takes the next frame from the TX ring and puts it on the wire after its wire time. */
  private txNext(fromPoll: boolean): void {
    if (this.resetting || !this.txEnabled || this.unplugged || this.detached) return;
    const base = this.reg32(Reg.TxDescStartAddrLow) + this.reg32(Reg.TxDescStartAddrHigh) * 0x100000000;
    for (;;) {
      // Made at the first owned descriptor: most calls find none (no array per empty walk).
      let indices: number[] | undefined;
      // The first fragment alone (the usual case), or all of them once there is a second.
      let first: Uint8Array | undefined;
      let chunks: Uint8Array[] | undefined;
      let index = this.txIndex;
      let total = 0;
      for (;;) {
        const at = base + index * Desc.SIZE;
        // One lookup for the descriptor's words (a descriptor never spans regions: they are apart).
        const desc = this.memory.find(at, Desc.SIZE);
        if (desc === undefined) {
          this.busError(`TX descriptor ${index} at ${hex(at, 8)}`);
          return;
        }
        const off = at - desc.addr;
        const opts1 = desc.view.getUint32(off, true);
        if ((opts1 & Desc.OWN) === 0) {
          // Nothing (more) owned: at the start of a frame that is the end of the walk; in the middle
          // of a chain the driver has not finished handing it over, so wait for the next poll.
          if (indices === undefined && fromPoll) this.raise(Intr.TxDescUnavail);
          return;
        }
        if (indices === undefined && (opts1 & Desc.FS) === 0) {
          desc.view.setUint32(off, (opts1 & ~Desc.OWN) >>> 0, true);
          this.txIndex = nextIndex(index, opts1);
          this.drop("tx-malformed", () => `TX descriptor ${index} owned without FS (${decodeOpts1(opts1)}): skipped`);
          this.raise(Intr.TxErr);
          break;
        }
        const len = opts1 & Desc.LengthMask;
        const lo = desc.view.getUint32(off + 8, true);
        const hi = desc.view.getUint32(off + 12, true);
        // A view, read as the frame goes out (finishTx), as the chip's DMA does; the driver may not
        // touch the buffer until the NIC hands the descriptor back.
        const data = this.memory.view(lo + hi * 0x100000000, len);
        if (data === undefined) {
          this.busError(`TX buffer of descriptor ${index} at ${hex(lo + hi * 0x100000000, 8)} (${len} bytes)`);
          const owned = [...(indices ?? []), index];
          for (const i of owned) this.clearOwn(base, i);
          this.txIndex = nextIndex(index, opts1);
          this.drop("tx-dma-error", () => `TX frame at descriptor ${owned[0]} dropped: buffer not in DMA memory`);
          this.raise(Intr.TxErr);
          break;
        }
        if (indices === undefined) indices = [index];
        else indices.push(index);
        if (first === undefined) first = data;
        else (chunks ??= [first]).push(data);
        total += len;
        index = nextIndex(index, opts1);
        if ((opts1 & Desc.LS) !== 0) {
          this.startTx(indices, chunks === undefined ? first : concat(chunks, total));
          return;
        }
        if (index === this.txIndex) return; // a chain around the whole ring without LS: wait
      }
      fromPoll = false;
    }
  }

  private startTx(indices: number[], frame: Uint8Array): void {
    const inFlight: TxInFlight = { indices, frame, timer: undefined };
    this.tx = inFlight;
    if (this.txLocked) {
      if (this.traceOn) this.trace(`TX ${describeFrame(frame)} from descriptor ${indices.join(",")} stuck: transmitter locked up`);
      return;
    }
    this.armTx(inFlight);
  }

  /**
   * Puts the frame in flight on the wire for its wire time. The one timer per frame is not a
   * tracked after(): one frame is in flight at a time, so one callback serves them all, and
   * dropTx (reset, unplug, lock-up) and detach cancel it.
   */
  private armTx(inFlight: TxInFlight): void {
    const host = this.host;
    if (host === undefined || this.detached) return;
    inFlight.timer = host.after(onNanosecondGrid(host.now(), wireTimeUs(inFlight.frame.length)), this.txDone);
  }

  private readonly txDone = (): void => {
    const inFlight = this.tx;
    if (inFlight === undefined || this.detached) return;
    inFlight.timer = undefined;
    this.finishTx(inFlight);
  };

  private finishTx(inFlight: TxInFlight): void {
    const base = this.reg32(Reg.TxDescStartAddrLow) + this.reg32(Reg.TxDescStartAddrHigh) * 0x100000000;
    let opts1 = 0;
    for (const i of inFlight.indices) opts1 = this.clearOwn(base, i);
    this.txIndex = nextIndex(inFlight.indices[inFlight.indices.length - 1], opts1);
    this.tx = undefined;
    this.counters.txFrames++;
    this.counters.txBytes += inFlight.frame.length;
    if (this.link) {
      if (this.traceOn) this.trace(`TX ${describeFrame(inFlight.frame)} from descriptor ${inFlight.indices.join(",")} on the wire`);
      this.wire.transmit(inFlight.frame, undefined, true);
    } else {
      this.drop("tx-link-down", () => `TX ${describeFrame(inFlight.frame)} sent while the link is down: lost`);
      this.wire.transmit(inFlight.frame, "tx-link-down", true);
    }
    this.complete(Intr.TxOK);
    this.countEvent("tx");
    this.txNext(false);
  }

  private dropTx(cause: DropCause): void {
    const inFlight = this.tx;
    if (inFlight === undefined) return;
    inFlight.timer?.cancel();
    this.tx = undefined;
    this.drop(cause, () => `TX ${describeFrame(inFlight.frame)} in descriptor ${inFlight.indices.join(",")} discarded: ${cause}`);
    this.wire.transmit(inFlight.frame, cause, true);
  }

  /** Hands a descriptor back to the driver; returns its opts1 (0 when it is not in DMA memory). */
  private clearOwn(base: number, index: number): number {
    const at = base + index * Desc.SIZE;
    const desc = this.memory.find(at, 4);
    if (desc === undefined) return 0;
    const opts1 = desc.view.getUint32(at - desc.addr, true);
    desc.view.setUint32(at - desc.addr, (opts1 & ~Desc.OWN) >>> 0, true);
    return opts1;
  }

  // ---- commands, interrupts, PHY -----------------------------------------------------------

  private command(value: number): void {
    if (value & Cmd.Reset) {
      this.startReset();
      return;
    }
    if (this.resetting) {
      if (this.traceOn) this.trace(`ChipCmd ${decodeCmd(value)} ignored: the chip is resetting`);
      return;
    }
    // Disabling the transmitter lets a frame already on the wire finish; the walk stops after it.
    this.rxEnabled = (value & Cmd.RxEnb) !== 0;
    this.txEnabled = (value & Cmd.TxEnb) !== 0;
  }

  private startReset(): void {
    if (this.resetting) return;
    this.resetting = true;
    this.counters.resets++;
    // Before the reset discards anything: listeners see the rings as the driver left them.
    if (this.listeners.length > 0) this.emit({ type: "reset", timeUs: this.now() });
    if (this.tx !== undefined) this.dropTx(this.txLocked ? "tx-lockup" : "tx-reset");
    this.txLocked = false;
    this.rxEnabled = false;
    this.txEnabled = false;
    this.txIndex = 0;
    this.rxIndex = 0;
    this.status = 0;
    this.mitigation.reset();
    this.updateLine(false);
    if (this.traceOn) this.trace(`reset started (${RESET_US}us)`);
    this.after(RESET_US, () => {
      this.resetting = false;
      this.status |= Intr.LinkChg;
      if (this.traceOn) this.trace(`reset done: link ${this.link ? "up" : "down"}, LinkChg latched`);
      // Always signalled (see the header): the line counts as asserted only if the mask allows it.
      this.line = (this.status & this.mask) !== 0;
      this.signal(this.status & (this.mask | Intr.LinkChg));
    });
  }

  /** An event in IntrStatus now; what mitigation held back goes with it. */
  private raise(bits: number): void {
    this.status |= bits | this.mitigation.take();
    this.updateLine(false);
  }

  /** A frame completed (RxOK or TxOK): signalled now, or held back by interrupt mitigation. */
  private complete(bit: number): void {
    if (!this.mitigation.hold(bit, this.reg16(Reg.IntrMitigate), this.regs[Reg.CPlusCmd])) this.raise(bit);
  }

  private acknowledge(bits: number): void {
    const cleared = this.status & bits;
    this.status &= ~bits;
    this.updateLine(cleared !== 0);
  }

  /** Level-like line: interrupt on idle -> asserted, or on an acknowledge that leaves bits pending. */
  private updateLine(endOfInterrupt: boolean): void {
    const pending = this.status & this.mask;
    if (pending === 0) {
      this.line = false;
      return;
    }
    if (this.line && !endOfInterrupt) return;
    this.line = true;
    this.signal(pending);
  }

  private signal(isr: number): void {
    if (this.host === undefined || this.unplugged || this.detached || this.stormLine()) return;
    this.counters.interrupts++;
    this.host.interrupt(isr);
    this.countEvent("irq");
  }

  /**
   * Counts interrupts per virtual instant; at STORM_LIMIT the line is disabled for the rest of the
   * run, as Linux disables an IRQ nobody handles ("nobody cared"), and `storm` says what was left
   * pending. True while the line is disabled.
   */
  private stormLine(): boolean {
    if (this.storm !== undefined) return true;
    const now = this.now();
    if (now !== this.irqInstantUs) {
      this.irqInstantUs = now;
      this.irqsThisInstant = 0;
    }
    if (++this.irqsThisInstant < STORM_LIMIT) return false;
    this.storm = { timeUs: now, interrupts: this.irqsThisInstant, status: this.status, mask: this.mask };
    if (this.traceOn)
      this.trace(`interrupt storm: ${STORM_LIMIT} interrupts at ${now}us, IntrStatus ${decodeIntr(this.status)} never acknowledged: the line is disabled`);
    return true;
  }

  /** PHYAR: bit 31 set = write `data` to MII register (bits 20..16); clear = read. Completes at once. */
  private mdio(): void {
    const v = this.reg32(Reg.PHYAR);
    const reg = (v >>> 16) & 0x1f;
    if (v & 0x80000000) {
      this.mii[reg] = v & 0xffff;
      this.setReg32(Reg.PHYAR, v & 0x7fffffff);
    } else {
      let data = this.mii[reg] ?? 0;
      if (reg === 1) data = 0x796d & ~(this.link ? 0 : 0x0004); // BMSR: link status bit 2
      this.setReg32(Reg.PHYAR, (0x80000000 | (reg << 16) | data) >>> 0);
    }
  }

  private readByte(off: number): number {
    if (off < 0 || off >= REG_WINDOW) return 0xff;
    switch (off) {
      case Reg.ChipCmd:
        return (this.resetting ? Cmd.Reset : 0) | (this.rxEnabled ? Cmd.RxEnb : 0) | (this.txEnabled ? Cmd.TxEnb : 0);
      case Reg.TxPoll:
        return this.tx !== undefined ? Poll.NPQ : 0;
      case Reg.IntrMask:
        return this.mask & 0xff;
      case Reg.IntrMask + 1:
        return this.mask >>> 8;
      case Reg.IntrStatus:
        return this.status & 0xff;
      case Reg.IntrStatus + 1:
        return this.status >>> 8;
      case Reg.PHYstatus:
        return this.link ? PHY_UP : 0;
      case Reg.TxConfig + 2:
        return this.regs[off] | ((TXCONFIG_CHIP_VERSION >>> 16) & 0xff);
      default:
        return isStorage(off) || off < 6 || (off >= Reg.Config0 && off <= Reg.Config5) ? this.regs[off] : 0;
    }
  }

  private reg32(off: number): number {
    return (this.regs[off] | (this.regs[off + 1] << 8) | (this.regs[off + 2] << 16) | (this.regs[off + 3] << 24)) >>> 0;
  }

  private reg16(off: number): number {
    return this.regs[off] | (this.regs[off + 1] << 8);
  }

  private setReg32(off: number, v: number): void {
    for (let i = 0; i < 4; i++) this.regs[off + i] = (v >>> (8 * i)) & 0xff;
  }

  // ---- faults --------------------------------------------------------------------------------

  private schedulePlan(plan: FaultPlan): void {
    if (plan.kind === "suspend-unplug") return; // carried out by the OS side
    if (plan.atUs !== undefined) {
      const repeat = Math.max(1, plan.repeat ?? 1);
      const period = plan.periodUs ?? 10000;
      for (let i = 0; i < repeat; i++) this.after(Math.max(0, plan.atUs + i * period - this.now()), () => this.fire(plan));
    } else if (plan.afterCount !== undefined) {
      this.countTriggers.push({ plan, fired: false });
    }
  }

  private countEvent(kind: "tx" | "rx" | "irq"): void {
    const n = kind === "tx" ? ++this.txEvents : kind === "rx" ? ++this.rxEvents : ++this.irqEvents;
    if (this.countTriggers.length === 0) return;
    for (const t of this.countTriggers) {
      if (!t.fired && (t.plan.on ?? "tx") === kind && n >= (t.plan.afterCount ?? 0)) {
        t.fired = true;
        // Not from inside the event that counted it: the fault lands on the clock right after.
        this.after(0, () => this.fire(t.plan));
      }
    }
  }

  /** Carries out one hardware fault now. */
  fire(plan: FaultPlan): void {
    if (this.unplugged || this.detached) return;
    switch (plan.kind) {
      case "tx-lockup": {
        if (this.txLocked) return;
        this.txLocked = true;
        const stuck = this.tx;
        if (stuck?.timer !== undefined) {
          stuck.timer.cancel();
          stuck.timer = undefined;
        }
        this.noteFault(
          "tx-lockup",
          `transmitter locked up${stuck ? ` holding ${describeFrame(stuck.frame)}` : ""}; ${plan.durationUs !== undefined ? `recovers after ${plan.durationUs}us` : "only a reset recovers it"}`,
        );
        if (plan.durationUs !== undefined) {
          this.after(plan.durationUs, () => {
            if (!this.txLocked) return;
            this.txLocked = false;
            if (this.tx !== undefined) this.armTx(this.tx);
          });
        }
        return;
      }
      case "link-flap": {
        const down = plan.durationUs ?? 2000;
        this.noteFault("link-flap", `link down for ${down}us`);
        this.setLink(false);
        this.after(down, () => this.setLink(true));
        return;
      }
      case "rx-overflow": {
        const window = plan.durationUs ?? 500;
        this.rxFifoOverflowUntil = this.now() + window;
        this.noteFault("rx-overflow", `RX FIFO overflows for ${window}us with a burst of ${plan.burst ?? 64} frames`);
        this.wire.burst(plan.burst ?? 64);
        return;
      }
      case "spurious-irq": {
        const isr = (plan.isr ?? 0) & 0xffff;
        this.noteFault("spurious-irq", isr === 0 ? "interrupt with no cause (isr 0)" : `interrupt claiming ${decodeIntr(isr)} with nothing behind it`);
        this.status |= isr;
        this.line = (this.status & this.mask) !== 0;
        if (this.host !== undefined) {
          this.counters.interrupts++;
          this.host.interrupt(isr);
        }
        return;
      }
      case "hot-unplug": {
        this.noteFault("hot-unplug", "card removed: reads return all ones");
        this.unplug(plan.finalIrq ?? true, plan.noticeUs ?? 50);
        return;
      }
      case "suspend-unplug":
        return;
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Descriptors from `base` up to EOR (at most 64), decoded, for inspect(). */
  private ringDump(base: number): string[] {
    const out: string[] = [];
    if (base === 0) return out;
    for (let i = 0; i < 64; i++) {
      const at = base + i * Desc.SIZE;
      const opts1 = this.memory.readU32(at);
      const lo = this.memory.readU32(at + 8);
      const hi = this.memory.readU32(at + 12);
      if (opts1 === undefined || lo === undefined || hi === undefined) {
        out.push(`${i}: not in DMA memory`);
        break;
      }
      out.push(`${i}: ${decodeOpts1(opts1)} buf=${hex(lo + hi * 0x100000000, 8)}`);
      if (opts1 & Desc.EOR) break;
    }
    return out;
  }

  private busError(what: string): void {
    if (this.traceOn) this.trace(`DMA bus error: ${what} is not in DMA memory`);
    this.host?.trace({ kind: "fault", fault: "dma-error", detail: `${what} is not in DMA memory (allocate it with dev.dma)` });
    this.raise(Intr.SYSErr);
  }

  private drop(cause: DropCause, detail: () => string): void {
    this.counters.dropped[cause] = (this.counters.dropped[cause] ?? 0) + 1;
    if (this.traceOn) this.trace(detail());
  }

  private emit(e: NicEvent): void {
    for (const l of this.listeners) l(e);
  }

  private now(): number {
    return this.host?.now() ?? 0;
  }

  private after(delayUs: number, fn: () => void): TimerHandle | undefined {
    const host = this.host;
    if (host === undefined || this.detached) return undefined;
    const handle = host.after(onNanosecondGrid(host.now(), delayUs), () => {
      this.timers.delete(handle);
      if (!this.detached) fn();
    });
    this.timers.add(handle);
    return handle;
  }

  private trace(detail: string): void {
    this.host?.trace({ kind: "device", detail });
  }

  /**
   * Whether the device composes trace text. By default it follows the host (DeviceHost.tracing:
   * off when the run's tracing is off); setting it overrides that.
   */
  set tracing(on: boolean) {
    this.tracingSet = on;
    this.traceOn = on;
  }
}

/** Offsets that hold what the driver writes (and read it back). */
function isStorage(off: number): boolean {
  return (
    (off >= Reg.MAR0 && off < Reg.MAR0 + 8) ||
    (off >= Reg.CounterAddrLow && off < Reg.CounterAddrLow + 8) ||
    (off >= Reg.TxDescStartAddrLow && off < Reg.TxHDescStartAddrHigh + 4) ||
    (off >= Reg.TxConfig && off < Reg.RxConfig + 4) ||
    off === Reg.Cfg9346 ||
    (off >= Reg.PHYAR && off < Reg.PHYAR + 4) ||
    off === Reg.RxMaxSize ||
    off === Reg.RxMaxSize + 1 ||
    (off >= Reg.CPlusCmd && off < Reg.IntrMitigate + 2) ||
    (off >= Reg.RxDescAddrLow && off < Reg.RxDescAddrHigh + 4) ||
    off === Reg.MaxTxPacketSize ||
    off === Reg.MaxTxPacketSize + 1
  );
}

function nextIndex(index: number, opts1: number): number {
  return (opts1 & Desc.EOR) !== 0 || index + 1 >= MAX_RING ? 0 : index + 1;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function describeWrite(reg: number, value: number): string {
  switch (reg) {
    case Reg.IntrStatus:
      return `ack ${decodeIntr(value)}`;
    case Reg.IntrMask:
      return `mask ${decodeIntr(value)}`;
    case Reg.ChipCmd:
      return value & Cmd.Reset ? "" : decodeCmd(value); // a reset traces itself
    default:
      return "";
  }
}
