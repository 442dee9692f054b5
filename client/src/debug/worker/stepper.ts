// The worker's side of stepping: the runtime calls `gate` before each delivery; the stepper numbers
// the delivery, has breakpoint conditions evaluated (evaluator.ts), decides with the shared stop rule
// whether to hold the domain there, and reports trace events, deliveries, breakpoint hits and
// logpoint lines to the adapter in batches. While held, the worker's event loop is free to answer
// snapshot requests.
import type { DeliveryEvent, DriverInstance, SourceLocation, TraceEvent } from "active-driver";
import { deliveryCandidates, deliveryKind, describeDelivery, sendCandidates, stopAt } from "../stops";
import { BreakpointEvaluator } from "./evaluator";
import { Flag, RECENT_EVENTS, type BreakpointSpec, type Delivery, type ErrorInfo, type RunUntil, type StopHit, type WorkerToParent } from "./messages";
import type { MessageFacts } from "./sandbox";

/** Events per `events` message while running (stops and the end flush whatever is pending). */
const BATCH = 2000;

export class Stepper {
  private position = 0;
  private traceLength = 0;
  private until: RunUntil = { position: 0, reason: "entry", breakpoints: false };
  private readonly evaluator = new BreakpointEvaluator({ problem: (id, text, disable) => this.post({ type: "breakpointProblem", id, text, disable }) });
  private inst: DriverInstance | undefined;
  /** Events since the previous delivery: what breakpoints on sends and exception filters look at. */
  private window: TraceEvent[] = [];
  private readonly recentEvents: TraceEvent[] = [];
  private batchEvents: TraceEvent[] = [];
  private batchDeliveries: Delivery[] = [];
  private release: (() => void) | undefined;
  /** The delivery held now (undefined while running and at the end). */
  held: Delivery | undefined;
  finished = false;
  /** A passive driver's: its deliveries are entry-point calls and scheduled work. */
  private passive = false;
  /** Where a passive driver's entry point is defined (the runtime cannot see it; the worker reads the source). */
  private locateEntry: (entry: string) => SourceLocation | undefined = () => undefined;

  constructor(
    private readonly post: (message: WorkerToParent) => void,
    private readonly flags: Int32Array,
    /** Tells the watchdog when time is not the driver's: breakpoint conditions, a stop. */
    private readonly hostWork: (busy: boolean) => void = () => {},
  ) {}

  /** Follows the instance's trace (call before the domain starts running). */
  attach(inst: DriverInstance, locateEntry?: (entry: string) => SourceLocation | undefined): void {
    this.inst = inst;
    this.passive = inst.model === "passive";
    if (locateEntry !== undefined) this.locateEntry = locateEntry;
    // Events the driver made while launching, before this listener existed (their payloads are gone).
    for (const event of inst.trace) this.onEvent(event, false, undefined);
    inst.onEvent((event, message) => this.onEvent(event, true, message));
  }

  get currentPosition(): number {
    return this.position;
  }

  recent(): readonly TraceEvent[] {
    return this.recentEvents;
  }

  /** Per thread, the mailboxes of its latest wait (at a gate the receiver is already woken: this says what it waited on). */
  readonly lastWaits = new Map<string, string[]>();

  private onEvent(event: TraceEvent, live: boolean, message: unknown): void {
    this.traceLength++;
    if (event.kind === "send") this.evaluateSend(event, live, message);
    if (event.kind === "wait" && event.from.startsWith("thread:")) this.lastWaits.set(event.from.slice("thread:".length), event.mailbox?.split(",") ?? []);
    this.window.push(event);
    this.batchEvents.push(event);
    this.recentEvents.push(event);
    if (this.recentEvents.length > RECENT_EVENTS * 2) this.recentEvents.splice(0, this.recentEvents.length - RECENT_EVENTS);
    if (this.batchEvents.length >= BATCH) this.flush();
  }

  /** The runtime's DeliveryGate. */
  readonly gate = (event: DeliveryEvent): void | Promise<void> => {
    this.hostWork(true);
    let held: Promise<void> | undefined;
    try {
      held = this.decide(event);
    } finally {
      if (held === undefined) this.hostWork(false);
    }
    return held;
  };

