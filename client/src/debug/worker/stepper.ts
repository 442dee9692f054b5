// The worker's side of stepping: the runtime calls `gate` before each delivery; the stepper numbers
// the delivery, decides with the shared stop rule whether to hold the domain there, and reports
// trace events and deliveries to the adapter in batches. While held, the worker's event loop is free
// to answer snapshot requests.
import type { DeliveryEvent, DriverInstance, SourceLocation, TraceEvent } from "active-driver";
import { deliveryKind, describeDelivery, noBreakpoints, stopAt } from "../stops";
import { Flag, RECENT_EVENTS, type BreakpointSpec, type Delivery, type ErrorInfo, type RunUntil, type StopHit, type WorkerToParent } from "./messages";

/** Events per `events` message while running (stops and the end flush whatever is pending). */
const BATCH = 2000;

export class Stepper {
  private position = 0;
  private traceLength = 0;
  private until: RunUntil = { position: 0, reason: "entry", breakpoints: false };
  private breakpoints: BreakpointSpec = noBreakpoints;
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
  ) {}

  /** Follows the instance's trace (call before the domain starts running). */
  attach(inst: DriverInstance, locateEntry?: (entry: string) => SourceLocation | undefined): void {
    this.passive = inst.model === "passive";
    if (locateEntry !== undefined) this.locateEntry = locateEntry;
    // Events the driver made while launching, before this listener existed.
    for (const event of inst.trace) this.onEvent(event);
    inst.onEvent((event) => this.onEvent(event));
  }

  get currentPosition(): number {
    return this.position;
  }

  recent(): readonly TraceEvent[] {
    return this.recentEvents;
  }

  /** Per thread, the mailboxes of its latest wait (at a gate the receiver is already woken: this says what it waited on). */
  readonly lastWaits = new Map<string, string[]>();

  private onEvent(event: TraceEvent): void {
    this.traceLength++;
    if (event.kind === "wait" && event.from.startsWith("thread:")) this.lastWaits.set(event.from.slice("thread:".length), event.mailbox?.split(",") ?? []);
    this.window.push(event);
    this.batchEvents.push(event);
    this.recentEvents.push(event);
    if (this.recentEvents.length > RECENT_EVENTS * 2) this.recentEvents.splice(0, this.recentEvents.length - RECENT_EVENTS);
    if (this.batchEvents.length >= BATCH) this.flush();
  }

  /** The runtime's DeliveryGate. */
  readonly gate = (event: DeliveryEvent): void | Promise<void> => {
    const position = this.position++;
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
    let hit: StopHit | undefined;
    if (Atomics.exchange(this.flags, Flag.pause, 0) !== 0) hit = { reason: "pause", text: `Paused before ${describeDelivery(delivery)}`, thread: delivery.thread };
    else hit = stopAt(position, delivery, window, this.breakpoints, this.until);
    if (hit === undefined) return undefined;
    this.flush();
    this.held = delivery;
    this.post({ type: "stopped", position, delivery, hit, traceLength: this.traceLength });
    return new Promise<void>((resolve) => {
      this.release = resolve;
    });
  };

  /** Runs on until `until` (or a breakpoint) stops the run again. */
  resume(until: RunUntil, breakpoints: BreakpointSpec): void {
    this.until = until;
    this.breakpoints = breakpoints;
    const release = this.release;
    this.release = undefined;
    this.held = undefined;
    release?.();
  }

  setBreakpoints(breakpoints: BreakpointSpec): void {
    this.breakpoints = breakpoints;
  }

  /** The scenario is over: report the end position (and whether events since the last delivery hit a breakpoint). */
  finish(summary: Record<string, unknown>, failure: ErrorInfo | undefined): void {
    this.finished = true;
    const window = this.window;
    this.window = [];
    const hit = stopAt(this.position, undefined, window, this.breakpoints, { breakpoints: this.until.breakpoints });
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
    if (this.batchEvents.length === 0 && this.batchDeliveries.length === 0) return;
    this.post({ type: "events", events: this.batchEvents, deliveries: this.batchDeliveries });
    this.batchEvents = [];
    this.batchDeliveries = [];
  }
}
