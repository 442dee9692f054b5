// Where a run stops: one rule, used live by the worker at each delivery and by the adapter when it
// searches the recorded history backwards (reverse continue). Pure functions over plain data; what
// a condition or hit count says comes in through a `Judge` (the worker evaluates, the adapter looks
// up what the worker recorded).
import * as path from "node:path";
import type { DeliveryEvent, DeliveryKind, TraceEvent } from "active-driver";
import { lineKey, mailboxKey } from "./breakpointOptions";
import type { BreakpointSpec, Delivery, ExceptionFilter, LineBreakpoint, MailboxBreakpoint, RunUntil, StopHit } from "./worker/messages";
import { defined } from "../../../runtime/src/defined";

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

function where(loc: { file: string; line: number } | undefined): string {
  return loc === undefined ? "" : ` at ${path.basename(loc.file)}:${loc.line}`;
}

/** The driver thread that made an event, if a thread did. */
export function threadOf(event: TraceEvent): string | undefined {
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

/**
 * Whether an exception filter's condition holds at a fault event: `note` says why when it could not
 * be evaluated (then it stops, so the user sees it). It sees the event only, so the worker and the
 * adapter (reverse continue) decide alike.
 */
export type ExceptionTest = (condition: string, event: TraceEvent) => { holds: boolean; note?: string };

/** The first event since the previous delivery that an exception filter (and its condition) stops at. */
export function exceptionHit(events: readonly TraceEvent[], bps: BreakpointSpec, test?: ExceptionTest): StopHit | undefined {
  if (bps.exceptions.length === 0) return undefined;
  for (const event of events) {
    const filter = exceptionFilterOf(event);
    if (filter === undefined || !bps.exceptions.includes(filter)) continue;
    const condition = bps.exceptionConditions?.[filter];
    const verdict = condition === undefined ? undefined : (test?.(condition, event) ?? { holds: false });
    if (verdict !== undefined && !verdict.holds) continue;
    const label = filter === "protocol" ? "Protocol violation" : "Driver error";
    const why = condition === undefined ? "" : ` (${verdict?.note ?? condition})`;
    return { reason: "exception", text: `${label}: ${event.detail ?? event.fault ?? "fault"}${why}`, thread: threadOf(event), event };
  }
  return undefined;
}

/** A user breakpoint whose place matches here: a send the driver made (`hit.event`), or the delivery. */
export interface Candidate {
  bp: LineBreakpoint | MailboxBreakpoint;
  /** What its hit count counts (breakpointOptions.ts). */
  key: string;
  /** What a stop here reports. */
  hit: StopHit;
}

/** Breakpoints at a driver's send: on its line, or on its mailbox when it goes to the OS. */
export function sendCandidates(event: TraceEvent, bps: BreakpointSpec): Candidate[] {
  if (event.kind !== "send") return [];
  const thread = threadOf(event);
  if (thread === undefined) return []; // only the driver's own sends
  const out: Candidate[] = [];
  if (event.loc !== undefined) {
    const file = fileKey(event.loc.file);
    for (const bp of bps.lines[file] ?? []) {
      if (bp.line === event.loc.line)
        out.push({
          bp,
          key: lineKey(file, bp),
          hit: { reason: "breakpoint", text: `send ${event.mailbox ?? "?"}${where(event.loc)}`, thread, event, breakpointId: bp.id },
        });
    }
  }
  // A send to another thread is caught when it is delivered there.
  if (event.mailbox !== undefined && !event.to?.startsWith("thread:")) {
    for (const bp of bps.mailboxes) {
      if (bp.name !== event.mailbox) continue;
      out.push({
        bp,
        key: mailboxKey(bp),
        hit: {
          reason: "function breakpoint",
          text: `${thread} sent ${event.mailbox}${event.payload ? ` ${event.payload}` : ""}`,
          thread,
          event,
          breakpointId: bp.id,
        },
      });
    }
  }
  return out;
}

/** Breakpoints at a delivery: on the line where its receiver waits, or on its mailbox. */
export function deliveryCandidates(d: Delivery, bps: BreakpointSpec): Candidate[] {
  const out: Candidate[] = [];
  if (d.loc !== undefined) {
    const file = fileKey(d.loc.file);
    for (const bp of bps.lines[file] ?? []) {
      if (bp.line === d.loc.line)
        out.push({
          bp,
          key: lineKey(file, bp),
          hit: { reason: "breakpoint", text: `${describeDelivery(d)}${where(d.loc)}`, thread: d.thread, breakpointId: bp.id },
        });
    }
  }
  for (const bp of bps.mailboxes) {
    if (bp.name !== d.mailbox) continue;
    const what = d.passive === true ? `Entry point ${d.mailbox}` : `Message on mailbox ${d.mailbox}`;
    out.push({
      bp,
      key: mailboxKey(bp),
      hit: { reason: "function breakpoint", text: `${what}: ${describeDelivery(d)}`, thread: d.thread, breakpointId: bp.id },
    });
  }
  return out;
}

/** The stop a candidate makes on its `count`-th hit: the condition and count said, so the user sees why. */
export function decorate(c: Candidate, count: number): StopHit {
  const why = [c.bp.hitCondition !== undefined ? `hit ${count}` : "", c.bp.condition !== undefined ? `${c.bp.condition}` : ""].filter((s) => s !== "");
  return why.length === 0 ? c.hit : { ...c.hit, text: `${c.hit.text} (${why.join(", ")})` };
}

/**
 * Whether a candidate stops the run: the worker answers from the conditions it evaluated, reverse
 * continue from the hits it recorded (history.ts). Logpoints never stop.
 */
export type Judge = (c: Candidate, position: number) => StopHit | undefined;

/** Breakpoints with no condition and no hit count stop wherever their place matches. */
export const placeOnly: Judge = (c) => (c.bp.logMessage === undefined && c.bp.condition === undefined && c.bp.hitCondition === undefined ? c.hit : undefined);

/**
 * Whether to stop at `position` (held before `delivery`, or at the end when it is undefined), given
 * the trace events recorded since the previous delivery: exception filters first, then breakpoints
 * on those sends, then on the delivery, then the target of a step.
 */
export function stopAt(
  position: number,
  delivery: Delivery | undefined,
  events: readonly TraceEvent[],
  bps: BreakpointSpec,
  until: RunUntil,
  judge: Judge = placeOnly,
  exceptionTest?: ExceptionTest,
): StopHit | undefined {
  if (until.breakpoints) {
    const hit = exceptionHit(events, bps, exceptionTest) ?? firstStop(position, delivery, events, bps, judge);
    if (hit !== undefined) return hit;
  }
  const eventReached = until.event !== undefined && delivery !== undefined && delivery.traceLength > until.event;
  if ((until.position !== undefined && position >= until.position) || eventReached) {
    const reason = until.reason ?? "step";
    const text = delivery !== undefined ? describeDelivery(delivery) : "end of the run";
    return { reason, text, ...defined({ thread: delivery?.thread }) };
  }
  return undefined;
}

function firstStop(position: number, delivery: Delivery | undefined, events: readonly TraceEvent[], bps: BreakpointSpec, judge: Judge): StopHit | undefined {
  if (bps.mailboxes.length === 0 && Object.keys(bps.lines).length === 0) return undefined;
  for (const event of events) {
    for (const c of sendCandidates(event, bps)) {
      const hit = judge(c, position);
      if (hit !== undefined) return hit;
    }
  }
  if (delivery === undefined) return undefined;
  for (const c of deliveryCandidates(delivery, bps)) {
    const hit = judge(c, position);
    if (hit !== undefined) return hit;
  }
  return undefined;
}
