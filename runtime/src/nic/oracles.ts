// The run's oracles beyond the frame counts: where each lost frame was last seen, which fault (if
// any) touched a dropped frame, whether a watchdog firing has a fault behind it, and what the driver
// was doing at those moments (protocol state, where each thread waits). The simulated OS calls in at
// a few moments (requests, replies, faults, watchdog firings, unexplained drops): nothing here runs
// per frame on the clean path, so the cost of a clean run does not change.
import type { SourceLocation } from "../trace";
import type { AnyProtocol, DriverInstance } from "../types";
import type { FaultRecord } from "./faults";
import * as frames from "./frames";
import * as regs from "./regs";
import type { Rtl8169 } from "./rtl8169";
import { defined } from "../defined";

const { Desc, Reg } = regs;

/** What a run found wrong, machine-readable: `kind` says which oracle, `message` says what and where. */
export interface Finding {
  kind: "lost-frames" | "dropped-frames" | "watchdog" | "interrupt-storm" | "unanswered" | "device-active" | "bad-frames";
  message: string;
  /** Virtual time the oracle points at (the first loss, the firing, the request). */
  timeUs: number;
  /** Where in the driver the thread that matters was waiting, when known. */
  location?: SourceLocation;
}

/** The driver at one moment: its protocol state and where each of its threads waits. */
export interface DriverSnapshot {
  timeUs: number;
  state: string;
  threads: { name: string; status: string; waitingOn: readonly string[]; loc?: SourceLocation }[];
}

export function snapshotDriver(inst: DriverInstance<AnyProtocol>): DriverSnapshot {
  let threads: DriverSnapshot["threads"] = [];
  try {
    threads = inst.threads().map((t) => ({ name: t.name, status: t.status, waitingOn: t.waitingOn, ...defined({ loc: t.loc }) }));
  } catch {
    // A stopped instance has no threads to show.
  }
  return { timeUs: inst.now(), state: String(inst.protocolState), threads };
}

export function formatLoc(loc: SourceLocation): string {
  const file = loc.file.replace(/^.*[\\/]/, "");
  return `${file}:${loc.line}:${loc.column}`;
}

/** "protocol state open; thread main waits at active.ts:57:25 on close, xmit, irq". */
export function describeSnapshot(s: DriverSnapshot): string {
  const threads = s.threads
    .filter((t) => t.status !== "ended")
    .map((t) => {
      const at = t.loc !== undefined ? ` at ${formatLoc(t.loc)}` : "";
      if (t.status === "waiting") return `thread ${t.name} waits${at} on ${t.waitingOn.join(", ") || "nothing"}`;
      if (t.status === "sleeping") return `thread ${t.name} sleeps${at}`;
      return `thread ${t.name} ${t.status}${at}`;
    });
  return [`protocol state ${s.state}`, ...threads].join("; ");
}

/** The first waiting thread's location: where a finding points in the driver's source. */
export function snapshotLocation(s: DriverSnapshot): SourceLocation | undefined {
  return s.threads.find((t) => t.loc !== undefined)?.loc;
}

/** A moment the OS noted: what happened, and the driver then. */
interface Checkpoint {
  label: string;
  driver: DriverSnapshot;
}

/** A TX frame found in the ring: its slot and whether the NIC still owned it. */
interface RingSighting {
  checkpoint: number;
  slot: number;
  owned: boolean;
}

/** An RX drop or a TX drop no fault explains, kept for the message (the first few per cause). */
interface UnexplainedDrop {
  frame: string;
  timeUs: number;
  driver: DriverSnapshot;
}

/** Frames named per finding; the rest are counted. */
const NAMED = 3;

export class RunOracles {
  private readonly checkpoints: Checkpoint[] = [];
  /** TX sequence number -> the last checkpoint that saw it in the TX ring. */
  private readonly ringSeen = new Map<number, RingSighting>();
  private readonly drops = new Map<string, { count: number; first: UnexplainedDrop[]; lastUs: number }>();
  readonly findings: Finding[] = [];
  /** Until this virtual time the driver recovers from a fault the OS saw (a reset after an explained txTimeout). */
  private recoveryUntil = -1;

  constructor(
    private readonly inst: DriverInstance<AnyProtocol>,
    private readonly nic: Rtl8169,
  ) {}

  /** Notes the moment `label` (a request, a reply, a fault, a watchdog firing) and which TX frames are in the ring. */
  checkpoint(label: string): DriverSnapshot {
    const driver = snapshotDriver(this.inst);
    const index = this.checkpoints.push({ label, driver }) - 1;
    for (const [seq, at] of scanTxRing(this.nic)) this.ringSeen.set(seq, { checkpoint: index, slot: at.slot, owned: at.owned });
    return driver;
  }

  get lastCheckpoint(): DriverSnapshot | undefined {
    return this.checkpoints[this.checkpoints.length - 1]?.driver;
  }

  /** The driver resets after a txTimeout a fault explains: drops while it does are that fault's. */
  recovering(untilUs: number): void {
    this.recoveryUntil = Math.max(this.recoveryUntil, untilUs);
  }

  /** RX works again: a recovery is over. */
  recovered(): void {
    this.recoveryUntil = -1;
  }

  inRecovery(): boolean {
    return this.inst.now() <= this.recoveryUntil;
  }

