// The passive model, for comparison on the same protocol: entry points called by simulated OS
// threads (each inst.os call), `irq` in interrupt context (a zero-delay timer after the device
// raises it), deferred work on a worker (k.schedule), async locks. The protocol monitor applies.
//
// With a delivery gate (a debugger), each entry-point call and each run of scheduled work is gated
// first, at a point where nothing else of the driver can run, so holding it there changes nothing
// else and a replay of the seed gives the same trace wherever the debugger holds: interrupts and
// scheduled work start from a timer already; an OS call's entry point runs just after the calling
// OS step (a microtask) instead of inside it, or from a zero-delay timer when another call is
// pending or held. Without a gate none of this runs.
import { formatWithOptions } from "node:util";
import { createBus, type BusSide } from "./bus";
import type { Core } from "./core";
import type { Engine } from "./engine";
import { DriverError, driverFailure, usageError } from "./errors";
import type { Mailbox } from "./mailbox";
import { codes } from "./tracer";
import type { SourceLocation } from "./trace";
import type { DeliveryEvent, DeliveryGate, PassiveDriverDefinition, PassiveKernel, ThreadSnapshot } from "./types";
import { callerOf } from "./where";

const { SEND, DELIVER, FAULT, LOG, NONE } = codes;

type Api = (...args: never[]) => unknown;
type EntryPoint = (payload: unknown) => unknown;

interface Activity {
  readonly name: string;
  readonly lifeline: number;
  status: "running" | "waiting" | "sleeping";
  waitingOn: string[];
  /** Where it blocks (gated runs only: a stack capture per block). */
  loc?: SourceLocation;
  wakeAt?: number;
}

/** The context an interrupt calls the `irq` entry point in (its thread and lifeline). */
const INTERRUPT = "interrupt";
/** Latencies of scheduled work a chooser that orders threads may pick (index 0: at once). */
const WORKER_DELAYS_US = [0, 10, 100, 1000] as const;
/** The context scheduled work runs in. */
const WORKER = "worker";

interface Lock {
  held: boolean;
  readonly waiters: (() => void)[];
}

/** Not on any stack: the passive runner's own sends have no driver call site. */
const noCallSite: Api = () => undefined;

export class PassiveRunner implements Engine, BusSide {
  readonly model = "passive";
  /** Set while the delivery gate holds an entry-point call or scheduled work. */
  held: Promise<void> | null = null;
  progress = 0;
  private readonly gate: DeliveryGate | undefined;
  /** Gated runs: arrivals so far (entry-point calls and scheduled work), numbering the deliveries. */
  private arrivals = 0;
  /** The thread whose call the gate holds (shown as runnable). */
  private holding: string | null = null;
  /** Gated OS calls waiting for the end of the calling OS step (they keep the runner busy). */
  private queued = 0;
  private entries: Record<string, EntryPoint> = {};
  private halted = false;
  /** Activities (entry-point calls, irq, scheduled work) that have not finished. */
  private readonly activities = new Set<Activity>();
  /** Of those, the ones blocked in k.lock or k.sleep. */
  private blockedCount = 0;
  /** The activity whose synchronous part runs now (attribution of k.* calls). */
  private currentActivity: Activity | null = null;
  private readonly locks = new Map<string, Lock>();
  private readonly kernelLifeline: number;

  constructor(
    private readonly core: Core,
    private readonly definition: PassiveDriverDefinition,
  ) {
    this.kernelLifeline = core.traceId("thread:kernel");
    this.gate = core.gate;
  }

  start(): void {
    let entries: unknown;
    try {
      entries = this.definition.setup(this.makeKernel());
    } catch (error) {
      this.core.fail(driverFailure("passive driver setup", error));
      return;
    }
    if (entries === null || typeof entries !== "object") {
      this.core.fail(new DriverError("passive driver setup must return an object of entry points", undefined, undefined));
      return;
    }
    this.entries = entries as Record<string, EntryPoint>;
  }

