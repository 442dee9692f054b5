// The simulated OS side of a network interface: a small network stack over `inst.os` for any
// driver of the Ethernet protocol (or a subset of it). Three OS activities interleave on the
// virtual clock, with seeded gaps so the seed chooses their interleaving:
//   - the control thread: open, suspend/resume, close (and the suspend that races an unplug);
//   - the xmit thread: streams tagged frames while the queue runs, at most `txInFlight` outstanding;
//   - "interrupt context": the TX watchdog (txTimeout, as Linux's dev_watchdog) and the hotplug
//     notice (`unplug` after the card vanished).
// It accounts for every frame: OS -> driver -> NIC -> wire, and wire -> NIC -> driver -> OS.
//
// The OS threads are generators stepped synchronously from clock timers (and from request
// replies): what an OS thread does after a sleep happens inside that timer event, at that virtual
// instant, before the clock moves on; they cost no promise per step. Their timers go through the
// instance's afterSync (no microtask turn per timer). A thread blocked in until() is woken by the
// OS events that can change its condition (poke), not by polling the clock.
import type { TimerHandle } from "../device";
import type { SourceLocation } from "../trace";
import { FRACTION_STEPS, type ChoiceKind } from "../explore/chooser";
import type { AnyProtocol, DriverInstance } from "../types";
import type { FaultPlan } from "./faults";
import { describeSnapshot, RunOracles, scanTxRing, snapshotDriver, snapshotLocation, stallExplainedBy, type DriverSnapshot, type Finding } from "./oracles";
import * as frames from "./frames";
import { decodeIntr } from "./regs";
import type { Rtl8169 } from "./rtl8169";
import { TaggedFrames } from "./tagged";
import { TxLog, TxMark } from "./txlog";
import * as wire from "./wire";
import type { DropCause, RxResult } from "./wire";
import { defined } from "../defined";

// Values from sibling modules are copied into constants here: under a CommonJS transform (tsx, the
// tests and benchmarks) every use of an import is a getter call, and these run per frame.
const { ETH_MAX, ETH_MIN, PEER_MAC, Stream, frameKey, isFrameOf, makeFrame } = frames;
const { onNanosecondGrid } = wire;

/** What the OS does in a run. Every field has a default; scenario files may give any subset. */
export interface Workload {
  /** Frames the OS transmits over the whole run (default 500). */
  frames?: number;
  /** Sizes of those frames, without FCS (defaults 60 and 1514). */
  minSize?: number;
  maxSize?: number;
  /** Frames per second the OS offers (default 50000). */
  xmitRate?: number;
  /** Frames the OS lets be outstanding (handed to the driver, not yet on the wire) before it stops the queue (default 16). */
  txInFlight?: number;
  /** Incoming frames per second from the peer while the interface is up (default 20000; 0 for none). */
  rxRate?: number;
  /** Sizes of incoming frames (defaults 60 and 1514). */
  rxMinSize?: number;
  rxMaxSize?: number;
  /** Frames the NIC sends come back to it (default false). */
  loopback?: boolean;
  /** Open/close cycles (default 1); the frames are spread over them. */
  cycles?: number;
  /** Suspend/resume pairs per open period (default 0). */
  suspends?: number;
  /** Time spent suspended (default 1000 us). */
  suspendedUs?: number;
  /** TX watchdog period (default 5000 us; Linux uses seconds, scaled down with everything else). */
  watchdogUs?: number;
  /** Before close and suspend: longest wait for TX to drain and RX to go quiet (default 2000 us). */
  drainUs?: number;
  /** After `unplug`: longest wait for replies still owed (default 10000 us). */
  replyGraceUs?: number;
  /** A request unanswered this long is a failure (liveness), and the run stops there (default 100000 us). */
  replyTimeoutUs?: number;
  /** The run stops here whatever happens (default 1000000 us of virtual time). */
  deadlineUs?: number;
  /**
   * "script" (default): open, stream, suspend/resume as configured, close. "protocol": at each OS
   * step the OS issues any request or notification the protocol enables (or a fault, or nothing),
   * as the run's chooser decides, within the budgets below.
   */
  mode?: WorkloadMode;
  /** Protocol mode: times the OS may issue each request or notification (default 3). */
  requestBudget?: number;
  /** Protocol mode: faults the OS may inject (link flap, RX overflow, spurious interrupt, TX lock-up, hot unplug; default 2). */
  faultBudget?: number;
  /** Protocol mode: mean time between OS steps (default 200 us). */
  stepUs?: number;
  /** Protocol mode: OS steps at most (default 0: 16 + 8 x the budgets). A small bound makes `explore --strategy dfs` exhaustive. */
  maxSteps?: number;
}

export const WORKLOAD_MODES = ["script", "protocol"] as const;
export type WorkloadMode = (typeof WORKLOAD_MODES)[number];

export const WORKLOAD_DEFAULTS: Required<Workload> = {
  frames: 500,
  minSize: ETH_MIN,
  maxSize: ETH_MAX,
  xmitRate: 50000,
  txInFlight: 16,
  rxRate: 20000,
  rxMinSize: ETH_MIN,
  rxMaxSize: ETH_MAX,
  loopback: false,
  cycles: 1,
  suspends: 0,
  suspendedUs: 1000,
  watchdogUs: 5000,
  drainUs: 2000,
  replyGraceUs: 10000,
  replyTimeoutUs: 100_000,
  deadlineUs: 1_000_000,
  mode: "script",
  requestBudget: 3,
  faultBudget: 2,
  stepUs: 200,
  maxSteps: 0,
};

/** Faults the protocol-driven OS may inject while the interface is up (and hot unplug at any time). */
const FUZZ_FAULTS: readonly FaultPlan["kind"][] = ["link-flap", "rx-overflow", "spurious-irq", "tx-lockup"];

/** One request the OS made and what became of it. */
export interface RequestRecord {
  name: string;
  sentUs: number;
  repliedUs?: number;
  status?: number;
  error?: string;
}

type RxFate = "in-ring" | "received" | "corrupted" | DropCause;
interface RxFrame {
  len: number;
  /**
   * What the wire offered, until the driver reports it: the wire's own frame (generated, or a
   * loopback copy), which nobody else holds, so no copy of it here.
   */
  bytes: Uint8Array | undefined;
  fate: RxFate;
  atTimeout: boolean;
  atUnplug: boolean;
  /** When the NIC wrote it to the RX ring. */
  atUs: number;
}

