// The passive model, for comparison on the same protocol: entry points called by simulated OS
// threads (each inst.os call), `irq` in interrupt context (a zero-delay timer after the device
// raises it), deferred work on a worker (k.schedule), async locks. The protocol monitor applies.
import { formatWithOptions } from "node:util";
import { createBus, type BusSide } from "./bus";
import type { Core } from "./core";
import type { Engine } from "./engine";
import { DriverError, driverFailure, usageError } from "./errors";
import type { Mailbox } from "./mailbox";
import { codes } from "./tracer";
import type { PassiveDriverDefinition, PassiveKernel, ThreadSnapshot } from "./types";
import { callerOf } from "./where";

const { SEND, DELIVER, FAULT, LOG, NONE } = codes;

type Api = (...args: never[]) => unknown;
type EntryPoint = (payload: unknown) => unknown;

interface Activity {
  readonly name: string;
  readonly lifeline: number;
  status: "running" | "waiting" | "sleeping";
  waitingOn: string[];
}

interface Lock {
  held: boolean;
  readonly waiters: (() => void)[];
}

/** Not on any stack: the passive runner's own sends have no driver call site. */
const noCallSite: Api = () => undefined;

export class PassiveRunner implements Engine, BusSide {
  readonly model = "passive";
  /** The delivery gate applies to active drivers only: a passive driver has no deliveries to hold. */
  readonly held = null;
  progress = 0;
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

  private makeKernel(): PassiveKernel {
    const schedule = (fn: () => unknown): void => {
      this.step(schedule);
      if (typeof fn !== "function") throw usageError("k.schedule(fn): fn must be a function", this.activityName(), callerOf(schedule));
      this.core.clock.after(0, () => this.invoke("worker", fn, undefined));
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
      const waiter = this.block("waiting", name);
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
      if (!(ms >= 0) || !Number.isFinite(ms)) throw usageError(`k.sleep(${ms}): expected a finite number of milliseconds >= 0`, this.activityName(), callerOf(sleep));
      const sleeper = this.block("sleeping", `${ms} ms`);
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
      this.core.tracer?.emit(LOG, this.lifeline(), NONE, NONE, -1, NONE, this.core.locations ? callerOf(log) : undefined, undefined, text.slice(0, 500));
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
      this.enter(this.core.irq, { isr }, this.core.nicId, "irq", undefined);
    });
  }

  private enter(mb: Mailbox, payload: unknown, from: number, name: string, done: ((value: unknown) => void) | undefined): void {
    const core = this.core;
    const tracer = core.tracer;
    const lifeline = core.traceId(`thread:${name}`);
    mb.sent++;
    const ref = tracer === null ? -1 : tracer.summary(payload);
    tracer?.emit(SEND, from, lifeline, mb.traceId, ref, NONE, undefined);
    if (mb.message >= 0) core.arrived(mb);
    const fn = this.entries[name];
    if (typeof fn !== "function") {
      if (mb === core.irq) tracer?.emit(FAULT, core.adapterId, NONE, mb.traceId, ref, NONE, undefined, "unhandled", "the passive driver has no irq entry point");
      else core.fail(new DriverError(`the passive driver has no entry point "${name}" (protocol "${core.protocol.name}" sends it)`, name, undefined));
      return;
    }
    mb.delivered++;
    tracer?.emit(DELIVER, lifeline, NONE, mb.traceId, ref, NONE, undefined);
    this.invoke(name, () => fn.call(this.entries, payload), done);
  }

  /** Runs one activity (entry point, irq, scheduled work); its value goes to `done`, a throw fails the driver. */
  private invoke(name: string, fn: () => unknown, done: ((value: unknown) => void) | undefined): void {
    if (this.halted) return;
    const activity: Activity = { name, lifeline: this.core.traceId(`thread:${name}`), status: "running", waitingOn: [] };
    const outer = this.currentActivity;
    this.currentActivity = activity;
    this.progress++;
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.failed(name, error);
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
          if (!this.halted) done?.(value);
          if (!this.busy()) this.core.quiet();
        },
        (error: unknown) => {
          this.activities.delete(activity);
          this.failed(name, error);
        },
      );
    } else done?.(result);
  }

  private failed(name: string, error: unknown): void {
    if (this.halted) return;
    this.core.fail(driverFailure(name === "worker" ? "scheduled work" : `entry point "${name}"`, error), this.core.traceId(`thread:${name}`));
  }

  private block(status: "waiting" | "sleeping", on: string): Activity {
    const activity = this.currentActivity ?? [...this.activities].pop() ?? { name: "kernel", lifeline: this.kernelLifeline, status, waitingOn: [] };
    activity.status = status;
    activity.waitingOn = [on];
    this.blockedCount++;
    this.progress++;
    return activity;
  }

  private unblock(activity: Activity): void {
    activity.status = "running";
    activity.waitingOn = [];
    this.blockedCount--;
    this.progress++;
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
    return !this.halted && this.activities.size > this.blockedCount;
  }

  busyName(): string {
    const running = [...this.activities].filter((a) => a.status === "running").map((a) => a.name);
    return `passive ${running.length > 1 ? "activities" : "activity"} ${running.map((n) => `"${n}"`).join(", ")}`;
  }

  halt(): void {
    this.halted = true;
  }

  threads(): ThreadSnapshot[] {
    return [...this.activities].map((a) => ({ name: a.name, status: a.status, waitingOn: a.waitingOn }));
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
