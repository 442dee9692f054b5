// Trace exporters (pure): JSON lines, one event per line (the CLI's --trace format), and Chrome
// trace-event JSON for Perfetto / chrome://tracing: one track per lifeline, one zero-length slice
// per event (Perfetto draws those as instants), and a flow arrow from each send to its delivery.
import type { Lifeline, TraceEvent } from "../../../../runtime/src/trace";

export function toJsonLines(events: readonly TraceEvent[]): string {
  let out = "";
  for (const e of events) out += JSON.stringify(e) + "\n";
  return out;
}

/** Parses JSON lines (blank lines skipped); errors name the source, the line and the cause. */
export function parseJsonLines(text: string, source = "trace"): TraceEvent[] {
  const events: TraceEvent[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new Error(`${source}:${i + 1}: not JSON: ${(error as Error).message}`, { cause: error });
    }
    const e = value as Partial<TraceEvent> | null;
    if (
      e === null ||
      typeof e !== "object" ||
      typeof e.seq !== "number" ||
      typeof e.time !== "number" ||
      typeof e.kind !== "string" ||
      typeof e.from !== "string"
    ) {
      throw new Error(`${source}:${i + 1}: not a trace event (needs numeric seq and time, string kind and from)`);
    }
    events.push(e as TraceEvent);
  }
  return events;
}

/** One entry of Chrome's trace-event format (the subset written here). */
export interface ChromeTraceEvent {
  name: string;
  ph: "X" | "M";
  pid: number;
  tid: number;
  cat?: string;
  /** Microseconds. */
  ts?: number;
  dur?: number;
  args?: Record<string, unknown>;
  /** Flow v2: the slice starts (flow_out) or ends (flow_in) the flow with this id. */
  bind_id?: string;
  flow_out?: boolean;
  flow_in?: boolean;
}

export interface ChromeTrace {
  traceEvents: ChromeTraceEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, string>;
}

const PID = 1;

/** Lifelines in diagram order: OS, adapter, driver threads (first appearance), unknown ones, NIC. */
export function orderLifelines(events: readonly TraceEvent[]): Lifeline[] {
  const seen = new Set<string>();
  const middle: Lifeline[] = [];
  const note = (l: Lifeline | undefined): void => {
    if (l === undefined || seen.has(l)) return;
    seen.add(l);
    if (l !== "os" && l !== "adapter" && l !== "nic") middle.push(l);
  };
  for (const e of events) {
    note(e.from);
    note(e.to);
  }
  return ["os", "adapter", ...middle, "nic"];
}

/**
 * For each deliver event, the index of the send it delivers. Mailboxes are FIFO, so the k-th delivery
 * from a mailbox is its k-th send. Sends that are never delivered (messages to the OS) stay unpaired.
 */
export function pairSendsWithDeliveries(events: readonly TraceEvent[]): Map<number, number> {
  const pending = new Map<string, number[]>();
  const heads = new Map<string, number>();
  const pairs = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.mailbox === undefined) return;
    if (e.kind === "send") {
      let queue = pending.get(e.mailbox);
      if (!queue) pending.set(e.mailbox, (queue = []));
      queue.push(i);
    } else if (e.kind === "deliver") {
      const queue = pending.get(e.mailbox);
      const head = heads.get(e.mailbox) ?? 0;
      if (queue && head < queue.length) {
        pairs.set(i, queue[head]!);
        heads.set(e.mailbox, head + 1);
      }
    }
  });
  return pairs;
}

export function toChromeTrace(events: readonly TraceEvent[], processName = "active driver domain"): ChromeTrace {
  const lanes = orderLifelines(events);
  const tidOf = new Map<string, number>(lanes.map((l, i) => [l, i + 1]));
  const traceEvents: ChromeTraceEvent[] = [{ name: "process_name", ph: "M", pid: PID, tid: 0, args: { name: processName } }];
  lanes.forEach((lane, i) => {
    traceEvents.push({ name: "thread_name", ph: "M", pid: PID, tid: i + 1, args: { name: laneLabel(lane) } });
    traceEvents.push({ name: "thread_sort_index", ph: "M", pid: PID, tid: i + 1, args: { sort_index: i } });
  });
  const deliveries = pairSendsWithDeliveries(events);
  const flowOfSend = new Map<number, string>();
  for (const send of deliveries.values()) flowOfSend.set(send, `m${events[send]!.seq}`);
  events.forEach((e, i) => {
    const slice: ChromeTraceEvent = {
      name: sliceName(e),
      cat: e.kind,
      ph: "X",
      ts: e.time,
      dur: 0,
      pid: PID,
      tid: tidOf.get(e.from)!,
      args: sliceArgs(e),
    };
    const sendFlow = flowOfSend.get(i);
    const deliveredFrom = deliveries.get(i);
    if (sendFlow !== undefined) Object.assign(slice, { bind_id: sendFlow, flow_out: true });
    else if (deliveredFrom !== undefined) Object.assign(slice, { bind_id: `m${events[deliveredFrom]!.seq}`, flow_in: true });
    traceEvents.push(slice);
  });
  return { traceEvents, displayTimeUnit: "ms", otherData: { source: "active-drivers", events: String(events.length) } };
}

export function laneLabel(lane: string): string {
  if (lane.startsWith("thread:")) return `thread ${lane.slice("thread:".length)}`;
  if (lane === "os") return "OS";
  if (lane === "nic") return "NIC";
  return lane;
}

function sliceName(e: TraceEvent): string {
  if (e.kind === "fault") return `fault ${e.fault ?? ""}`.trim();
  if (e.kind === "state") return `state ${e.state ?? ""}`.trim();
  return e.mailbox !== undefined ? `${e.kind} ${e.mailbox}` : e.kind;
}

function sliceArgs(e: TraceEvent): Record<string, unknown> {
  const args: Record<string, unknown> = { seq: e.seq, from: e.from };
  if (e.to !== undefined) args.to = e.to;
  if (e.mailbox !== undefined) args.mailbox = e.mailbox;
  if (e.payload !== undefined) args.payload = e.payload;
  if (e.state !== undefined) args.state = e.state;
  if (e.fault !== undefined) args.fault = e.fault;
  if (e.detail !== undefined) args.detail = e.detail;
  if (e.loc !== undefined) args.loc = `${e.loc.file}:${e.loc.line}:${e.loc.column}`;
  return args;
}