export interface FrameAccount {
  /** TX: frames the OS handed to the driver; RX: frames offered to the NIC by the wire. */
  offered: number;
  /** TX: on the wire intact; RX: reported to the OS intact (`recv`). */
  delivered: number;
  /**
   * Lost and counted, by cause: device causes, plus "unplug" (outstanding when the card vanished),
   * "close" (in the ring or queue when the OS closed), "held-suspended" (held by a driver the run
   * left suspended) and "rx-reset" (in the RX ring when a fault-explained watchdog reset the chip).
   */
  dropped: Record<string, number>;
  /** Lost with no fault to explain it: the driver never sent / never reported them. */
  lost: number;
  /** Delivered with different bytes. */
  corrupted: number;
  /** Delivered more than once. */
  duplicates: number;
  /** Frames the OS never made (TX) or the wire never carried (RX). */
  bogus: number;
}

export interface OsReport {
  requests: RequestRecord[];
  txTimeouts: number;
  tx: FrameAccount;
  rx: FrameAccount;
  /** Why the accounting does not balance, or what else an oracle found (empty when the run is clean). */
  problems: string[];
  /** The same, machine-readable: which oracle, when, and where the driver was (problems[i] is findings[i].message). */
  findings: Finding[];
  /** Worth knowing but not a failure (RX drops the NIC counted, skipped steps). */
  notes: string[];
  /** Whether the workload reached its end (rather than the deadline). */
  completed: boolean;
  /** OS view: "closed", "open", "suspended", "gone". */
  osState: string;
}

type OsCall = (payload?: unknown) => unknown;

/** What an OS thread yields: sleep on the virtual clock, block until a condition holds, or make a request and take its reply. */
type Yield = { kind: "sleep"; us: number } | { kind: "request"; name: string } | { kind: "until"; cond: () => boolean; deadline: number };
interface OsThread {
  name: string;
  gen: Generator<Yield, void, unknown>;
  /** Steps it on with no input (a timer's callback: made once per thread). */
  resume: () => void;
}
/** An OS thread blocked in until(): woken when its condition holds after an OS event, or at its deadline. */
interface Waiter {
  thread: OsThread;
  cond: () => boolean;
  deadline: TimerHandle | undefined;
}
const sleep = (us: number): Yield => ({ kind: "sleep", us });

/** Longer than the wire's loopback delay (1 us by default). */
const LOOPBACK_SETTLE_US = 5;

interface SuspendPoint {
  cycle: number;
  /** Suspend once this share of the period's frames went out... */
  fraction: number;
  /** ...or at this virtual time. */
  atUs?: number;
  /** The suspend-unplug fault this suspend races, if any. */
  race: FaultPlan | undefined;
}

/** Lost frames named in a finding; the rest are counted. */
const NAMED_FRAMES = 3;

export class SimulatedOs {
  readonly workload: Required<Workload>;
  readonly requests: RequestRecord[] = [];
  txTimeouts = 0;
  /** txTimeouts the protocol-driven OS issued on its own (a reset it asked for excuses the frames it throws away). */
  completed = false;
  /** True once the run may stop: the workload ended, or the card is gone and owed replies are in (or waited for). */
  finished = false;
  private state: "closed" | "opening" | "open" | "suspended" | "gone" = "closed";
  private queueRunning = false;
  private framesLeft: number;
  private cycleFramesLeft = 0;
  private readonly tx = new TxLog();
  private readonly rx = new TaggedFrames<RxFrame>();
  private readonly txStats = emptyAccount();
  private readonly rxStats = emptyAccount();
  private outstanding = 0;
  private progressAt = 0;
  private inRing = 0;
  private pending = 0;
  private watchdog: TimerHandle | undefined;
  private readonly notes: string[] = [];
  /** The protocol's messages, both ways. */
  private readonly messageNames: ReadonlySet<string>;
  private readonly os: Record<string, OsCall>;
  private readonly suspendUnplug: FaultPlan[];
  /** The xmit thread waits for wakeXmit() (queue stopped, in-flight budget used, cycle done). */
  private xmitParked = false;
  /** Mean gap between the OS's frames. */
  private readonly xmitMeanUs: number;
  private readonly waiters: Waiter[] = [];
  private mac: Uint8Array | undefined;
  private recheckQueued = false;
  private readonly schedule: (delayUs: number, fn: () => void) => TimerHandle;
  private readonly oracles: RunOracles;
  /** Findings made during the run (watchdog, liveness, a chip left running), reported first. */
  private readonly early: Finding[] = [];
  /** Requests already reported unanswered by the liveness bound. */
  private readonly timedOut = new Set<RequestRecord>();
  private quietChecked = false;

  constructor(
    private readonly inst: DriverInstance<AnyProtocol>,
    private readonly nic: Rtl8169,
    workload: Workload,
    faults: readonly FaultPlan[],
  ) {
    this.workload = { ...WORKLOAD_DEFAULTS, ...workload };
    this.xmitMeanUs = 1e6 / Math.max(1, this.workload.xmitRate);
    this.framesLeft = this.workload.frames;
    const incoming = new Set<string>(inst.protocol.incoming);
    this.messageNames = new Set<string>([...inst.protocol.incoming, ...inst.protocol.outgoing]);
    this.os = inst.os as unknown as Record<string, OsCall>;
    // The OS threads' timers are synchronous: the runtime's afterSync spares the clock loop a
    // microtask turn per timer (the runtime still drains the driver and settled replies).
    const afterSync = (inst as { afterSync?: DriverInstance<AnyProtocol>["after"] }).afterSync;
    this.schedule = afterSync !== undefined ? afterSync.bind(inst) : inst.after.bind(inst);
    this.suspendUnplug = faults.filter((f) => f.kind === "suspend-unplug");
    this.oracles = new RunOracles(inst, nic);
    for (const name of ["open", "xmit"])
      if (!incoming.has(name))
        throw new Error(`the driver's protocol "${inst.protocol.name}" has no "${name}" message: the simulated OS needs at least open and xmit`);
  }