  /**
   * When scheduled work starts: at once, unless the run's chooser orders threads and picks a
   * worker that comes later (the OS may act first: a close that races the deferred work).
   */
  private workerDelay(): number {
    if (!this.core.threadChoices) return 0;
    return WORKER_DELAYS_US[this.core.chooser.choose("thread", WORKER_DELAYS_US.length, (i) => `worker+${WORKER_DELAYS_US[i]}us`)]!;
  }

  private makeKernel(): PassiveKernel {
    const schedule = (fn: () => unknown): void => {
      this.step(schedule);
      if (typeof fn !== "function") throw usageError("k.schedule(fn): fn must be a function", this.activityName(), callerOf(schedule));
      if (this.gate === undefined) {
        this.core.clock.after(this.workerDelay(), () => this.invoke(WORKER, undefined, fn, undefined));
        return;
      }
      const seq = this.arrivals++;
      const from = this.activityName();
      const loc = callerOf(schedule);
      this.core.clock.after(0, () => {
        if (this.halted) return;
        this.hold(this.event("work", WORKER, "work", undefined, seq, from, loc), () => this.invoke(WORKER, undefined, fn, undefined));
      });
    };
    const lock = (name: string): Promise<void> => {
      this.step(lock);
      let l = this.locks.get(name);
      if (l === undefined) {
        l = { held: false, waiters: [] };
        this.locks.set(name, l);
      }
      if (!l.held) {
        l.held = true;
        return Promise.resolve();
      }
      const waiter = this.block("waiting", name, lock);
      return new Promise<void>((resolve) =>
        l.waiters.push(() => {
          this.unblock(waiter);
          resolve();
        }),
      );
    };
    const unlock = (name: string): void => {
      this.step(unlock);
      const l = this.locks.get(name);
      if (l === undefined || !l.held) throw usageError(`k.unlock("${name}"): the lock is not held`, this.activityName(), callerOf(unlock));
      const next = l.waiters.shift();
      if (next !== undefined) next();
      else l.held = false;
    };
    const sleep = (ms: number): Promise<void> => {
      this.step(sleep);
      if (!(ms >= 0) || !Number.isFinite(ms))
        throw usageError(`k.sleep(${ms}): expected a finite number of milliseconds >= 0`, this.activityName(), callerOf(sleep));
      const sleeper = this.block("sleeping", `${ms} ms`, sleep);
      sleeper.wakeAt = this.core.clock.now + ms * 1000;
      return new Promise<void>((resolve) =>
        this.core.clock.after(ms * 1000, () => {
          this.unblock(sleeper);
          resolve();
        }),
      );
    };
    const send = (name: string, payload?: unknown): void => {
      this.step(send);
      const mb = this.core.byName.get(name);
      if (mb === undefined || mb.direction !== "out") {
        throw usageError(`k.send("${name}"): not an outgoing message of protocol "${this.core.protocol.name}"`, this.activityName(), callerOf(send));
      }
      this.core.outgoing(mb, payload, this.lifeline(), this.activityName(), send);
    };
    const log = (...args: unknown[]): void => {
      this.step(log);
      const text = formatWithOptions({ depth: 2, breakLength: Infinity }, ...args);
      this.core.tracer?.emit(LOG, this.lifeline(), NONE, NONE, -1, NONE, this.core.callLocations ? callerOf(log) : undefined, undefined, text.slice(0, 500));
    };
    return Object.freeze({ dev: Object.freeze(createBus(this.core, this)), schedule, lock, unlock, sleep, send, log }) as unknown as PassiveKernel;
  }

  // ------------------------------------------------------------------ calls into the driver

  osSend(mb: Mailbox, payload: unknown): void {
    if (this.halted) return;
    const core = this.core;
    const reply = core.replyOf(mb.name);
    // core.request queued this call last; a passive driver answers it itself, in any order.
    const call = reply?.lastPending();
    this.enter(mb, payload, core.osId, mb.name, (value) => {
      if (reply !== undefined && call !== undefined) core.outgoing(reply, value, core.traceId(`thread:${mb.name}`), mb.name, noCallSite, call);
    });
  }

  interrupt(isr: number): void {
    // Interrupt context: after the device's current step, at the same virtual time.
    this.core.clock.after(0, () => {
      if (this.halted) return;
      this.enter(this.core.irq, { isr }, this.core.nicId, INTERRUPT, undefined);
    });
  }

