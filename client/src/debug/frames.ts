// What each thread's call stack shows at a stop, as plain frames (the session makes DAP frames of
// them). A driver thread shows the event that stopped it (a send on a breakpoint line, a fault) and
// the wait it is blocked in; a passive driver's thread (an OS thread, interrupt context, the worker)
// the entry point about to be called and the calls of it blocked in k.lock/k.sleep; the OS side
// shows the replies it awaits; the NIC its state.
import * as fs from "node:fs";
import type { SourceLocation, ThreadSnapshot } from "active-driver";
import { entryCall, isSleepWake, isThreadStart } from "./stops";
import { formatTime } from "./variables";
import type { Delivery, Snapshot, StopHit } from "./worker/messages";
import { defined } from "../../../runtime/src/defined";

export interface PlainFrame {
  name: string;
  loc?: SourceLocation;
  /** "label": a frame with no code behind it. */
  hint?: "label";
}

export function osFrames(snapshot: Snapshot): PlainFrame[] {
  const owed = snapshot.protocol.owedReplies;
  if (owed.length === 0) return [{ name: `OS side: protocol state ${snapshot.protocol.state}, no request pending`, hint: "label" }];
  return owed.map((o) => ({ name: `awaiting ${o.reply} (answers ${o.request}${o.count > 1 ? `, x${o.count}` : ""})`, hint: "label" }));
}

export function nicFrames(snapshot: Snapshot): PlainFrame[] {
  const regs = snapshot.device?.registers ?? {};
  const state = typeof regs.state === "string" ? regs.state : "attached";
  const status = regs.IntrStatus !== undefined ? `, IntrStatus ${String(regs.IntrStatus)}` : "";
  return [{ name: `${snapshot.device?.name ?? "device"}: ${state}${status}`, hint: "label" }];
}

/**
 * Frames of driver thread `name`. `stopped`: the stop is reported on this thread (its event goes on
 * top). `entry`: where the driver's main thread begins, for a thread that has not run yet.
 */
export function driverThreadFrames(
  name: string,
  stop: StopHit & { delivery?: Delivery },
  stopped: boolean,
  snapshot: Snapshot,
  entry: () => SourceLocation | undefined,
): PlainFrame[] {
  const frames: PlainFrame[] = [];
  const e = stop.event;
  if (stopped && e?.loc !== undefined) {
    const name = e.kind === "send" ? `send(${e.mailbox ?? "?"}${e.payload ? `, ${e.payload}` : ""})` : `${e.fault ?? "fault"}: ${e.detail ?? ""}`;
    frames.push({ name, loc: e.loc });
  }
  const thread = snapshot.threads.find((t) => t.name === name);
  if (thread === undefined) {
    frames.push({ name: `${name}: not running`, hint: "label" });
    return frames;
  }
  const delivery = stop.delivery?.thread === name ? stop.delivery : undefined;
  const loc = thread.loc ?? delivery?.loc ?? (thread.name === "main" ? entry() : undefined);
  frames.push({ name: threadFrameName(thread, delivery), ...defined({ loc }) });
  return frames;
}

/** Which entry point a passive driver's thread calls: OS threads are named after theirs. */
function entryOfThread(thread: string): string | undefined {
  return thread === "interrupt" ? "irq" : thread === "worker" || thread === "kernel" ? undefined : thread;
}

/**
 * Frames of a passive driver's thread `name`: the call the stop holds (on top, at the entry point's
 * definition), then each unfinished call on that thread where it blocks. `locate` finds an entry
 * point's definition; `entry` is the definePassiveDriver(...) call, the fallback.
 */
export function passiveThreadFrames(
  name: string,
  stop: StopHit & { delivery?: Delivery },
  stopped: boolean,
  snapshot: Snapshot,
  locate: (entry: string) => SourceLocation | undefined,
  entry: () => SourceLocation | undefined,
): PlainFrame[] {
  const frames: PlainFrame[] = [];
  const e = stop.event;
  if (stopped && e?.loc !== undefined) {
    const label = e.kind === "send" ? `send(${e.mailbox ?? "?"}${e.payload ? `, ${e.payload}` : ""})` : `${e.fault ?? "fault"}: ${e.detail ?? ""}`;
    frames.push({ name: label, loc: e.loc });
  }
  const delivery = stop.delivery?.thread === name ? stop.delivery : undefined;
  if (delivery !== undefined) {
    const label =
      delivery.kind === "work"
        ? `scheduled work${delivery.from !== undefined ? ` (from ${delivery.from})` : ""}: runs now`
        : `${entryCall(delivery)}: called now`;
    const loc = delivery.loc ?? entry();
    frames.push({ name: label, ...defined({ loc }) });
  }
  const of = entryOfThread(name);
  for (const t of snapshot.threads) {
    if (t.name !== name || t.status === "runnable") continue;
    const label =
      t.status === "waiting"
        ? `k.lock("${t.waitingOn[0] ?? "?"}")`
        : t.status === "sleeping"
          ? `k.sleep(${t.waitingOn[0] ?? ""})${t.wakeAt !== undefined ? `, wakes at ${formatTime(t.wakeAt)}` : ""}`
          : `${name} ${t.status}`;
    const loc = t.loc ?? (of !== undefined ? locate(of) : undefined);
    frames.push({ name: label, ...defined({ loc }) });
  }
  if (frames.length === 0) frames.push({ name: `${name}: not running`, hint: "label" });
  return frames;
}

function threadFrameName(t: ThreadSnapshot, delivery: Delivery | undefined): string {
  if (delivery !== undefined && isThreadStart(delivery)) return `${t.name} starts`;
  if (delivery !== undefined && isSleepWake(delivery)) return "sleep: wakes now";
  switch (t.status) {
    case "waiting": {
      const waits = `wait(${t.waitingOn.join(", ")})`;
      if (delivery === undefined) return waits;
      const payload = delivery.payload && delivery.payload !== "undefined" ? ` ${delivery.payload}` : "";
      return `${waits} <- ${delivery.mailbox} #${delivery.seq}${payload}`;
    }
    case "sleeping":
      return t.wakeAt !== undefined ? `sleep (wakes at ${formatTime(t.wakeAt)})` : "sleep";
    case "ended":
      return `${t.name} ended`;
    case "failed":
      return `${t.name} failed`;
    default:
      return `${t.name} ${t.status}`;
  }
}

const entryCache = new Map<string, SourceLocation | undefined>();

/** Where a driver's main thread begins: the defineDriver(...) call in its entry file. */
export function driverEntry(file: string): SourceLocation | undefined {
  if (!entryCache.has(file)) {
    let loc: SourceLocation | undefined;
    try {
      const lines = fs.readFileSync(file, "utf8").split(/\r?\n/);
      const i = lines.findIndex((l) => /\bdefine(?:Passive)?Driver\s*\(/.test(l));
      if (i >= 0) loc = { file, line: i + 1, column: lines[i]!.search(/define(?:Passive)?Driver/) + 1 };
    } catch {
      loc = undefined;
    }
    entryCache.set(file, loc);
  }
  return entryCache.get(file);
}