  /** Hooks the wire and the device, and starts the OS threads. */
  start(): void {
    const w = this.workload;
    this.nic.wire.observeBorrowed({
      transmitted: (frame, _t, cause) => this.onWireTx(frame, cause),
      offered: (frame, _t, result) => this.onWireRx(frame, result),
    });
    if (this.has("recv")) {
      (this.inst.on as (name: string, l: (p: { frame?: unknown }) => void) => () => void)("recv", (p) => this.onRecv(p));
    } else {
      this.notes.push(`protocol "${this.inst.protocol.name}" has no recv: received frames are counted at the NIC`);
    }
    this.nic.onEvent((e) => {
      if (e.type === "unplugged") this.after(e.noticeUs, () => this.onUnplugNotice());
      else if (e.type === "fault") this.oracles.checkpoint(`fault ${e.record.kind}`);
      else if (e.type === "reset") {
        this.oracles.checkpoint("chip reset");
        // A reset while the interface is down and no request asks for one: work deferred from before
        // that does not check the interface is still up (the paper's Figure 2).
        if (this.pending === 0) this.deviceQuiet(`a chip reset at ${e.timeUs}us`, true);
      }
    });
    this.after(w.deadlineUs - this.inst.now(), () => {
      this.finished = true;
      this.poke();
    });
    this.step(this.thread("control", w.mode === "protocol" ? this.protocolControl() : this.control()), undefined);
    this.xmitStep();
  }

  report(): OsReport {
    const oracles = this.oracles;
    const tx = { ...this.txStats, dropped: { ...this.txStats.dropped } };
    const rx = { ...this.rxStats, dropped: { ...this.rxStats.dropped } };
    const findings: Finding[] = [];
    this.deviceQuiet("the end of the run");
    const storm = this.nic.storm;
    if (storm !== undefined) {
      const driver = oracles.lastCheckpoint ?? snapshotDriver(this.inst);
      findings.push({
        kind: "interrupt-storm",
        message: `interrupt storm: ${storm.interrupts} interrupts at ${storm.timeUs}us with IntrStatus ${decodeIntr(storm.status & storm.mask) || "0"} never acknowledged (IntrMask ${decodeIntr(storm.mask) || "0"}): the handler unmasks or re-raises interrupts without writing those bits back to IntrStatus; the line was disabled there`,
        timeUs: storm.timeUs,
        ...locationOf(driver),
      });
    }
    findings.push(...this.early);
    // Frames still outstanding when the card vanished, or when the OS asked to close, are that
    // event's; any other frame that never reached the wire the driver lost. Where each was last
    // seen says where to look.
    const { fate, marks, sentUs } = this.tx;
    const ringNow = scanTxRing(this.nic);
    const delivered = this.inst.mailboxes().find((m) => m.name === "xmit")?.delivered ?? fate.length;
    const lost: { seq: number; where: ReturnType<RunOracles["whereTx"]> }[] = [];
    // A run that ends while the interface is suspended leaves the driver holding what it keeps for
    // after resume: not a loss (a driver that dropped its queue on suspend is caught by runs that resume).
    const endsSuspended = this.requests[this.requests.length - 1]?.name === "suspend";
    // A run that ends with the transmitter still locked up (no watchdog period passed since): what
    // waits behind it (in the ring, queued, or handed over since the lock-up) is the lock-up's.
    const lockedSince = this.nic.txLockedUp ? [...this.nic.faultLog].reverse().find((f) => f.kind === "tx-lockup")?.timeUs : undefined;
    const behindLockup = (seq: number): boolean => lockedSince !== undefined && (ringNow.has(seq) || seq >= delivered || sentUs[seq]! >= lockedSince);
    for (let seq = 0; seq < fate.length; seq++) {
      if (fate[seq] !== "outstanding") continue;
      const cause =
        marks[seq] & TxMark.unplug
          ? "unplug"
          : marks[seq] & TxMark.close
            ? "close"
            : endsSuspended
              ? "held-suspended"
              : behindLockup(seq)
                ? "tx-lockup"
                : undefined;
      if (cause !== undefined) tx.dropped[cause] = (tx.dropped[cause] ?? 0) + 1;
      else {
        tx.lost++;
        if (lost.length < NAMED_FRAMES) lost.push({ seq, where: oracles.whereTx(seq, sentUs[seq]!, seq < delivered, ringNow) });
      }
    }
    if (tx.lost > 0) {
      const first = lost[0]!.where;
      const named = lost.map(({ seq, where }) => `os#${seq} ${where.text}`).join("; ");
      const more = tx.lost > lost.length ? `; and ${tx.lost - lost.length} more` : "";
      const then = first.driver !== undefined ? `; the driver at ${first.driver.timeUs}us: ${describeSnapshot(first.driver)}` : "";
      findings.push({
        kind: "lost-frames",
        message: `TX: ${tx.lost} frame(s) the OS sent never reached the wire and no injected fault touched them: ${named}${more}${then}`,
        timeUs: first.timeUs,
        ...locationOf(first.driver),
      });
    }
    let rxLost = 0;
    let rxFirst: { text: string; timeUs: number } | undefined;
    for (const f of this.rx.values()) {
      if (f.fate !== "in-ring") continue;
      if (!this.has("recv")) rx.delivered++;
      else if (f.atUnplug) rx.dropped["unplug"] = (rx.dropped["unplug"] ?? 0) + 1;
      else if (f.atTimeout) rx.dropped["rx-reset"] = (rx.dropped["rx-reset"] ?? 0) + 1;
      else {
        rx.lost++;
        rxLost++;
        rxFirst ??= { text: `${f.len}B frame written to the RX ring at ${f.atUs}us`, timeUs: f.atUs };
      }
    }
    if (rxLost > 0 && rxFirst !== undefined) {
      const driver = snapshotDriver(this.inst);
      findings.push({
        kind: "lost-frames",
        message: `RX: ${rxLost} frame(s) the NIC received were never reported to the OS (recv): the first, a ${rxFirst.text}, is still in the ring at the end (${describeSnapshot(driver)})`,
        timeUs: rxFirst.timeUs,
        ...locationOf(driver),
      });
    }
    oracles.dropFindings();
    findings.push(...oracles.findings);
    const notes = [...this.notes];
    for (const [which, a] of [
      ["TX", tx],
      ["RX", rx],
    ] as const) {
      if (a.corrupted > 0)
        findings.push({ kind: "bad-frames", message: `${which}: ${a.corrupted} frame(s) arrived with different bytes`, timeUs: this.inst.now() });
      if (a.duplicates > 0) findings.push({ kind: "bad-frames", message: `${which}: ${a.duplicates} frame(s) arrived twice`, timeUs: this.inst.now() });
      if (a.bogus > 0) findings.push({ kind: "bad-frames", message: `${which}: ${a.bogus} frame(s) nobody sent`, timeUs: this.inst.now() });
    }
    for (const [cause, n] of Object.entries(rx.dropped)) {
      if (DEVICE_POLICY_DROPS.has(cause)) notes.push(`RX: the NIC dropped ${n} frame(s) (${cause}): its configuration says so`);
    }
    const end = snapshotDriver(this.inst);
    for (const r of this.requests) {
      if (r.repliedUs !== undefined || r.error !== undefined || this.timedOut.has(r)) continue;
      findings.push({
        kind: "unanswered",
        message: `${r.name} (sent at ${r.sentUs}us) was never answered: at the end (${end.timeUs}us), ${describeSnapshot(end)}`,
        timeUs: r.sentUs,
        ...locationOf(end),
      });
    }
    // A request or notification still queued at the end: the driver never took it.
    for (const mb of this.inst.mailboxes()) {
      if (mb.direction !== "in" || mb.length === 0 || mb.name === "irq" || !this.has(mb.name)) continue;
      findings.push({
        kind: "unanswered",
        message: `${mb.length} ${mb.name} message(s) still queued at the end, never taken by the driver: ${describeSnapshot(end)}`,
        timeUs: end.timeUs,
        ...locationOf(end),
      });
    }
    return {
      requests: this.requests,
      txTimeouts: this.txTimeouts,
      tx,
      rx,
      problems: findings.map((f) => f.message),
      findings,
      notes,
      completed: this.completed,
      osState: this.state,
    };
  }