  /** A call of entry point `mb.name` on thread `thread` (an OS thread, or interrupt context). */
  private enter(mb: Mailbox, payload: unknown, from: number, thread: string, done: ((value: unknown) => void) | undefined): void {
    const core = this.core;
    const tracer = core.tracer;
    const lifeline = core.traceId(`thread:${thread}`);
    mb.sent++;
    const ref = tracer === null ? -1 : tracer.summary(payload);
    tracer?.emit(SEND, from, lifeline, mb.traceId, ref, NONE, undefined);
    if (mb.message >= 0) core.arrived(mb);
    const name = mb.name;
    const fn = this.entries[name];
    if (typeof fn !== "function") {
      if (mb === core.irq)
        tracer?.emit(FAULT, core.adapterId, NONE, mb.traceId, ref, NONE, undefined, "unhandled", "the passive driver has no irq entry point");
      else core.fail(new DriverError(`the passive driver has no entry point "${name}" (protocol "${core.protocol.name}" sends it)`, name, undefined));
      return;
    }
    if (this.gate !== undefined) {
      this.enterGated(mb, payload, from, thread, lifeline, ref, fn, done);
      return;
    }
    mb.delivered++;
    tracer?.emit(DELIVER, lifeline, NONE, mb.traceId, ref, NONE, undefined);
    this.invoke(thread, name, () => fn.call(this.entries, payload), done);
  }

  /** `enter` with a gate: the call is numbered, gated once the calling step is over (see the top of the file), then made. */
  private enterGated(
    mb: Mailbox,
    payload: unknown,
    from: number,
    thread: string,
    lifeline: number,
    ref: number,
    fn: EntryPoint,
    done: ((value: unknown) => void) | undefined,
  ): void {
    const core = this.core;
    const seq = this.arrivals++;
    const deliver = (): void => {
      mb.delivered++;
      core.tracer?.emit(DELIVER, lifeline, NONE, mb.traceId, ref, NONE, undefined);
      this.invoke(thread, mb.name, () => fn.call(this.entries, payload), done);
    };
    const gated = (): void => {
      if (!this.halted) this.hold(this.event("message", thread, mb.name, payload, seq, from === core.nicId ? "nic" : "os", undefined), deliver);
    };
    if (from === core.nicId) {
      gated(); // interrupt context: a timer already
      return;
    }
    // Never ask the gate while it holds, nor twice in one OS step: the call after the first waits for a timer.
    if (this.held !== null || this.queued > 0) {
      core.clock.after(0, gated);
      return;
    }
    this.queued++;
    queueMicrotask(() => {
      this.queued--;
      gated();
      if (!this.busy()) core.quiet();
    });
  }

  private event(
    kind: "message" | "work",
    thread: string,
    mailbox: string,
    message: unknown,
    seq: number,
    from: string,
    loc: SourceLocation | undefined,
  ): DeliveryEvent {
    const core = this.core;
    const payload = kind === "work" ? "" : (core.summary(message) ?? "");
    const event: { -readonly [K in keyof DeliveryEvent]: DeliveryEvent[K] } = {
      kind,
      thread,
      mailbox,
      payload,
      message,
      seq,
      time: core.clock.now,
      state: core.monitor.stateName,
      from,
    };
    if (loc !== undefined) event.loc = loc;
    return event;
  }

  /** Asks the gate; `go` runs now, or once the promise the gate returned settles. */
  private hold(event: DeliveryEvent, go: () => void): void {
    let held: unknown;
    try {
      held = this.gate!(event);
    } catch (error) {
      held = undefined;
      this.core.osErrors.push(error);
    }
    if (held === undefined || held === null || typeof (held as PromiseLike<void>).then !== "function") {
      go();
      return;
    }
    this.holding = event.thread;
    const release = (): void => {
      this.held = null;
      this.holding = null;
      this.progress++;
      this.core.onProgress();
      if (!this.halted) go();
    };
    this.held = Promise.resolve(held as PromiseLike<void>).then(release, (error: unknown) => {
      this.core.osErrors.push(error);
      release();
    });
  }

