// Per-instance services shared by the active domain and the passive runner: clock, trace,
// protocol mailboxes and monitor, the device, OS-side calls and replies, violations and failure.
import type { DeviceModel } from "./device";
import { VirtualClock } from "./clock";
import type { Engine } from "./engine";
import { DriverError } from "./errors";
import { Mailbox, type PendingCall } from "./mailbox";
import { Monitor } from "./monitor";
import { FRACTION_STEPS, seededChooser, type Chooser } from "./explore/chooser";
import { summarize } from "./summary";
import { codes, Tracer } from "./tracer";
import type { SourceLocation } from "./trace";
import type { AnyProtocol, DeliveryGate, InMessage, InstanceStatus, LaunchOptions, Violation, ViolationKind } from "./types";
import { callerOf, formatLocation } from "./where";

const { SEND, STATE, FAULT, NONE } = codes;

/** Checks settle() makes from microtasks while the driver is busy, before it waits for quiet() (or an event-loop turn). */
const EAGER_TICKS = 8;
const resolved = Promise.resolve();
const noProgressHook = (): void => {};

// One executor for every request promise: no closure per call.
let capturedResolve: (value: unknown) => void = () => {};
let capturedReject: (error: Error) => void = () => {};
function captureResolvers(resolve: (value: unknown) => void, reject: (error: Error) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

class Call implements PendingCall {
  constructor(
    readonly request: string,
    readonly since: number,
    readonly promise: Promise<unknown>,
    readonly resolve: (payload: unknown) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

export class Core {
  readonly clock = new VirtualClock();
  readonly tracer: Tracer | null;
  readonly monitor: Monitor;
  /** Protocol mailboxes by message index. */
  readonly mailboxes: Mailbox[] = [];
  readonly byName = new Map<string, Mailbox>();
  readonly irq: Mailbox;
  /** Every nondeterministic decision of the run goes through it. */
  readonly chooser: Chooser;
  /** Whether the domain asks the chooser which ready thread resumes (else arrival order). */
  readonly threadChoices: boolean;
  /** DeviceHost.random(): a "device" decision. */
  readonly deviceRandom = (): number => this.chooser.choose("device", FRACTION_STEPS) / FRACTION_STEPS;
  /** inst.random(): a "gap" decision. */
  readonly workloadRandom = (): number => this.chooser.choose("gap", FRACTION_STEPS) / FRACTION_STEPS;
  readonly gate: DeliveryGate | undefined;
  /** Capture source locations of waits and sends (tracing with locations, or a gate). */
  readonly locations: boolean;
  /** Capture source locations of sends, register accesses and logs too (not with `locations: "waits"`). */
  readonly callLocations: boolean;
  readonly stepBudget: number;
  readonly maxQueued: number;
  readonly maxTimerEvents: number;
  readonly maxBusyTurns: number;
  /** LaunchOptions.onProgress, or a no-op (the engines call it on every wait and delivery). */
  readonly onProgress: () => void;
  readonly osId: number;
  readonly adapterId: number;
  readonly nicId: number;
  engine!: Engine;
  device!: DeviceModel;
  status: InstanceStatus = "running";
  failure: Error | undefined;
  readonly violations: Violation[] = [];
  /** Errors thrown by OS-side listeners; the next idle/advance/runUntil rethrows the first. */
  readonly osErrors: unknown[] = [];
  /** Records an error thrown by OS-side code (a timer's onError). */
  readonly osError = (error: unknown): void => {
    this.osErrors.push(error);
  };
  /** A device timer threw (a timer's onError). */
  readonly deviceError = (error: unknown): void => this.deviceFailed(error);
  private readonly listeners = new Map<string, ((payload: unknown) => void)[]>();
  private readonly reported = new Set<string>();
  /**
   * Something the clock loop cannot see may wait in the microtask queue (a reply's promise settled,
   * an OS-side timer or listener ran user code): the next settle() gives the microtasks a turn.
   */
  owesTick = true;

  constructor(
    readonly protocol: AnyProtocol,
    options: LaunchOptions,
  ) {
    const trace = options.trace ?? true;
    const traceOptions = typeof trace === "object" ? trace : {};
    this.tracer =
      trace === false
        ? null
        : new Tracer(this.clock, traceOptions.payloadChars ?? 80, (traceOptions.locations ?? true) !== false, traceOptions.registers ?? true, (e) =>
            this.osErrors.push(e),
          );
    this.gate = options.gate;
    this.locations = (this.tracer?.locations ?? false) || this.gate !== undefined;
    this.callLocations = (this.tracer !== null && traceOptions.locations !== false && traceOptions.locations !== "waits") || this.gate !== undefined;
    this.stepBudget = options.stepBudget ?? 1_000_000;
    this.maxQueued = options.maxQueued ?? 1 << 24;
    this.maxTimerEvents = options.maxTimerEvents ?? 1_000_000;
    this.maxBusyTurns = options.maxBusyTurns ?? 10_000;
    this.chooser = options.chooser ?? seededChooser(options.seed ?? 1);
    this.threadChoices = this.chooser.arrivalOrder !== true;
    this.onProgress = options.onProgress ?? noProgressHook;
    this.monitor = new Monitor(protocol);
    this.osId = this.traceId("os");
    this.adapterId = this.traceId("adapter");
    this.nicId = this.traceId("nic");
    this.monitor.messageNames.forEach((name, i) => {
      const spec = protocol.messages[name];
      const mb = new Mailbox(name, spec.direction, this, i, false, 8, this.tracer !== null);
      mb.traceId = this.traceId(name);
      this.mailboxes.push(mb);
      this.byName.set(name, mb);
    });
    this.irq = new Mailbox("irq", "in", this, -1, false, 8, this.tracer !== null);
    this.irq.traceId = this.traceId("irq");
    for (const s of this.monitor.stateNames) this.traceId(s);
  }

  traceId(name: string): number {
    return this.tracer === null ? NONE : this.tracer.id(name);
  }

  /** Summary text for snapshots and the gate (not the hot path). */
  summary(payload: unknown): string | undefined {
    return summarize(payload, this.tracer?.payloadChars ?? 80);
  }

  // ------------------------------------------------------------------ OS side

  /** `inst.os.<request>(payload)`: the promise settles with the reply payload. */
  request(mb: Mailbox, reply: Mailbox, payload: unknown): Promise<unknown> {
    if (this.status !== "running") return this.refused(mb);
    const promise = new Promise<unknown>(captureResolvers);
    const call: PendingCall = new Call(mb.name, this.clock.now, promise, capturedResolve, capturedReject);
    reply.pushPending(call);
    this.engine.osSend(mb, payload);
    return promise;
  }

  private refused(mb: Mailbox): Promise<unknown> {
    const error = this.failure ?? new Error(`${mb.name}: the driver instance is stopped`);
    return Promise.reject(error);
  }

  /** Listener for outgoing messages that answer no pending call. */
  on(name: string, listener: (payload: unknown) => void): () => void {
    const mb = this.byName.get(name);
    if (mb === undefined || mb.direction !== "out") throw new TypeError(`on("${name}"): not an outgoing message of protocol "${this.protocol.name}"`);
    // Copy on write: notifyListeners iterates the array it finds, unaffected by (un)subscribing meanwhile.
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return () => {
      const list = this.listeners.get(name) ?? [];
      const i = list.indexOf(listener);
      if (i >= 0) this.listeners.set(name, [...list.slice(0, i), ...list.slice(i + 1)]);
    };
  }

  // ------------------------------------------------------------------ monitor

  /** An incoming protocol message arrived (trace `send` already emitted). */
  arrived(mb: Mailbox): void {
    const monitor = this.monitor;
    const next = monitor.next(mb.message);
    if (next < 0) {
      const where = this.engine.whereWaits(mb);
      const waiter = where?.thread;
      const waiterLoc = where?.loc;
      this.violate(
        "unhandled",
        mb,
        waiter,
        waiterLoc,
        `"${mb.name}" arrived in state "${monitor.stateName}", which does not enable it (enabled: ${monitor.enabledNames().join(", ") || "none"})` +
          (waiterLoc === undefined ? "" : `; the driver waits at ${formatLocation(waiterLoc)}`),
      );
    } else if (next !== monitor.state) this.moveTo(next, mb);
  }

  /** The driver sends on an outgoing protocol mailbox: monitor, trace, then the reply or the listeners. */
  outgoing(mb: Mailbox, payload: unknown, from: number, thread: string, api: (...args: never[]) => unknown, call?: PendingCall): void {
    mb.sent++;
    const tracer = this.tracer;
    if (tracer !== null) {
      tracer.emit(SEND, from, this.osId, mb.traceId, tracer.summary(payload), NONE, this.callLocations ? callerOf(api) : undefined);
    }
    const monitor = this.monitor;
    const next = monitor.next(mb.message);
    if (next < 0) {
      const loc = callerOf(api);
      this.violate(
        "illegal-send",
        mb,
        thread,
        loc,
        `send of "${mb.name}" in state "${monitor.stateName}", which does not allow it (allowed: ${monitor.enabledNames().join(", ") || "none"}) at ${formatLocation(loc)}`,
      );
    } else if (next !== monitor.state) this.moveTo(next, mb);
    const answered = call !== undefined ? (mb.removePending(call), call) : mb.shiftPending();
    if (answered !== undefined) {
      this.owesTick = true;
      answered.resolve(payload);
    } else this.notifyListeners(mb.name, payload);
  }

  notifyListeners(name: string, payload: unknown): void {
    const list = this.listeners.get(name);
    if (list === undefined || list.length === 0) return;
    this.owesTick = true;
    for (const listener of list) {
      try {
        listener(payload);
      } catch (error) {
        this.osErrors.push(error);
      }
    }
  }

  private moveTo(next: number, mb: Mailbox): void {
    const monitor = this.monitor;
    const from = monitor.stateName;
    monitor.state = next;
    const tracer = this.tracer;
    if (tracer !== null) {
      tracer.emit(
        STATE,
        this.adapterId,
        NONE,
        mb.traceId,
        -1,
        tracer.id(monitor.stateName),
        undefined,
        undefined,
        `${from} -> ${monitor.stateName} on ${mb.name}`,
      );
    }
  }

  violate(kind: ViolationKind, mb: Mailbox, thread: string | undefined, loc: SourceLocation | undefined, detail: string): void {
    const violation: Violation = { kind, message: mb.name, state: this.monitor.stateName, time: this.clock.now, thread, loc, detail };
    this.violations.push(violation);
    const tracer = this.tracer;
    if (tracer !== null) {
      const from = kind === "illegal-send" && thread !== undefined ? tracer.id(`thread:${thread}`) : this.adapterId;
      tracer.emit(FAULT, from, NONE, mb.traceId, -1, tracer.id(this.monitor.stateName), loc, kind, detail);
    }
  }

  /** At quiescence: enabled incoming messages that sit queued with no thread waiting on their mailbox. */
  checkUnwaited(): void {
    if (this.status !== "running") return;
    for (const mb of this.mailboxes) {
      if (mb.direction !== "in" || mb.size === 0 || this.engine.waiterOf(mb) !== undefined) continue;
      const key = `${mb.name}#${mb.headSeq()}`;
      if (this.reported.has(key) || !this.monitor.enabled(mb.message)) continue;
      this.reported.add(key);
      const waiting = this.engine.threads().filter((t) => t.status === "waiting" || t.status === "sleeping");
      const where = waiting
        .map((t) => `"${t.name}" waits on ${t.waitingOn.join(", ") || "a timer"}${t.loc === undefined ? "" : ` at ${formatLocation(t.loc)}`}`)
        .join("; ");
      this.violate(
        "unwaited",
        mb,
        waiting[0]?.name,
        waiting[0]?.loc,
        `"${mb.name}" (${mb.size} queued) is enabled in state "${this.monitor.stateName}" but no thread waits on it${where === "" ? "" : ` (${where})`}`,
      );
    }
  }

  // ------------------------------------------------------------------ failure and stop

  /** The driver failed: record it, stop everything, reject the OS side's pending calls with it. */
  fail(error: Error, from = this.adapterId): void {
    if (this.status !== "running") return;
    this.status = "faulted";
    this.failure = error;
    this.tracer?.emit(FAULT, from, NONE, NONE, -1, NONE, error instanceof DriverError ? error.loc : undefined, "driver-error", error.message);
    this.shutdown(() => error);
  }

  /** A device timer threw: the simulation cannot go on. */
  deviceFailed(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    const failure = new DriverError(`device "${this.device.name}" failed in a timer: ${text}`, undefined, undefined, { cause: error });
    this.fail(failure, this.nicId);
  }

  stop(): void {
    if (this.status === "stopped") return;
    const wasRunning = this.status === "running";
    this.status = "stopped";
    if (!wasRunning) return;
    this.shutdown(
      (call, reply) =>
        new Error(
          `${call.request}: stopped while the driver still owed the reply "${reply}" (requested at ${call.since} µs, protocol state "${this.monitor.stateName}"): the driver never replied`,
        ),
    );
  }

  private shutdown(reason: (call: PendingCall, reply: string) => Error): void {
    this.engine.halt();
    this.clock.clear();
    try {
      this.device.detach();
    } catch {
      // a device that fails to detach is not the driver's failure
    }
    for (const mb of this.mailboxes) {
      for (let call = mb.shiftPending(); call !== undefined; call = mb.shiftPending()) {
        const error = reason(call, mb.name);
        call.promise.catch(() => {}); // the OS side may have dropped the promise: never an unhandled rejection
        this.owesTick = true;
        call.reject(error);
      }
    }
    this.quiet();
  }

  // ------------------------------------------------------------------ quiescence

  /** The engine became quiet (nothing runnable): a drain waiting for that goes on. */
  quiet(): void {
    const turn = this.drainTurnHandle;
    if (turn === undefined) return;
    clearImmediate(turn);
    this.drainTurnHandle = undefined;
    this.drainTicks = 0;
    void resolved.then(this.drainStep);
  }

  /**
   * Lets the driver run until nothing is runnable (timers aside); undefined when there is nothing to
   * drain. Faults a thread that stays busy without waiting.
   */
  settle(): Promise<void> | undefined {
    if (!this.mustDrain()) {
      this.owesTick = false;
      return undefined;
    }
    return new Promise<void>((resolve) => this.drainThen(resolve));
  }

  /**
   * The clock loops of instance.ts (idle, advance, runUntil): drain the driver, then `iteration`
   * (synchronous: it runs at most one timer, and returns true when the loop is done), and again.
   * Timer after timer runs without an await while nothing needs draining; after a drain the loop
   * goes on inside the drain's last microtask, so a delivery costs no promise and no await here.
   * Resolves when `iteration` returns true, rejects with what it throws.
   */
  loop(iteration: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const next = (): void => {
        try {
          while (!this.drainThen(next)) {
            if (iteration()) {
              resolve();
              return;
            }
          }
        } catch (error) {
          reject(error);
        }
      };
      next();
    });
  }

  private mustDrain(): boolean {
    return this.drainCont !== null || (this.status === "running" && (this.owesTick || this.engine.busy() || this.engine.held !== null));
  }

  /** Starts (or joins) a drain that calls `cont` when it is done; false when there is nothing to drain. */
  private drainThen(cont: () => void): boolean {
    if (this.drainCont !== null) {
      this.drainMore.push(cont); // two clock loops at once (idle() twice): one drain
      return true;
    }
    if (!this.mustDrain()) {
      this.owesTick = false;
      return false;
    }
    this.drainCont = cont;
    this.drainTicks = 0;
    this.drainTurns = 0;
    this.drainProgress = this.engine.progress;
    // Work the last step left in the microtask queue (a reply's `then`, a timer's promise) runs first.
    this.owesTick = false;
    void resolved.then(this.drainStep);
    return true;
  }

  // The drain is a small state machine over microtasks (no async function, no closure per step).
  // The driver runs in microtasks (a woken thread's continuation, its async helpers): the drain
  // re-checks busy() after the microtasks queued before each check, for EAGER_TICKS checks; a
  // driver still busy then is waited for through quiet() (the engine calls it when nothing is
  // runnable), with one event-loop turn armed in case it awaits something foreign (a real timer,
  // I/O) that no microtask finishes. Turns without progress count towards maxBusyTurns.
  private drainCont: (() => void) | null = null;
  private readonly drainMore: (() => void)[] = [];
  private drainTicks = 0;
  private drainTurns = 0;
  private drainProgress = 0;
  /** Waiting for quiet(), with this turn armed. */
  private drainTurnHandle: NodeJS.Immediate | undefined = undefined;

  private readonly drainStep = (): void => {
    const engine = this.engine;
    if (this.status !== "running") return this.drained();
    const held = engine.held;
    if (held !== null) {
      this.drainTurns = 0;
      void held.then(this.drainStep, this.drainStep);
      return;
    }
    if (engine.busy()) {
      if (engine.progress !== this.drainProgress) {
        this.drainProgress = engine.progress;
        this.drainTurns = 0;
      }
      if (++this.drainTicks <= EAGER_TICKS) void resolved.then(this.drainStep);
      else this.drainTurnHandle ??= setImmediate(this.drainTurn);
      return;
    }
    if (this.owesTick) {
      this.owesTick = false;
      void resolved.then(this.drainStep);
      return;
    }
    this.drained();
  };

  /** An event-loop turn passed while a thread stayed busy (no quiet() came). */
  private readonly drainTurn = (): void => {
    const engine = this.engine;
    this.drainTurnHandle = undefined;
    this.drainTicks = 0;
    if (engine.progress !== this.drainProgress) {
      this.drainProgress = engine.progress;
      this.drainTurns = 0;
    } else if (++this.drainTurns >= this.maxBusyTurns && this.status === "running" && engine.busy()) {
      const name = engine.busyName();
      this.fail(
        new DriverError(
          `${name} neither waits nor ends: it made no progress for ${this.drainTurns} event-loop turns, so it awaits something other than wait/sleep (cooperative scheduling is broken there)`,
          name,
          undefined,
        ),
      );
    }
    this.drainStep();
  };

  private drained(): void {
    if (this.drainTurnHandle !== undefined) {
      clearImmediate(this.drainTurnHandle);
      this.drainTurnHandle = undefined;
    }
    const cont = this.drainCont;
    this.drainCont = null;
    if (this.drainMore.length > 0) {
      const more = this.drainMore.splice(0);
      cont?.();
      for (const c of more) c();
    } else cont?.();
  }

  throwPending(): void {
    if (this.osErrors.length > 0) {
      const error = this.osErrors.shift();
      throw error instanceof Error ? error : new Error(String(error));
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** Reply mailbox of a request message, if it is one. */
  replyOf(name: string): Mailbox | undefined {
    const spec = this.protocol.messages[name] as InMessage<unknown, string>;
    return spec.reply === undefined ? undefined : this.byName.get(spec.reply);
  }
}