  /** While the interface is closed or suspended the chip must be stopped: a deferred job that restarted it is a bug. */
  private deviceQuiet(when: string, resetting = false): void {
    if ((this.state !== "closed" && this.state !== "suspended") || this.nic.isUnplugged || this.requests.length === 0 || this.quietChecked) return;
    const last = this.requests[this.requests.length - 1]!;
    if (last.repliedUs === undefined || (last.status ?? 0) !== 0) return;
    const a = this.nic.activity;
    if (resetting) {
      this.quietChecked = true;
      const driver = snapshotDriver(this.inst);
      this.early.push({
        kind: "device-active",
        message: `the driver resets the chip at ${driver.timeUs}us although the interface is ${this.state} since ${last.name} was answered at ${last.repliedUs}us and no request asks for it: deferred work that does not check the interface is still up?; ${describeSnapshot(driver)}`,
        timeUs: driver.timeUs,
        ...locationOf(driver),
      });
      return;
    }
    if (!a.rx && !a.tx && a.mask === 0) return;
    this.quietChecked = true;
    const driver = snapshotDriver(this.inst);
    const what = [a.rx ? "the receiver" : "", a.tx ? "the transmitter" : "", a.mask !== 0 ? `interrupts (${decodeIntr(a.mask)})` : ""]
      .filter((x) => x !== "")
      .join(", ");
    this.early.push({
      kind: "device-active",
      message: `the NIC runs (${what} enabled) at ${when} (${driver.timeUs}us) although the interface is ${this.state} since ${last.name} was answered at ${last.repliedUs}us: the driver did not stop the chip, or restarted it since; ${describeSnapshot(driver)}`,
      timeUs: driver.timeUs,
      ...locationOf(driver),
    });
  }

  // ---- the control thread ------------------------------------------------------------------

  private *control(): Generator<Yield, void, unknown> {
    const w = this.workload;
    const cycles = Math.max(1, Math.floor(w.cycles));
    const suspendPoints = this.suspendPlan();
    yield sleep(this.jitter(20));
    for (let cycle = 0; cycle < cycles && this.alive(); cycle++) {
      const reply = yield* this.request("open");
      if (!this.alive()) break;
      if (statusOf(reply) !== 0) {
        this.notes.push(`open answered status ${String(statusOf(reply))}: the OS gives up`);
        break;
      }
      this.state = "open";
      this.startWatchdog();
      this.cycleFramesLeft = Math.ceil(this.framesLeft / (cycles - cycle));
      this.runQueue(true);
      this.nic.wire.resumeTraffic();
      const points = suspendPoints.filter((p) => p.cycle === cycle);
      const perCycle = this.cycleFramesLeft;
      for (const point of points) {
        const at = point.atUs;
        yield* this.until(
          () =>
            (at !== undefined ? this.inst.now() >= at : this.cycleFramesLeft <= perCycle * (1 - point.fraction)) || this.cycleFramesLeft === 0 || !this.alive(),
          at,
        );
        if (!this.alive()) break;
        yield* this.suspendResume(point.race);
      }
      yield* this.until(() => this.cycleFramesLeft === 0 || !this.alive());
      if (!this.alive()) break;
      yield* this.quiesce();
      if (!this.alive()) break;
      this.stopWatchdog();
      if (this.has("close")) {
        this.state = "closed";
        yield* this.request("close");
      } else {
        this.notes.push(`protocol "${this.inst.protocol.name}" has no close: the interface stays open`);
      }
    }
    if (this.state !== "gone") {
      this.completed = true;
      // A little time for late frames and messages, then the run may end.
      yield sleep(100);
      this.finished = true;
    }
  }

  // ---- the control thread, protocol mode ----------------------------------------------------

  /**
   * At each step the chooser picks one OS activity among those the protocol and the budgets allow:
   * nothing (time passes, frames flow), a request or notification enabled in the protocol's current
   * state, a fault, or a hot unplug. A correct OS still: one request at a time (it waits for the
   * reply), the queue stopped and drained before a request that leaves the states where xmit is
   * enabled, nothing the protocol forbids.
   */
  private *protocolControl(): Generator<Yield, void, unknown> {
    const w = this.workload;
    const budget = this.budget;
    for (const m of this.inst.protocol.incoming) if (m !== "xmit" && m !== "unplug") budget.set(m, Math.floor(w.requestBudget));
    let faults = Math.floor(w.faultBudget);
    const steps = w.maxSteps > 0 ? Math.floor(w.maxSteps) : 16 + 8 * ([...budget.values()].reduce((a, b) => a + b, 0) + faults);
    this.cycleFramesLeft = this.framesLeft;
    yield sleep(this.jitter(20));
    for (let step = 0; step < steps && this.alive(); step++) {
      const acts: { label: string; run: () => void }[] = [{ label: "wait", run: () => {} }];
      for (const [m, left] of budget) {
        if (left <= 0 || !this.enabled(m) || (this.isRequest(m) && this.controlBusy)) continue;
        acts.push({ label: m, run: () => (budget.set(m, left - 1), this.issue(m)) });
      }
      if (faults > 0 && this.requests.some((r) => r.status === 0)) {
        // Once the interface came up. One option for all faults, then which one: a hot unplug (which ends the run) is not
        // as likely as every request together.
        const kinds: FaultPlan["kind"][] = [...(this.state === "open" ? FUZZ_FAULTS : []), "hot-unplug"];
        acts.push({
          label: "fault",
          run: () => {
            faults--;
            const kind = kinds[this.inst.choose("fault", kinds.length, (k) => kinds[k]!)]!;
            this.nic.fire({ kind, atUs: 0 });
          },
        });
      }
      // Nothing left but waiting, and no frame left to flow: the workload is done.
      if (acts.length === (faults > 0 ? 2 : 1) && !this.controlBusy && (this.cycleFramesLeft === 0 || !this.queueRunning)) break;
      const i = this.inst.choose("os-activity", acts.length, (k) => acts[k]!.label);
      acts[i]!.run();
      yield sleep(Math.max(1, Math.round(w.stepUs * (0.5 + this.fraction("gap")))));
    }
    yield* this.until(() => !this.controlBusy || !this.alive());
    if (!this.alive()) return;
    yield* this.quiesce();
    if (!this.alive()) return;
    this.completed = true;
    yield sleep(100);
    this.finished = true;
  }

