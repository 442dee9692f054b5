// Where a run stops: one rule, used live by the worker at each delivery and by the adapter when it
// searches the recorded history backwards (reverse continue). Pure functions over plain data.
import * as path from "node:path";
import type { DeliveryEvent, DeliveryKind, TraceEvent } from "active-driver";
import type { BreakpointSpec, Delivery, ExceptionFilter, RunUntil, StopHit } from "./worker/messages";

/** Fault categories the runtime monitor gives protocol violations. */
const protocolFaults = new Set(["unhandled", "illegal-send", "unwaited"]);
/** Fault categories of faults injected on purpose (scenario faults): never exceptions. */
const injectedFaults = new Set(["tx-lockup", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug"]);

/** Which exception filter a fault event belongs to, if any. */
export function exceptionFilterOf(event: TraceEvent): ExceptionFilter | undefined {
  if (event.kind !== "fault" || event.fault === undefined) return undefined;
  if (protocolFaults.has(event.fault) || event.fault.startsWith("protocol")) return "protocol";
  if (injectedFaults.has(event.fault)) return undefined;
  return "error";
}

export const noBreakpoints: BreakpointSpec = { lines: {}, mailboxes: [], exceptions: [] };

/** Same file, as the breakpoint table keys it. */
export function fileKey(file: string): string {
  const resolved = path.resolve(file);
  return process.platform === "win32" || process.platform === "darwin" ? resolved.toLowerCase() : resolved;
}

function hasLine(bps: BreakpointSpec, file: string, line: number): boolean {
  return bps.lines[fileKey(file)]?.includes(line) ?? false;
}

function where(loc: { file: string; line: number } | undefined): string {
  return loc === undefined ? "" : ` at ${path.basename(loc.file)}:${loc.line}`;
}

function threadOf(event: TraceEvent): string | undefined {
  return event.from.startsWith("thread:") ? event.from.slice("thread:".length) : undefined;
}

/**
 * What a gated delivery is. The runtime says (`kind`); for an engine that does not, a thread's first
 * run is the hidden mailbox "start" with no wait location, a wake-up from d.sleep "sleep" with no payload.
 */
export function deliveryKind(e: Pick<DeliveryEvent, "mailbox" | "payload" | "loc" | "kind">): DeliveryKind {
  if (e.kind !== undefined) return e.kind;
  if (e.mailbox === "start" && e.loc === undefined) return "start";
  if (e.mailbox === "sleep" && e.payload === "") return "wake";
  return "message";
}

/** The gate's pseudo-delivery for a thread's first run. */
export function isThreadStart(d: { kind: DeliveryKind }): boolean {
  return d.kind === "start";
}

/** The gate's pseudo-delivery for the end of a d.sleep. */
export function isSleepWake(d: { kind: DeliveryKind }): boolean {
  return d.kind === "wake";
}

/** The context a passive driver's thread runs in, for messages: `OS thread open`, `interrupt context`. */
export function passiveContext(thread: string): string {
  return thread === "interrupt" ? "interrupt context" : thread === "worker" ? "the worker" : `OS thread ${thread}`;
}

/** The payload as call arguments: `irq({isr:1})`, `txTimeout()`. */
export function entryCall(d: Pick<Delivery, "mailbox" | "payload">): string {
  return `${d.mailbox}(${d.payload === "undefined" ? "" : d.payload})`;
}

/** A one-line description of a delivery: `xmit #12 {frame: 60 bytes} -> main`, `txTimeout() #7 on OS thread txTimeout`. */
export function describeDelivery(d: Delivery): string {
  // The runtime gates a thread's first run ("start") and its wake-up from d.sleep ("sleep") too,
  // and for a passive driver each entry-point call and each run of scheduled work.
  if (isThreadStart(d)) return `thread ${d.thread} starts`;
  if (isSleepWake(d)) return `${d.thread} wakes from sleep`;
  if (d.kind === "work") return `scheduled work runs on ${d.thread}${d.from !== undefined ? ` (scheduled by ${d.from})` : ""}`;
  if (d.passive === true) return `${entryCall(d)} #${d.seq} ${d.thread === "interrupt" ? "in" : "on"} ${passiveContext(d.thread)}`;
  const payload = d.payload === "" || d.payload === "undefined" ? "" : ` ${d.payload}`;
  return `${d.mailbox} #${d.seq}${payload} -> ${d.thread}`;
}

/** Breakpoints and exception filters that the events since the previous delivery match. */
function matchEvents(events: readonly TraceEvent[], bps: BreakpointSpec): StopHit | undefined {
  for (const event of events) {
    const filter = exceptionFilterOf(event);
    if (filter !== undefined && bps.exceptions.includes(filter)) {
      const label = filter === "protocol" ? "Protocol violation" : "Driver error";
      return { reason: "exception", text: `${label}: ${event.detail ?? event.fault ?? "fault"}`, thread: threadOf(event), event };
    }
  }
  for (const event of events) {
    if (event.kind !== "send") continue;
    const thread = threadOf(event);
    if (thread === undefined) continue; // only the driver's own sends
    if (event.loc !== undefined && hasLine(bps, event.loc.file, event.loc.line)) {
      return { reason: "breakpoint", text: `send ${event.mailbox ?? "?"}${where(event.loc)}`, thread, event };
    }
    // A send to another thread is caught when it is delivered there.
    if (event.mailbox !== undefined && !event.to?.startsWith("thread:") && bps.mailboxes.includes(event.mailbox)) {
      return { reason: "function breakpoint", text: `${thread} sent ${event.mailbox}${event.payload ? ` ${event.payload}` : ""}`, thread, event };
    }
  }
  return undefined;
}

function matchDelivery(d: Delivery, bps: BreakpointSpec): StopHit | undefined {
  if (d.loc !== undefined && hasLine(bps, d.loc.file, d.loc.line)) {
    return { reason: "breakpoint", text: `${describeDelivery(d)}${where(d.loc)}`, thread: d.thread };
  }
  if (bps.mailboxes.includes(d.mailbox)) {
    const what = d.passive === true ? `Entry point ${d.mailbox}` : `Message on mailbox ${d.mailbox}`;
    return { reason: "function breakpoint", text: `${what}: ${describeDelivery(d)}`, thread: d.thread };
  }
  return undefined;
}

/**
 * Whether to stop at `position` (held before `delivery`, or at the end when it is undefined), given
 * the trace events recorded since the previous delivery.
 */
export function stopAt(position: number, delivery: Delivery | undefined, events: readonly TraceEvent[], bps: BreakpointSpec, until: RunUntil): StopHit | undefined {
  if (until.breakpoints) {
    const hit = matchEvents(events, bps) ?? (delivery !== undefined ? matchDelivery(delivery, bps) : undefined);
    if (hit !== undefined) return hit;
  }
  const eventReached = until.event !== undefined && delivery !== undefined && delivery.traceLength > until.event;
  if ((until.position !== undefined && position >= until.position) || eventReached) {
    const reason = until.reason ?? "step";
    const text = delivery !== undefined ? describeDelivery(delivery) : "end of the run";
    return delivery !== undefined ? { reason, text, thread: delivery.thread } : { reason, text };
  }
  return undefined;
}
