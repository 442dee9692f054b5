// What the Variables view shows at a stop, read from the live instance (the domain is held, so
// nothing changes while this runs) and made plain for the trip to the adapter.
import type { AnyProtocol, DriverInstance, InMessage, MailboxSnapshot, MessageSpec, ThreadSnapshot, TraceEvent } from "active-driver";
import type { Delivery, ErrorInfo, ProtocolInfo, ProtocolSnapshot, Snapshot } from "./messages";
import { isSleepWake, isThreadStart } from "../stops";
import { toPlain } from "./plain";
import { defined } from "../../../../runtime/src/defined";

/** The protocol as declared, plain. */
export function protocolInfo(protocol: AnyProtocol): ProtocolInfo {
  const states: Record<string, Record<string, string>> = {};
  for (const state of protocol.stateNames) states[state] = { ...(protocol.states[state] as Record<string, string>) };
  const directions: Record<string, "in" | "out"> = {};
  const replies: Record<string, string> = {};
  for (const [name, spec] of Object.entries(protocol.messages as Record<string, MessageSpec>)) {
    directions[name] = spec.direction;
    const reply = (spec as InMessage<unknown, string>).reply;
    if (spec.direction === "in" && reply !== undefined) replies[name] = reply;
  }
  return { name: protocol.name, initial: protocol.initial, states, directions, replies };
}

export function protocolSnapshot(inst: DriverInstance, info: ProtocolInfo): ProtocolSnapshot {
  const state = String(inst.protocolState);
  const row = info.states[state] ?? {};
  const names = Object.keys(row);
  const owedReplies: ProtocolSnapshot["owedReplies"] = [];
  for (const mb of inst.mailboxes()) {
    if (mb.direction !== "out" || mb.length === 0) continue;
    const request = Object.keys(info.replies).find((r) => info.replies[r] === mb.name) ?? "?";
    owedReplies.push({ reply: mb.name, request, count: mb.length });
  }
  return {
    name: info.name,
    state,
    enabled: names.filter((n) => info.directions[n] === "in"),
    allowedSends: names.filter((n) => info.directions[n] === "out"),
    owedReplies,
    transitions: { ...row },
    violations: inst.violations.map((v) => ({ ...v })),
  };
}

export function errorInfo(error: unknown, kind: string): ErrorInfo {
  if (error instanceof Error) {
    const info: ErrorInfo = { name: error.name, message: error.message, kind };
    if (error.stack !== undefined) info.stack = error.stack;
    const loc = (error as { loc?: unknown }).loc;
    if (typeof loc === "object" && loc !== null && typeof (loc as { file?: unknown }).file === "string") info.loc = { ...(loc as ErrorInfo["loc"] & object) };
    return info;
  }
  return { name: "Error", message: String(error), kind };
}

/**
 * At a gate the runtime has already woken the receiving thread; the debugger shows the moment just
 * before the delivery, so the receiver is shown waiting where it waited, on what it waited on.
 */
function beforeDelivery(
  threads: ThreadSnapshot[],
  mailboxes: MailboxSnapshot[],
  delivery: Delivery | undefined,
  lastWaits: ReadonlyMap<string, string[]>,
): void {
  // A passive driver's call has not started: its thread shows as runnable, with no wait to show.
  if (delivery === undefined || delivery.passive === true) return;
  const i = threads.findIndex((t) => t.name === delivery.thread);
  const receiver = threads[i];
  if (receiver === undefined || receiver.waitingOn.length > 0) return;
  const waitingOn = isThreadStart(delivery) || isSleepWake(delivery) ? [] : (lastWaits.get(delivery.thread) ?? [delivery.mailbox]);
  threads[i] = { ...receiver, status: waitingOn.length > 0 ? "waiting" : receiver.status, waitingOn, ...defined({ loc: delivery.loc }) };
  for (let m = 0; m < mailboxes.length; m++) {
    const mb = mailboxes[m]!;
    if (mb.waiter === undefined && waitingOn.includes(mb.name)) mailboxes[m] = { ...mb, waiter: delivery.thread };
  }
}

export function takeSnapshot(
  inst: DriverInstance,
  info: ProtocolInfo,
  position: number,
  delivery: Delivery | undefined,
  recent: readonly TraceEvent[],
  lastWaits: ReadonlyMap<string, string[]>,
): Snapshot {
  const threads = inst.threads().map((t) => ({ ...t, waitingOn: [...t.waitingOn] }));
  const mailboxes = inst.mailboxes().map((m) => ({ ...m, queued: [...m.queued] }));
  beforeDelivery(threads, mailboxes, delivery, lastWaits);
  const snapshot: Snapshot = {
    position,
    time: inst.now(),
    status: inst.status,
    threads,
    mailboxes,
    protocol: protocolSnapshot(inst, info),
    recent: [...recent],
  };
  if (delivery !== undefined) snapshot.delivery = delivery;
  const device = inst.device;
  if (typeof device.inspect === "function") {
    let registers: Record<string, unknown>;
    try {
      registers = toPlain(device.inspect()) as Record<string, unknown>;
    } catch (error) {
      registers = { error: `inspect() failed: ${String(error)}` };
    }
    snapshot.device = { name: device.name, registers };
  }
  if (inst.failure !== undefined) snapshot.failure = errorInfo(inst.failure, "driver-error");
  return snapshot;
}