  /** A request is in progress (the protocol OS issues one at a time). */
  private controlBusy = false;
  /** Protocol mode: what the OS may still issue, per message. */
  private readonly budget = new Map<string, number>();

  /**
   * Protocol mode, a request just went out (the driver has not seen it yet): the OS may race it
   * with a notification the new state enables (txTimeout while closing), at the same instant.
   */
  private raceRequest(): void {
    const notes = [...this.budget].filter(([m, left]) => left > 0 && !this.isRequest(m) && this.enabled(m)).map(([m]) => m);
    if (notes.length === 0) return;
    const i = this.inst.choose("os-activity", notes.length + 1, (k) => (k === 0 ? "no race" : `race ${notes[k - 1]!}`));
    if (i === 0) return;
    const m = notes[i - 1]!;
    this.budget.set(m, this.budget.get(m)! - 1);
    this.issue(m);
  }

  /** Protocol mode: sends `m` now (a notification) or starts a request on its own OS thread. */
  private issue(m: string): void {
    if (!this.isRequest(m)) {
      if (m === "txTimeout") this.timeoutNow(true);
      else this.os[m]!();
      this.poke();
      return;
    }
    this.controlBusy = true;
    this.step(this.thread(`request ${m}`, this.requestThread(m)), undefined);
  }

  private *requestThread(m: string): Generator<Yield, void, unknown> {
    try {
      const next = this.nextState(m);
      if (this.enabled("xmit") && next !== undefined && !this.enabledIn(next, "xmit")) {
        // Leaving the states where frames may be sent: stop the queue and drain it first.
        yield* this.quiesce();
        this.stopWatchdog();
        if (!this.alive() || !this.enabled(m)) return;
      }
      const reply = yield* this.request(m);
      if (!this.alive()) return;
      const up = this.enabled("xmit") && statusOf(reply) === 0;
      this.state = up ? "open" : "closed";
      if (up && !this.queueRunning) {
        this.startWatchdog();
        this.runQueue(true);
        this.nic.wire.resumeTraffic();
      }
    } finally {
      this.controlBusy = false;
      this.poke();
    }
  }

  private isRequest(m: string): boolean {
    return (this.inst.protocol.messages[m] as { reply?: string } | undefined)?.reply !== undefined;
  }

  /** Whether the protocol's current state (the monitor's) enables message `m`. */
  private enabled(m: string): boolean {
    return this.enabledIn(String(this.inst.protocolState), m);
  }

  private enabledIn(state: string, m: string): boolean {
    return this.nextIn(state, m) !== undefined;
  }

  private nextState(m: string): string | undefined {
    return this.nextIn(String(this.inst.protocolState), m);
  }

  private nextIn(state: string, m: string): string | undefined {
    return (this.inst.protocol.states as Record<string, Record<string, string> | undefined>)[state]?.[m];
  }

  /** Stops the queue, suspends, sleeps, resumes (each step only if the protocol has it). */
  private *suspendResume(race: FaultPlan | undefined): Generator<Yield, void, unknown> {
    const w = this.workload;
    if (!this.has("suspend")) {
      this.notes.push(`protocol "${this.inst.protocol.name}" has no suspend: suspend skipped`);
      if (race !== undefined) this.unplugCard(race, "suspend-unplug: no suspend in the protocol; the card is removed anyway");
      return;
    }
    if (race === undefined) yield* this.quiesce();
    else {
      this.runQueue(false);
      this.nic.wire.pauseTraffic();
    }
    if (!this.alive()) return;
    this.stopWatchdog();
    let suspendAfter = 0;
    if (race !== undefined) {
      const window = race.windowUs ?? 20;
      const delta = Math.round((this.fraction("fault-offset") * 2 - 1) * window);
      const when = delta < 0 ? `${-delta}us before` : `${delta}us after`;
      if (delta < 0) {
        this.unplugCard(race, `card removed ${when} the suspend request`);
        suspendAfter = -delta;
      } else {
        this.after(delta, () => this.unplugCard(race, `card removed ${when} the suspend request`));
      }
    }
    if (suspendAfter > 0) yield sleep(suspendAfter);
    this.state = "suspended";
    yield* this.request("suspend");
    if (!this.alive()) return;
    yield sleep(Math.max(1, w.suspendedUs + this.jitter(50)));
    if (!this.alive() || !this.has("resume")) return;
    yield* this.request("resume");
    if (!this.alive()) return;
    this.state = "open";
    this.startWatchdog();
    this.runQueue(true);
    this.nic.wire.resumeTraffic();
  }

  /** Before close/suspend: stop the queue and traffic, and wait (bounded) for TX to drain and RX to be reported. */
  private *quiesce(): Generator<Yield, void, unknown> {
    this.runQueue(false);
    this.nic.wire.pauseTraffic();
    const limit = this.inst.now() + this.workload.drainUs;
    const drained = () => this.outstanding === 0 && (this.inRing === 0 || !this.has("recv"));
    yield* this.until(() => drained() || this.inst.now() >= limit || !this.alive(), limit);
    if (this.workload.loopback && this.alive()) {
      // The last frames sent are still on their way back: let them arrive and be reported.
      yield sleep(LOOPBACK_SETTLE_US);
      yield* this.until(() => drained() || this.inst.now() >= limit || !this.alive(), limit);
    }
  }

  private unplugCard(plan: FaultPlan, detail: string): void {
    if (this.nic.isUnplugged) return;
    this.nic.noteFault("suspend-unplug", detail);
    this.nic.unplug(plan.finalIrq ?? true, plan.noticeUs ?? 50);
  }

