// The cooperative domain of an active driver (paper, section 5): mailboxes with arrival numbers,
// a dispatcher that wakes the blocked thread holding the earliest-arrived message, and `d`.
//
// Hot path: a wait that finds a message already queued returns a resolved promise at once (no
// suspension of the domain, no allocation besides the result); a message for an idle domain whose
// thread waits on that mailbox is handed over directly, without queueing.
import { formatWithOptions } from "node:util";
import { createDeviceHandle, type BusSide } from "./bus";
import type { Core } from "./core";
import type { Engine } from "./engine";
import { DriverError, driverFailure, usageError } from "./errors";
import { Mailbox } from "./mailbox";
import type { Monitor } from "./monitor";
import { ReadyQueue } from "./readyQueue";
import { Thread } from "./thread";
import { codes, type Tracer } from "./tracer";
import type { SourceLocation } from "./trace";
import type { DeliveryEvent, DriverContext, DriverDefinition, ThreadSnapshot } from "./types";
import { callerOf } from "./where";

const { SEND, DELIVER, WAIT, WAKE, LOG, NONE } = codes;

/** What `wait` resolves to. */
class Delivery {
  constructor(
    readonly mb: Mailbox,
    readonly name: string,
    readonly msg: unknown,
  ) {}
}

// One executor for every blocking wait: no closure per wait.
let capturedResolve: (value: unknown) => void = () => {};
function captureResolve(resolve: (value: unknown) => void): void {
  capturedResolve = resolve;
}
const never = (): Promise<never> => new Promise<never>(() => {});

type Api = (...args: never[]) => unknown;

export class Domain implements Engine, BusSide {
  readonly model = "active";
  progress = 0;
  held: Promise<void> | null = null;
  readonly context: DriverContext;
  private seq = 0;
  private current: Thread | null = null;
  private lastThread: Thread | null = null;
  private readonly threadList: Thread[] = [];
  private readonly threadNames = new Set<string>();
  /** Blocked threads that hold a deliverable message. */
  private readonly ready = new ReadyQueue();
  /** Ask the chooser which ready thread resumes (else arrival order). */
  private readonly threadChoices: boolean;
  /** Driver calls since the running thread last waited. */
  private steps = 0;
  private halted = false;
  private readonly internal = new Map<string, Mailbox>();
  private readonly tracer: Tracer | null;
  /** Copies of core settings read on every message. */
  private readonly gated: boolean;
  private readonly locations: boolean;
  private readonly callLocations: boolean;
  private readonly maxQueued: number;
  private readonly monitor: Monitor;

  constructor(
    private readonly core: Core,
    private readonly definition: DriverDefinition,
  ) {
    this.tracer = core.tracer;
    this.gated = core.gate !== undefined;
    this.locations = core.locations;
    this.callLocations = core.callLocations;
    this.maxQueued = core.maxQueued;
    this.monitor = core.monitor;
    this.threadChoices = core.threadChoices;
    this.context = this.makeContext();
  }

  start(): void {
    this.spawnThread("main", this.definition.main as Thread["fn"]);
    this.dispatch();
  }

  // ------------------------------------------------------------------ d

  private makeContext(): DriverContext {
    const mb: Record<string, Mailbox> = {};
    for (const box of this.core.mailboxes) mb[box.name] = box;
    // wait() runs once per message: up to 8 mailboxes go through a reused array instead of a rest
    // array per call (arguments.length alone does not make V8 build an arguments object).
    const scratch: Mailbox[] = new Array<Mailbox>(8);
    const domain = this; // eslint-disable-line @typescript-eslint/no-this-alias
    const wait = function (a: Mailbox, b: Mailbox, c: Mailbox, d: Mailbox, e: Mailbox, f: Mailbox, g: Mailbox, h: Mailbox): Promise<unknown> {
      const n = arguments.length;
      // eslint-disable-next-line prefer-rest-params
      if (n > 8) return domain.wait(Array.prototype.slice.call(arguments) as Mailbox[], n, wait);
      scratch[0] = a;
      scratch[1] = b;
      scratch[2] = c;
      scratch[3] = d;
      scratch[4] = e;
      scratch[5] = f;
      scratch[6] = g;
      scratch[7] = h;
      return domain.wait(scratch, n, wait);
    };
    const send = (mailbox: Mailbox, payload?: unknown): void => this.send(mailbox, payload, send);
    const mailbox = (name: string): Mailbox => this.mailbox(name, mailbox);
    const spawn = (name: string, fn: Thread["fn"]): void => this.spawn(name, fn, spawn);
    const sleep = (ms: number): Promise<unknown> => this.sleep(ms, sleep);
    const log = (...args: unknown[]): void => this.log(args, log);
    const dev = createDeviceHandle(this.core, this, this.core.irq);
    return Object.freeze({ mb: Object.freeze(mb), wait, send, mailbox, spawn, sleep, dev, log }) as unknown as DriverContext;
  }