  /**
   * Runs one activity on thread `name`: entry point `entry`, or scheduled work (no entry). Its value
   * goes to `done`, a throw fails the driver.
   */
  private invoke(name: string, entry: string | undefined, fn: () => unknown, done: ((value: unknown) => void) | undefined): void {
    if (this.halted) return;
    const activity: Activity = { name, lifeline: this.core.traceId(`thread:${name}`), status: "running", waitingOn: [], loc: undefined, wakeAt: undefined };
    const outer = this.currentActivity;
    this.currentActivity = activity;
    this.progress++;
    this.core.onProgress();
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.failed(name, entry, error);
      return;
    } finally {
      this.currentActivity = outer;
    }
    if (result !== null && typeof result === "object" && typeof (result as PromiseLike<unknown>).then === "function") {
      this.activities.add(activity);
      (result as PromiseLike<unknown>).then(
        (value) => {
          this.activities.delete(activity);
          this.progress++;
          this.core.onProgress();
          if (!this.halted) done?.(value);
          if (!this.busy()) this.core.quiet();
        },
        (error: unknown) => {
          this.activities.delete(activity);
          this.failed(name, entry, error);
        },
      );
    } else done?.(result);
  }

  private failed(name: string, entry: string | undefined, error: unknown): void {
    if (this.halted) return;
    this.core.fail(driverFailure(entry === undefined ? "scheduled work" : `entry point "${entry}"`, error), this.core.traceId(`thread:${name}`));
  }

  private block(status: "waiting" | "sleeping", on: string, api: Api): Activity {
    const activity = this.currentActivity ??
      [...this.activities].pop() ?? { name: "kernel", lifeline: this.kernelLifeline, status, waitingOn: [], loc: undefined, wakeAt: undefined };
    activity.status = status;
    activity.waitingOn = [on];
    // Where it blocks, as active threads record it: with tracing (locations) or a gate.
    if (this.core.locations) activity.loc = callerOf(api);
    this.blockedCount++;
    this.progress++;
    this.core.onProgress();
    return activity;
  }

  private unblock(activity: Activity): void {
    activity.status = "running";
    activity.waitingOn = [];
    activity.loc = undefined;
    activity.wakeAt = undefined;
    this.blockedCount--;
    this.progress++;
    this.core.onProgress();
  }

  private activityName(): string {
    return this.currentActivity?.name ?? "kernel";
  }

  // ------------------------------------------------------------------ BusSide and Engine

  step(api: Api): void {
    if (this.halted) throw new DriverError(`the driver instance is ${this.core.status}: no more driver calls`, this.activityName(), callerOf(api));
    this.progress++;
  }

  lifeline(): number {
    return this.currentActivity?.lifeline ?? this.kernelLifeline;
  }

  busy(): boolean {
    return !this.halted && (this.activities.size > this.blockedCount || this.held !== null || this.queued > 0);
  }

  busyName(): string {
    const running = [...this.activities].filter((a) => a.status === "running").map((a) => a.name);
    if (this.holding !== null) running.push(this.holding);
    return `passive ${running.length > 1 ? "activities" : "activity"} ${running.map((n) => `"${n}"`).join(", ")}`;
  }

  halt(): void {
    this.halted = true;
  }

  threads(): ThreadSnapshot[] {
    const threads = [...this.activities].map((a) => {
      const snapshot: { -readonly [K in keyof ThreadSnapshot]: ThreadSnapshot[K] } = { name: a.name, status: a.status, waitingOn: a.waitingOn };
      if (a.loc !== undefined) snapshot.loc = a.loc;
      if (a.wakeAt !== undefined) snapshot.wakeAt = a.wakeAt;
      return snapshot;
    });
    if (this.holding !== null) threads.push({ name: this.holding, status: "runnable", waitingOn: [] });
    return threads;
  }

  internalMailboxes(): Mailbox[] {
    return [];
  }

  whereWaits(mb: Mailbox): { thread: string; loc: undefined } | undefined {
    return mb.message >= 0 ? { thread: mb.name, loc: undefined } : undefined;
  }

  waiterOf(mb: Mailbox): string | undefined {
    return mb.message >= 0 && typeof this.entries[mb.name] === "function" ? mb.name : undefined;
  }
}