  /** Which open periods suspend, at what share of their frames, and which suspend races an unplug. */
  private suspendPlan(): SuspendPoint[] {
    const w = this.workload;
    const points: SuspendPoint[] = [];
    for (let c = 0; c < Math.max(1, w.cycles); c++) {
      for (let i = 0; i < w.suspends; i++) points.push({ cycle: c, fraction: (i + 0.5) / w.suspends, race: undefined });
    }
    // A suspend-unplug fault adds a suspend in the first open period that races the removal: at
    // its time (atUs), or once the OS has sent afterCount frames.
    for (const plan of this.suspendUnplug) {
      const share = plan.afterCount !== undefined ? Math.min(0.99, plan.afterCount / Math.max(1, w.frames)) : 0.5;
      points.push({ cycle: 0, fraction: share, race: plan, ...defined({ atUs: plan.atUs }) });
    }
    return points.sort((a, b) => a.cycle - b.cycle || a.fraction - b.fraction);
  }

  private *request(name: string): Generator<Yield, unknown, unknown> {
    if (name === "open" || name === "resume") this.deviceQuiet(`the ${name} request`);
    if (name === "close") this.markClosing();
    const record: RequestRecord = { name, sentUs: this.inst.now() };
    this.requests.push(record);
    this.pending++;
    this.oracles.checkpoint(`${name} sent`);
    const bound = this.after(this.workload.replyTimeoutUs, () => this.unanswered(record), true);
    try {
      const reply = yield { kind: "request", name };
      record.repliedUs = this.inst.now();
      record.status = statusOf(reply);
      this.oracles.checkpoint(`${name} answered`);
      return reply;
    } catch (error) {
      record.error = error instanceof Error ? error.message : String(error);
      this.finished = true;
      return { status: -1 };
    } finally {
      bound.cancel();
      this.pending--;
      this.poke();
    }
  }

  /**
   * Close discards what the driver still holds for the wire: frames in the TX ring or still queued
   * for it are close's, and so are those a reset still in progress holds back. A frame outstanding
   * that is in none of these (dropped earlier, or never resent after a reset) stays the driver's loss.
   */
  private markClosing(): void {
    const ring = scanTxRing(this.nic);
    const taken = this.inst.mailboxes().find((m) => m.name === "xmit")?.delivered ?? 0;
    const recovering = this.oracles.inRecovery();
    const { fate, marks } = this.tx;
    for (let seq = 0; seq < fate.length; seq++) {
      if (fate[seq] !== "outstanding") continue;
      const held = marks[seq] === 0 ? ring.has(seq) || seq >= taken : recovering && marks[seq] === TxMark.timeout;
      if (!held) continue;
      if (marks[seq] === 0) this.outstanding--;
      marks[seq] |= TxMark.close;
    }
  }

  /** Liveness: `record` waited replyTimeoutUs for its reply; the run stops here, saying where the driver is. */
  private unanswered(record: RequestRecord): void {
    if (record.repliedUs !== undefined || record.error !== undefined || this.finished) return;
    this.timedOut.add(record);
    const driver = snapshotDriver(this.inst);
    this.early.push({
      kind: "unanswered",
      message: `${record.name} (sent at ${record.sentUs}us) unanswered after ${this.workload.replyTimeoutUs}us: ${describeSnapshot(driver)}`,
      timeUs: record.sentUs,
      ...locationOf(driver),
    });
    this.finished = true;
    this.poke();
  }

  private controlFailed(error: unknown): void {
    this.notes.push(`OS thread stopped: ${error instanceof Error ? error.message : String(error)}`);
    this.finished = true;
    this.poke();
  }

  // ---- the xmit thread ---------------------------------------------------------------------

  // Unlike the control thread it is not a generator: it runs once per frame, so it is a timer
  // callback that sends one frame and schedules its next turn, or parks until wakeXmit().
  private readonly xmitStep = (): void => {
    if (this.state === "gone" || this.finished) return;
    const w = this.workload;
    if (!this.queueRunning || this.cycleFramesLeft === 0 || this.outstanding >= w.txInFlight || (w.mode === "protocol" && !this.enabled("xmit"))) {
      this.xmitParked = true;
      return;
    }
    try {
      const size = w.minSize + this.inst.choose("frame-size", Math.max(w.minSize, w.maxSize) - w.minSize + 1);
      // With a loopback wire the frames are for this station, so they come back through its filter.
      const mac = this.macNow();
      const seq = this.tx.add(w.loopback ? mac : PEER_MAC, mac, size, this.inst.now());
      const frame = makeFrame(this.tx.spec(seq, Stream.os));
      this.txStats.offered++;
      if (this.outstanding === 0) this.progressAt = this.inst.now();
      this.outstanding++;
      this.cycleFramesLeft--;
      this.framesLeft--;
      this.os["xmit"]({ frame });
      this.poke();
      this.after(roundUs(this.xmitMeanUs * (0.5 + this.fraction("gap"))), this.xmitStep);
    } catch (error) {
      this.controlFailed(error);
    }
  };

  private runQueue(running: boolean): void {
    this.queueRunning = running;
    if (running) this.wakeXmit();
  }

  private wakeXmit(): void {
    if (!this.xmitParked) return;
    this.xmitParked = false;
    // Through the clock, so the xmit thread's turn is an ordered event like any other.
    this.after(0, this.xmitStep);
  }

  // ---- interrupt context: watchdog and hotplug ---------------------------------------------

  private startWatchdog(): void {
    this.stopWatchdog();
    if (!this.has("txTimeout")) return;
    const period = this.workload.watchdogUs;
    const tick = () => {
      this.watchdog = this.after(period / 2, tick, true);
      if (this.state !== "open" || this.outstanding === 0) return;
      if (this.inst.now() - this.progressAt < period) return;
      // Linux's dev_watchdog: TX outstanding and no completion for a whole period.
      this.timeoutNow(false);
    };
    this.watchdog = this.after(period / 2, tick, true);
  }