  /** `mbs[0..n)`: the mailboxes (the array may be longer, and reused by the caller). */
  private wait(mbs: Mailbox[], n: number, api: Api): Promise<unknown> {
    if (this.halted) return never();
    const t = this.current;
    if (t === null)
      throw this.usage(
        api,
        "wait() was called while no thread of this driver runs: a second wait before the first returned (a missing await?), or a call from a callback",
      );
    if (n === 0) throw this.usage(api, "wait() needs at least one mailbox");
    const core = this.core;
    let best: Mailbox | null = null;
    let bestSeq = Infinity;
    for (let i = 0; i < n; i++) {
      const mb = mbs[i];
      if (mb == null || mb.owner !== core) throw this.usage(api, `wait(): argument ${i + 1} is not a mailbox of this driver`);
      if (mb.direction === "out")
        throw this.usage(
          api,
          `thread "${t.name}" waits on outgoing mailbox "${mb.name}": outgoing mailboxes carry messages from the driver to the OS; send on them`,
        );
      const w = mb.waiter;
      if (w !== null && w !== t) {
        throw this.usage(
          api,
          `thread "${t.name}" waits on mailbox "${mb.name}", on which thread "${w.name}" already waits: at most one thread may wait on a mailbox`,
        );
      }
      if (mb.size !== 0) {
        const s = mb.headSeq();
        if (s < bestSeq) {
          bestSeq = s;
          best = mb;
        }
      }
    }
    this.steps = 0;
    this.progress++;
    this.core.onProgress();
    const loc = this.locations ? callerOf(api) : undefined;
    // With thread choices, another ready thread may go first: the dispatcher decides.
    if (best !== null && !this.gated && (this.threadChoices ? this.ready.size === 0 : this.ready.topKey() > bestSeq)) {
      // Fast path: the message is already here; the thread goes on without the domain suspending it.
      const tracer = this.tracer;
      if (tracer !== null) tracer.emit(DELIVER, t.lifeline, NONE, best.traceId, best.headRef(), NONE, loc);
      const payload = best.take();
      return Promise.resolve(new Delivery(best, best.name, payload));
    }
    this.block(t, mbs, n, "waiting", loc);
    const tracer = this.tracer;
    if (tracer !== null)
      tracer.emit(
        WAIT,
        t.lifeline,
        NONE,
        tracer.id(
          mbs
            .slice(0, n)
            .map((m) => m.name)
            .join(","),
        ),
        -1,
        NONE,
        loc,
      );
    const promise = new Promise(captureResolve);
    t.resolve = capturedResolve;
    this.current = null;
    this.dispatch();
    return promise;
  }

  private sleep(ms: number, api: Api): Promise<unknown> {
    if (this.halted) return never();
    const t = this.current;
    if (t === null) throw this.usage(api, "sleep() was called while no thread of this driver runs (a missing await, or a callback)");
    if (!(ms >= 0) || !Number.isFinite(ms)) throw this.usage(api, `sleep(${ms}): expected a finite number of milliseconds >= 0`);
    this.steps = 0;
    this.progress++;
    this.core.onProgress();
    const loc = this.locations ? callerOf(api) : undefined;
    const us = ms * 1000;
    t.wakeAt = this.core.clock.now + us;
    t.sleepTimer = this.core.clock.after(us, () => {
      t.sleepTimer = undefined;
      this.arrive(t.sleepBox, undefined, NONE, undefined);
    });
    this.block(t, [t.sleepBox], 1, "sleeping", loc);
    this.tracer?.emit(WAIT, t.lifeline, NONE, NONE, -1, NONE, loc, undefined, `sleep(${ms} ms)`);
    const promise = new Promise(captureResolve);
    t.resolve = capturedResolve;
    this.current = null;
    this.dispatch();
    return promise;
  }