  /** A frame dropped for `cause` that no fault touched: counted, and the first few kept with the driver's state. */
  unexplainedDrop(direction: "TX" | "RX", cause: string, frame: Uint8Array): void {
    const key = `${direction} ${cause}`;
    let entry = this.drops.get(key);
    if (entry === undefined) this.drops.set(key, (entry = { count: 0, first: [], lastUs: 0 }));
    entry.count++;
    entry.lastUs = this.inst.now();
    if (entry.first.length < NAMED) entry.first.push({ frame: frames.describeFrame(frame), timeUs: this.inst.now(), driver: snapshotDriver(this.inst) });
  }

  /** Findings for the unexplained drops, one per direction and cause. */
  dropFindings(): void {
    for (const [key, e] of this.drops) {
      const [direction, cause] = key.split(" ") as [string, string];
      const first = e.first[0]!;
      const more = e.count > e.first.length ? ` and ${e.count - e.first.length} more` : "";
      const named = `${e.first.map((d) => `${d.frame} at ${d.timeUs}us`).join(", ")}${more}; the driver at ${first.timeUs}us: ${describeSnapshot(first.driver)}`;
      const span = e.count > 1 ? ` from ${first.timeUs}us to ${e.lastUs}us` : "";
      const loc = snapshotLocation(first.driver);
      this.findings.push({
        kind: "dropped-frames",
        message: `${direction}: ${e.count} frame(s) dropped at the NIC (${cause})${span} and no injected fault explains it: ${named}`,
        timeUs: first.timeUs,
        ...defined({ location: loc }),
      });
    }
  }

  /**
   * Where TX frame `seq` (never on the wire, no fault touched it) was last seen: the OS queue, the
   * driver, a TX ring slot, the transmitter; when; and what the driver was doing then.
   */
  whereTx(
    seq: number,
    sentUs: number,
    deliveredToDriver: boolean,
    ringNow: ReadonlyMap<number, { slot: number; owned: boolean }>,
  ): { text: string; timeUs: number; driver: DriverSnapshot | undefined } {
    const now = ringNow.get(seq);
    if (now !== undefined) {
      const driver = snapshotDriver(this.inst);
      return {
        text: `still in TX ring slot ${now.slot} at the end (${now.owned ? "owned by the NIC, never sent" : "handed back by the NIC, never reclaimed"})`,
        timeUs: driver.timeUs,
        driver,
      };
    }
    const seen = this.ringSeen.get(seq);
    if (seen !== undefined) {
      const cp = this.checkpoints[seen.checkpoint]!;
      const next = this.checkpoints[seen.checkpoint + 1];
      const gone = next !== undefined ? `, gone from the ring by ${next.label} at ${next.driver.timeUs}us` : "";
      const during = next ?? cp;
      return {
        text: `last seen in TX ring slot ${seen.slot} at ${cp.driver.timeUs}us (${cp.label})${gone}`,
        timeUs: during.driver.timeUs,
        driver: during.driver,
      };
    }
    if (!deliveredToDriver)
      return { text: `still in the OS queue (xmit mailbox) since ${sentUs}us: the driver never took it`, timeUs: sentUs, driver: this.lastCheckpoint };
    // Taken by the driver and never seen in the ring at a checkpoint: the first checkpoint after
    // it was sent shows what the driver did next.
    const after = this.checkpoints.find((c) => c.driver.timeUs >= sentUs);
    const then = after !== undefined ? `; next OS event: ${after.label} at ${after.driver.timeUs}us` : "";
    return { text: `handed to the driver at ${sentUs}us and never seen in the TX ring${then}`, timeUs: sentUs, driver: after?.driver ?? this.lastCheckpoint };
  }
}

/** The TX frames the ring holds now: sequence number (OS stream) -> slot, and whether the NIC owns it. */
export function scanTxRing(nic: Rtl8169): Map<number, { slot: number; owned: boolean }> {
  const found = new Map<number, { slot: number; owned: boolean }>();
  if (nic.isUnplugged) return found;
  const memory = nic.memory;
  const base = nic.read(Reg.TxDescStartAddrLow, 4) + nic.read(Reg.TxDescStartAddrHigh, 4) * 0x100000000;
  if (base === 0) return found;
  for (let slot = 0; slot < 1024; slot++) {
    const at = base + slot * Desc.SIZE;
    const opts1 = memory.readU32(at);
    const lo = memory.readU32(at + 8);
    const hi = memory.readU32(at + 12);
    if (opts1 === undefined || lo === undefined || hi === undefined) break;
    const len = opts1 & Desc.LengthMask;
    const bytes = len > 0 && (opts1 & Desc.FS) !== 0 ? memory.view(lo + hi * 0x100000000, len) : undefined;
    const key = bytes !== undefined ? frames.frameKey(bytes) : -1;
    if (key >= 0 && Math.floor(key / 0x100000000) === frames.Stream.os) found.set(key % 0x100000000, { slot, owned: (opts1 & Desc.OWN) !== 0 });
    if ((opts1 & Desc.EOR) !== 0) break;
  }
  return found;
}

/** Faults that can explain a TX stall the watchdog sees: any but a spurious interrupt (a driver must shrug those off). */
export function stallExplainedBy(faults: readonly FaultRecord[], sinceUs: number): FaultRecord | undefined {
  for (let i = faults.length - 1; i >= 0; i--) {
    const f = faults[i]!;
    if (f.timeUs < sinceUs) break;
    if (f.kind !== "spurious-irq") return f;
  }
  return undefined;
}