  /**
   * The watchdog fires: explained when the transmitter is locked up or a fault landed since TX last
   * made progress; then what the driver's reset drops is that fault's, for a watchdog period. Else
   * the stall is the driver's: the finding names the frames held and where the driver waits.
   */
  private watchdogFired(issued: boolean): void {
    const cause = issued ? "issued" : this.nic.txLockedUp ? "tx-lockup" : stallExplainedBy(this.nic.faultLog, this.progressAt)?.kind;
    const driver = this.oracles.checkpoint("txTimeout");
    if (cause !== undefined) {
      this.oracles.recovering(this.inst.now() + this.workload.watchdogUs);
      for (const f of this.rx.values()) if (f.fate === "in-ring") f.atTimeout = true;
      return;
    }
    if (this.early.some((f) => f.kind === "watchdog")) return;
    const ring = scanTxRing(this.nic);
    const held = [...ring]
      .filter(([seq]) => this.tx.fate[seq] === "outstanding")
      .map(([seq, at]) => `os#${seq} in slot ${at.slot}${at.owned ? " (owned by the NIC)" : " (handed back)"}`);
    const where =
      held.length > 0
        ? `the TX ring holds ${held.slice(0, NAMED_FRAMES).join(", ")}${held.length > NAMED_FRAMES ? ` and ${held.length - NAMED_FRAMES} more` : ""}`
        : "none of them is in the TX ring";
    this.early.push({
      kind: "watchdog",
      message: `the OS watchdog fired at ${this.inst.now()}us (${this.outstanding} frame(s) outstanding, no TX progress since ${this.progressAt}us) and no injected fault explains the stall: ${where}; ${describeSnapshot(driver)}`,
      timeUs: this.inst.now(),
      ...locationOf(driver),
    });
  }

  /** txTimeout to the driver: from the watchdog, or issued by the protocol-driven OS (`issued`). */
  private timeoutNow(issued: boolean): void {
    this.txTimeouts++;
    this.watchdogFired(issued);
    this.outstanding -= this.tx.markOutstanding(TxMark.timeout);
    this.progressAt = this.inst.now();
    this.os["txTimeout"]!();
    this.wakeXmit();
    this.poke();
  }

  private stopWatchdog(): void {
    this.watchdog?.cancel();
    this.watchdog = undefined;
  }

  private onUnplugNotice(): void {
    if (this.state === "gone") return;
    this.state = "gone";
    this.stopWatchdog();
    this.runQueue(false);
    this.outstanding -= this.tx.markOutstanding(TxMark.unplug);
    for (const f of this.rx.values()) if (f.fate === "in-ring") f.atUnplug = true;
    this.oracles.checkpoint("unplug");
    if (this.has("unplug")) this.os["unplug"]();
    else this.notes.push(`protocol "${this.inst.protocol.name}" has no unplug: the driver is not told`);
    this.poke();
    this.step(this.thread("hotplug", this.awaitOwedReplies(this.inst.now() + this.workload.replyGraceUs)), undefined);
  }

  /** After `unplug`: the run ends once the replies still owed are in, or at `limit`. */
  private *awaitOwedReplies(limit: number): Generator<Yield, void, unknown> {
    yield* this.until(() => this.pending === 0 || this.inst.now() >= limit, limit);
    this.finished = true;
  }

  // ---- accounting --------------------------------------------------------------------------

  private onWireTx(frame: Uint8Array, cause: DropCause | undefined): void {
    const key = frameKey(frame);
    if (key < 0 || Math.floor(key / 0x100000000) !== Stream.os) {
      if (cause === undefined) this.txStats.bogus++;
      return;
    }
    const seq = key % 0x100000000;
    const log = this.tx;
    if (seq >= log.length) {
      this.txStats.bogus++;
      return;
    }
    const fate = log.fate[seq];
    if (fate !== "outstanding") {
      if (fate === "delivered") this.txStats.duplicates++;
      return;
    }
    if (log.marks[seq] === 0) this.outstanding--;
    this.progressAt = this.inst.now();
    if (cause !== undefined) {
      log.fate[seq] = cause;
      this.txStats.dropped[cause] = (this.txStats.dropped[cause] ?? 0) + 1;
      if (!this.txDropExcused(cause)) this.oracles.unexplainedDrop("TX", cause, frame);
    } else if (!isFrameOf(frame, log.spec(seq, Stream.os))) {
      log.fate[seq] = "corrupted";
      this.txStats.corrupted++;
    } else {
      log.fate[seq] = "delivered";
      this.txStats.delivered++;
    }
    this.wakeXmit();
    this.poke();
  }

  private onWireRx(frame: Uint8Array, result: RxResult): void {
    const key = frameKey(frame);
    if (key < 0) return;
    const stream = Math.floor(key / 0x100000000);
    const seq = key - stream * 0x100000000;
    if (this.rx.get(stream, seq) !== undefined) {
      this.rxStats.duplicates++;
      return;
    }
    this.rxStats.offered++;
    if (result === "ok") {
      this.rx.set(stream, seq, { len: frame.length, bytes: frame, fate: "in-ring", atTimeout: false, atUnplug: false, atUs: this.inst.now() });
      this.inRing++;
      this.poke();
    } else {
      this.rx.set(stream, seq, { len: frame.length, bytes: undefined, fate: result, atTimeout: false, atUnplug: false, atUs: this.inst.now() });
      this.rxStats.dropped[result] = (this.rxStats.dropped[result] ?? 0) + 1;
      if (!this.rxDropExcused(result, stream)) this.oracles.unexplainedDrop("RX", result, frame);
    }
  }

  private onRecv(payload: { frame?: unknown }): void {
    const frame = payload?.frame;
    if (!(frame instanceof Uint8Array)) {
      this.rxStats.bogus++;
      this.notes.push("recv without a Uint8Array frame");
      return;
    }
    const key = frameKey(frame);
    const f = key < 0 ? undefined : this.rx.get(Math.floor(key / 0x100000000), key % 0x100000000);
    if (f === undefined) {
      this.rxStats.bogus++;
      return;
    }
    if (f.fate !== "in-ring") {
      if (f.fate === "received") this.rxStats.duplicates++;
      else this.rxStats.bogus++;
      return;
    }
    this.inRing--;
    if (!sameFrame(frame, f.bytes)) {
      f.fate = "corrupted";
      this.rxStats.corrupted++;
    } else {
      f.fate = "received";
      this.rxStats.delivered++;
    }
    f.bytes = undefined;
    this.poke();
  }

  /**
   * Whether a fault touched this TX frame: the lock-up held it, the link was down (a flap) or the
   * card gone as it went out, or the driver reset the chip while recovering from a fault or serving
   * a request. Decided when the frame is dropped, from what had happened by then.
   */
  private txDropExcused(cause: DropCause): boolean {
    switch (cause) {
      case "tx-lockup":
      case "tx-unplugged":
        return true;
      case "tx-link-down":
        return this.nic.faultLog.some((f) => f.kind === "link-flap");
      case "tx-reset":
        return this.oracles.inRecovery() || this.pending > 0;
      default:
        return false;
    }
  }