  private send(box: Mailbox, payload: unknown, api: Api): void {
    this.step(api);
    // A message handed on is progress (a queue of work for another thread); a loop of sends alone meets the step budget.
    this.core.onProgress();
    const t = this.current ?? this.lastThread!;
    if (box == null || box.owner !== this.core) throw this.usage(api, "send(): the first argument is not a mailbox of this driver");
    if (box.direction === "in") {
      throw this.usage(api, `thread "${t.name}" sends on incoming mailbox "${box.name}": incoming mailboxes carry messages to the driver; wait on them`);
    }
    if (box.direction === "out") this.core.outgoing(box, payload, t.lifeline, t.name, api);
    else this.arrive(box, payload, t.lifeline, this.tracer !== null && this.callLocations ? callerOf(api) : undefined);
  }

  private mailbox(name: string, api: Api): Mailbox {
    this.step(api);
    if (typeof name !== "string" || name === "") throw this.usage(api, "mailbox(name): expected a non-empty name");
    if (this.core.byName.has(name) || name === "irq")
      throw this.usage(api, `mailbox("${name}"): the name is taken by ${name === "irq" ? "d.dev.irq" : "a protocol message"}`);
    let box = this.internal.get(name);
    if (box === undefined) {
      box = new Mailbox(name, "internal", this.core, -1, false, 8, this.tracer !== null);
      box.traceId = this.core.traceId(name);
      this.internal.set(name, box);
    }
    return box;
  }

  private spawn(name: string, fn: Thread["fn"], api: Api): void {
    this.step(api);
    if (typeof name !== "string" || name === "") throw this.usage(api, "spawn(name, fn): expected a non-empty thread name");
    if (typeof fn !== "function") throw this.usage(api, `spawn("${name}", fn): fn must be a function`);
    if (this.threadNames.has(name)) throw this.usage(api, `spawn("${name}"): a thread with that name already exists`);
    this.spawnThread(name, fn);
    if (this.current === null) this.dispatch();
  }

  private log(args: unknown[], api: Api): void {
    this.step(api);
    const tracer = this.tracer;
    if (tracer === null) return;
    const text = formatWithOptions({ depth: 2, breakLength: Infinity }, ...args);
    tracer.emit(
      LOG,
      this.lifeline(),
      NONE,
      NONE,
      -1,
      NONE,
      this.callLocations ? callerOf(api) : undefined,
      undefined,
      text.length > 500 ? text.slice(0, 499) + "…" : text,
    );
  }

  // ------------------------------------------------------------------ BusSide

  step(api: Api): void {
    if (this.halted) throw new DriverError(`the driver instance is ${this.core.status}: no more driver calls`, this.lastThread?.name, undefined);
    if (++this.steps > this.core.stepBudget) this.runaway(api);
  }

  lifeline(): number {
    return (this.current ?? this.lastThread)?.lifeline ?? NONE;
  }

  // ------------------------------------------------------------------ arrivals and dispatch

  osSend(mb: Mailbox, payload: unknown): void {
    this.arrive(mb, payload, this.core.osId, undefined);
  }

  interrupt(isr: number): void {
    this.arrive(this.core.irq, { isr }, this.core.nicId, undefined);
  }

  /** A message enters a waitable mailbox (from the OS, the device, a thread, or a timer). */
  private arrive(mb: Mailbox, payload: unknown, from: number, loc: SourceLocation | undefined): void {
    if (this.halted) return;
    const seq = this.seq++;
    mb.sent++;
    const w = mb.waiter;
    const tracer = this.tracer;
    let ref = -1;
    if (tracer !== null && !mb.hidden) {
      const to = (w ?? mb.lastWaiter ?? this.threadList[0]).lifeline;
      ref = tracer.summary(payload);
      tracer.emit(SEND, from, to, mb.traceId, ref, NONE, loc);
    }
    if (mb.message >= 0) {
      const monitor = this.monitor;
      if (monitor.table[monitor.state * monitor.width + mb.message] !== monitor.state) this.core.arrived(mb);
    }
    if (w !== null && this.current === null && !this.gated) {
      // Idle domain: no other message is deliverable, so this one goes straight to its thread.
      mb.delivered++;
      this.wake(w, mb, payload, ref);
      return;
    }
    mb.push(payload, seq, ref);
    if (mb.size > this.maxQueued) {
      this.overflow(mb);
      return;
    }
    if (w !== null) {
      this.ready.add(w, seq);
      if (this.current === null) this.dispatch();
    }
  }