  /** Numbers the delivery, evaluates what applies there, and holds the run when it stops there. */
  private decide(event: DeliveryEvent): Promise<void> | undefined {
    const position = this.position++;
    Atomics.store(this.flags, Flag.delivered, position + 1);
    const kind = deliveryKind(event);
    const delivery: Delivery = {
      position,
      seq: event.seq,
      thread: event.thread,
      mailbox: event.mailbox,
      kind,
      payload: event.payload,
      time: event.time,
      state: event.state,
      traceLength: this.traceLength,
    };
    if (this.passive) delivery.passive = true;
    if (event.from !== undefined) delivery.from = event.from;
    const loc = event.loc ?? (this.passive && kind === "message" ? this.locateEntry(event.mailbox) : undefined);
    if (loc !== undefined) delivery.loc = { ...loc };
    this.batchDeliveries.push(delivery);
    const window = this.window;
    this.window = [];
    // Evaluated whether or not the run may stop here: counts must not depend on how it got here.
    const taken = { available: true, value: event.message };
    const candidates = deliveryCandidates(delivery, this.evaluator.breakpoints);
    if (candidates.length > 0) {
      const facts = once(() => deliveryFacts(delivery, taken));
      for (const c of candidates) this.evaluator.evaluate(c, position, facts, this.until.log === true, -1, this.traceLength);
    }
    let hit: StopHit | undefined;
    if (Atomics.exchange(this.flags, Flag.pause, 0) !== 0)
      hit = { reason: "pause", text: `Paused before ${describeDelivery(delivery)}`, thread: delivery.thread };
    else hit = stopAt(position, delivery, window, this.evaluator.breakpoints, this.until, this.evaluator.judge, this.evaluator.exceptionTest);
    this.evaluator.nextPosition();
    if (hit === undefined) return undefined;
    this.flush();
    this.held = delivery;
    this.post({ type: "stopped", position, delivery, hit, traceLength: this.traceLength });
    return new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  /** Runs on until `until` (or a breakpoint) stops the run again. */
  resume(until: RunUntil, breakpoints: BreakpointSpec): void {
    this.until = until;
    this.evaluator.setSpec(breakpoints);
    const release = this.release;
    this.release = undefined;
    this.held = undefined;
    if (release !== undefined) {
      this.hostWork(false);
      release();
    }
  }

  setBreakpoints(breakpoints: BreakpointSpec): void {
    this.evaluator.setSpec(breakpoints);
  }

  /** Evaluates the breakpoints on a send as it is recorded: its payload is at hand only now. */
  private evaluateSend(event: TraceEvent, live: boolean, message: unknown): void {
    const candidates = sendCandidates(event, this.evaluator.breakpoints);
    if (candidates.length === 0) return;
    // Sends made while launching, before the listener existed, are known by their summary only.
    const payload = live ? { available: true, value: message } : { available: false, value: undefined };
    const state = String(this.inst?.protocolState ?? "");
    const facts = once(() => sendFacts(event, payload, this.position, state));
    this.hostWork(true);
    for (const c of candidates) this.evaluator.evaluate(c, this.position, facts, this.until.log === true, event.seq, this.traceLength);
    this.hostWork(false);
  }

  /** The scenario is over: report the end position (and whether events since the last delivery hit a breakpoint). */
  finish(summary: Record<string, unknown>, failure: ErrorInfo | undefined): void {
    this.finished = true;
    const window = this.window;
    this.window = [];
    const hit = stopAt(
      this.position,
      undefined,
      window,
      this.evaluator.breakpoints,
      { breakpoints: this.until.breakpoints },
      this.evaluator.judge,
      this.evaluator.exceptionTest,
    );
    this.evaluator.nextPosition();
    this.flush();
    const message: WorkerToParent = { type: "finished", position: this.position, traceLength: this.traceLength, summary };
    if (failure !== undefined) message.failure = failure;
    if (hit !== undefined) message.hit = hit;
    this.post(message);
    this.lastFinished = message;
  }

  /** The `finished` message again (a run command after the end). */
  lastFinished: WorkerToParent | undefined;

  flush(): void {
    const { hits, logs } = this.evaluator;
    if (this.batchEvents.length === 0 && this.batchDeliveries.length === 0 && hits.length === 0 && logs.length === 0) return;
    const message: WorkerToParent = { type: "events", events: this.batchEvents, deliveries: this.batchDeliveries };
    if (hits.length > 0) message.hits = hits;
    if (logs.length > 0) message.logs = logs;
    this.post(message);
    this.batchEvents = [];
    this.batchDeliveries = [];
    this.evaluator.hits = [];
    this.evaluator.logs = [];
  }
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value as T;
  };
}

function deliveryFacts(d: Delivery, payload: { available: boolean; value: unknown }): MessageFacts {
  const facts: MessageFacts = {
    name: d.mailbox,
    payload: payload.value,
    state: d.state,
    thread: d.thread,
    seq: d.seq,
    time: d.time,
    kind: d.kind,
    position: d.position,
    summary: d.payload,
  };
  if (d.from !== undefined) facts.from = d.from;
  if (!payload.available) facts.payloadMissing = true;
  return facts;
}

/** `seq` of a send is its trace event's number (it has no arrival number yet). */
function sendFacts(e: TraceEvent, payload: { available: boolean; value: unknown }, position: number, state: string): MessageFacts {
  const strip = (who: string | undefined): string | undefined => (who?.startsWith("thread:") ? who.slice("thread:".length) : who);
  const facts: MessageFacts = {
    name: e.mailbox ?? "?",
    payload: payload.value,
    state,
    thread: strip(e.from) ?? "?",
    from: strip(e.from),
    seq: e.seq,
    time: e.time,
    kind: "send",
    position,
    summary: e.payload ?? "",
  };
  const to = strip(e.to);
  if (to !== undefined) facts.to = to;
  if (!payload.available) facts.payloadMissing = true;
  return facts;
}