  /**
   * Whether a fault (or the OS itself) explains an RX drop at the NIC: the injected overflow and its
   * burst, a link down in a flap, a removed card; a receiver off or a ring full while the interface
   * is not open, a request is being served or the driver recovers from a fault. Policy drops (filter,
   * size) are the configuration's, noted apart.
   */
  private rxDropExcused(cause: DropCause, stream: number): boolean {
    switch (cause) {
      case "rx-fifo-overflow":
      case "rx-unplugged":
      case "rx-filtered":
      case "rx-too-long":
        return true;
      case "rx-link-down":
        return this.nic.faultLog.some((f) => f.kind === "link-flap");
      case "rx-no-descriptor":
      case "rx-disabled":
        return stream === Stream.burst || this.state !== "open" || this.pending > 0 || this.oracles.inRecovery();
      default:
        return false;
    }
  }

  // ---- helpers -----------------------------------------------------------------------------

  /**
   * Whether the driver's protocol has this message. A method, not a closure assigned in the
   * constructor: on Node 20, V8 keeps a fresh closure stored into a named property alive until the
   * next full GC, and the closure's context held the whole run (instance, NIC, rings), so every
   * run survived the scavenges (half of what each collected) and GC was a quarter of a short run.
   */
  private has(name: string): boolean {
    return this.messageNames.has(name);
  }

  private alive(): boolean {
    return this.state !== "gone" && !this.finished;
  }

  private after(delayUs: number, fn: () => void, background = false): TimerHandle {
    const handle = this.schedule(onNanosecondGrid(this.inst.now(), Math.max(0, delayUs)), fn);
    // Periodic timers must not keep idle() going (the runtime's handles can be unref'd).
    if (background) (handle as { unref?: () => void }).unref?.();
    return handle;
  }

  /**
   * Blocks until `cond` holds (or the run is finished). The OS events that can change a condition
   * call poke(); `deadlineUs` (virtual time) is when a condition on time becomes true.
   */
  private *until(cond: () => boolean, deadlineUs = Infinity): Generator<Yield, void, unknown> {
    while (!cond() && !this.finished) {
      const timedOut = yield { kind: "until", cond, deadline: deadlineUs };
      if (timedOut === true) return;
    }
  }

  /**
   * Something an until() condition reads changed: if a blocked thread's condition holds now, it
   * goes on in its own timer event at this instant (never inside the event that poked it).
   */
  private poke(): void {
    if (this.waiters.length === 0 || this.recheckQueued) return;
    for (const w of this.waiters) {
      if (this.finished || w.cond()) {
        this.recheckQueued = true;
        this.after(0, () => this.recheck());
        return;
      }
    }
  }

  private recheck(): void {
    this.recheckQueued = false;
    for (const w of this.waiters.slice()) {
      if (this.finished || w.cond()) this.release(w);
    }
  }

  private release(w: Waiter, timedOut = false): void {
    const i = this.waiters.indexOf(w);
    if (i < 0) return;
    this.waiters.splice(i, 1);
    w.deadline?.cancel();
    this.step(w.thread, timedOut);
  }

  private thread(name: string, gen: Generator<Yield, void, unknown>): OsThread {
    const thread: OsThread = { name, gen, resume: () => this.step(thread, undefined) };
    return thread;
  }

  /** Runs an OS thread until it sleeps, parks or waits for a reply. */
  private step(thread: OsThread, input: unknown, error?: unknown): void {
    const value = input;
    let thrown = error;
    for (;;) {
      if (this.finished && thread.name !== "hotplug") return;
      let r: IteratorResult<Yield, void>;
      try {
        r = thrown !== undefined ? thread.gen.throw(thrown) : thread.gen.next(value);
      } catch (e) {
        this.controlFailed(e);
        return;
      }
      if (r.done === true) return;
      const y = r.value;
      if (y.kind === "sleep") {
        this.after(y.us, thread.resume);
        return;
      }
      if (y.kind === "until") {
        const waiter: Waiter = { thread, cond: y.cond, deadline: undefined };
        if (y.deadline !== Infinity) waiter.deadline = this.after(Math.max(0, y.deadline - this.inst.now()), () => this.release(waiter, true));
        this.waiters.push(waiter);
        return;
      }
      // A request: the reply settles while the driver runs (the runtime drains that work before
      // the clock moves), so stepping on from the promise keeps the OS at the reply's instant.
      let reply: Promise<unknown>;
      try {
        reply = Promise.resolve(this.os[y.name]());
        if (this.workload.mode === "protocol") this.raceRequest();
      } catch (e) {
        // The call itself threw (the instance stopped): the request sees it as its failure.
        thrown = e ?? new Error(`${y.name} failed`);
        continue;
      }
      reply.then(
        (v) => this.step(thread, v),
        (e: unknown) => this.step(thread, undefined, e ?? new Error(`${y.name} failed`)),
      );
      return;
    }
  }

  /** The NIC's MAC as it is now, as an array that never changes (frames specs keep it). */
  private macNow(): Uint8Array {
    const live = this.nic.mac;
    let mac = this.mac;
    if (mac === undefined || mac[0] !== live[0] || mac[1] !== live[1] || mac[2] !== live[2] || mac[3] !== live[3] || mac[4] !== live[4] || mac[5] !== live[5]) {
      mac = this.mac = live.slice();
    }
    return mac;
  }

  private jitter(maxUs: number): number {
    return this.inst.choose("gap", maxUs);
  }

  /** A share of a window in [0, 1), as a decision of the run's chooser. */
  private fraction(kind: ChoiceKind): number {
    return this.inst.choose(kind, FRACTION_STEPS) / FRACTION_STEPS;
  }
}

/** Drops the device makes by design (its configuration, or the driver's), not losses to explain by a fault. */
const DEVICE_POLICY_DROPS = new Set(["rx-filtered", "rx-too-long"]);

function locationOf(driver: DriverSnapshot | undefined): { location?: SourceLocation } {
  const loc = driver !== undefined ? snapshotLocation(driver) : undefined;
  return loc !== undefined ? { location: loc } : {};
}

function emptyAccount(): FrameAccount {
  return { offered: 0, delivered: 0, dropped: {}, lost: 0, corrupted: 0, duplicates: 0, bogus: 0 };
}

function statusOf(reply: unknown): number | undefined {
  const s = (reply as { status?: unknown } | undefined)?.status;
  return typeof s === "number" ? s : undefined;
}

/** Byte equality (native compare: frames are checked twice each on the hot path). */
function sameFrame(a: Uint8Array, b: Uint8Array | undefined): boolean {
  return b !== undefined && a.length === b.length && Buffer.compare(a, b) === 0;
}

function roundUs(us: number): number {
  return Math.max(0.001, Math.round(us * 1000) / 1000);
}