  /**
   * Nothing runs: wake a ready thread (the one holding the earliest-arrived message, unless the
   * chooser picks another), or go quiet.
   */
  private dispatch(): void {
    if (this.current !== null || this.held !== null || this.halted) return;
    const ready = this.ready;
    let best = ready.top();
    if (best === null) {
      this.core.quiet();
      return;
    }
    if (this.threadChoices && ready.size > 1) {
      const options = ready.sorted();
      const i = this.core.chooser.choose("thread", options.length, (k) => options[k]!.name);
      best = options[i] ?? best;
    }
    const mb = best.earliestMailbox()!;
    const ref = mb.headRef();
    const payload = mb.take();
    this.wake(best, mb, payload, ref);
  }

  private wake(t: Thread, mb: Mailbox, payload: unknown, ref: number): void {
    this.unblock(t);
    t.status = "running";
    t.wakeAt = undefined;
    if (t.sleepTimer !== undefined) {
      t.sleepTimer.cancel();
      t.sleepTimer = undefined;
    }
    this.current = t;
    this.lastThread = t;
    this.steps = 0;
    this.progress++;
    this.core.onProgress();
    const gate = this.core.gate;
    if (gate !== undefined) {
      const event: DeliveryEvent = {
        thread: t.name,
        mailbox: mb.hidden ? (mb === t.startBox ? "start" : "sleep") : mb.name,
        payload: this.core.summary(payload) ?? "",
        message: mb.hidden ? undefined : payload,
        seq: this.seq,
        time: this.core.clock.now,
        state: this.core.monitor.stateName,
        loc: t.waitLoc,
      };
      let held: unknown;
      try {
        held = gate(event);
      } catch (error) {
        held = undefined;
        this.core.osErrors.push(error);
      }
      if (held !== undefined && held !== null && typeof (held as PromiseLike<void>).then === "function") {
        const release = (): void => {
          this.held = null;
          if (!this.halted) this.resume(t, mb, payload, ref);
        };
        this.held = Promise.resolve(held as PromiseLike<void>).then(release, (error: unknown) => {
          this.core.osErrors.push(error);
          release();
        });
        return;
      }
    }
    this.resume(t, mb, payload, ref);
  }

  private resume(t: Thread, mb: Mailbox, payload: unknown, ref: number): void {
    const tracer = this.tracer;
    if (tracer !== null) {
      if (mb.hidden) tracer.emit(WAKE, t.lifeline, NONE, NONE, -1, NONE, undefined, undefined, mb === t.startBox ? "start" : "timer");
      else {
        tracer.emit(WAKE, t.lifeline, NONE, mb.traceId, -1, NONE, undefined);
        tracer.emit(DELIVER, t.lifeline, NONE, mb.traceId, ref, NONE, t.waitLoc);
      }
    }
    const resolve = t.resolve!;
    t.resolve = null;
    resolve(mb.hidden ? undefined : new Delivery(mb, mb.name, payload));
  }

  private block(t: Thread, mbs: Mailbox[], n: number, status: "waiting" | "sleeping", loc: SourceLocation | undefined): void {
    const ws = t.waitSet;
    for (let i = 0; i < n; i++) {
      const mb = mbs[i];
      ws[i] = mb;
      mb.waiter = t;
      mb.lastWaiter = t;
    }
    t.waitCount = n;
    t.status = status;
    t.waitLoc = loc;
    const earliest = t.earliest();
    if (earliest !== Infinity) this.ready.add(t, earliest);
  }

  private unblock(t: Thread): void {
    const ws = t.waitSet;
    for (let i = 0; i < t.waitCount; i++) ws[i].waiter = null;
    t.waitCount = 0;
    this.ready.remove(t);
  }

  // ------------------------------------------------------------------ threads

  private spawnThread(name: string, fn: Thread["fn"]): void {
    const t = new Thread(name, fn, this.core);
    t.lifeline = this.core.traceId(`thread:${name}`);
    this.threadList.push(t);
    this.threadNames.add(name);
    this.lastThread ??= t;
    // A new thread waits on its start mailbox, which already holds its start message: it starts in arrival order.
    t.startBox.push(undefined, this.seq++);
    this.block(t, [t.startBox], 1, "waiting", undefined);
    t.status = "runnable";
    void new Promise(captureResolve).then(() => this.run(t));
    t.resolve = capturedResolve;
  }

  private run(t: Thread): void {
    if (this.halted) return;
    let result: unknown;
    try {
      result = t.fn(this.context);
    } catch (error) {
      this.threadFailed(t, error);
      return;
    }
    if (result !== null && typeof result === "object" && typeof (result as PromiseLike<void>).then === "function") {
      (result as PromiseLike<void>).then(
        () => this.threadEnded(t),
        (error: unknown) => this.threadFailed(t, error),
      );
    } else this.threadEnded(t);
  }

  private threadEnded(t: Thread): void {
    if (this.halted) return;
    t.status = "ended";
    this.progress++;
    this.core.onProgress();
    this.tracer?.emit(LOG, t.lifeline, NONE, NONE, -1, NONE, undefined, undefined, `thread "${t.name}" ended`);
    if (this.current === t) {
      this.current = null;
      this.dispatch();
    }
  }

  private threadFailed(t: Thread, error: unknown): void {
    if (this.halted) return;
    t.status = "failed";
    this.core.fail(driverFailure(`driver thread "${t.name}"`, error), t.lifeline);
  }

  private runaway(api: Api): never {
    const t = this.current ?? this.lastThread;
    const loc = callerOf(api);
    const error = usageError(
      `driver thread "${t?.name}" made ${this.core.stepBudget} driver calls without waiting: a loop that never reaches wait/sleep? (stepBudget)`,
      t?.name,
      loc,
    );
    this.core.fail(error, t?.lifeline);
    throw error;
  }

  private overflow(mb: Mailbox): void {
    const t = mb.waiter ?? mb.lastWaiter;
    this.core.fail(
      new DriverError(
        `mailbox "${mb.name}" holds ${mb.size} messages (maxQueued ${this.maxQueued}): the driver does not take them (grows without bound)`,
        t?.name,
        t?.waitLoc,
      ),
    );
  }

  private usage(api: Api, message: string): DriverError {
    const t = this.current ?? this.lastThread;
    return usageError(message, t?.name, callerOf(api));
  }

  // ------------------------------------------------------------------ Engine

  busy(): boolean {
    return !this.halted && this.current !== null;
  }

  busyName(): string {
    return `driver thread "${(this.current ?? this.lastThread)?.name}"`;
  }

  halt(): void {
    this.halted = true;
    this.current = null;
  }

  threads(): ThreadSnapshot[] {
    return this.threadList.map((t) => {
      const status = t === this.current ? "running" : t.status;
      const waitingOn = status === "waiting" ? t.waitSet.slice(0, t.waitCount).map((m) => m.name) : [];
      const snapshot: { -readonly [K in keyof ThreadSnapshot]: ThreadSnapshot[K] } = { name: t.name, status, waitingOn };
      if (t.waitLoc !== undefined && (status === "waiting" || status === "sleeping")) snapshot.loc = t.waitLoc;
      if (t.wakeAt !== undefined && status === "sleeping") snapshot.wakeAt = t.wakeAt;
      return snapshot;
    });
  }

  internalMailboxes(): Mailbox[] {
    return [...this.internal.values()];
  }

  waiterOf(mb: Mailbox): string | undefined {
    return mb.waiter?.name;
  }

  whereWaits(mb: Mailbox): { thread: string; loc: SourceLocation | undefined } | undefined {
    const t = mb.waiter ?? mb.lastWaiter ?? this.threadList.find((x) => x.status === "waiting" || x.status === "sleeping");
    return t === undefined ? undefined : { thread: t.name, loc: t.status === "waiting" || t.status === "sleeping" ? t.waitLoc : undefined };
  }
}
