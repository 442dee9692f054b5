// The runtime's message passing beside plain Node mechanisms, in one process:
// - streaming: 1,000,000 messages into a consumer that waits on several mailboxes (4);
// - round trip: request/reply, the OS side awaiting each reply before the next request;
// - memory: heap held by 1,000,000 queued messages.
// Peers: a direct function call, a naive promise mailbox (a queue plus a resolver promise per wait),
// Node's EventEmitter, an xstate v5 actor. Each figure is the median of several runs after a warm-up.
// Run (after npm run build): node --expose-gc --import tsx test/bench/runtime.bench.ts [--json]
import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { assign, createActor, createMachine } from "xstate";
import { defineDriver, defineProtocol, launch, msg, type LaunchOptions } from "active-driver";

export interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const STREAM = 1_000_000;
/** The producer sends this many messages, then lets the consumer drain them (streaming, not a 1M backlog). */
const BURST = 1000;
const ROUND_TRIPS = 200_000;
const RUNS = 5;

// ---------------------------------------------------------------------------------------------
// The runtime

const Bench = defineProtocol({
  name: "bench",
  messages: {
    xmit: msg.in<{ frame: Uint8Array }>(),
    txTimeout: msg.in(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    ping: msg.in({ reply: "pong" }),
    pong: msg.out<number>(),
  },
  initial: "open",
  states: { open: { xmit: "open", txTimeout: "open", close: "open", closeComplete: "open", ping: "open", pong: "open" } },
});

let streamed = 0;
const streamDriver = defineDriver({ protocol: Bench }, async ({ wait, send, mb, dev }) => {
  for (;;) {
    const r = await wait(mb.close, mb.xmit, mb.txTimeout, dev.irq);
    switch (r.name) {
      case "xmit":
        streamed += r.msg.frame.length;
        break;
      case "close":
        send(mb.closeComplete, { status: 0 });
        break;
      case "txTimeout":
      case "irq":
        break;
    }
  }
});

const pingDriver = defineDriver({ protocol: Bench }, async ({ wait, send, mb }) => {
  for (;;) {
    await wait(mb.ping);
    send(mb.pong, 1);
  }
});

const frame = new Uint8Array(64);

async function runtimeStream(n: number, options: LaunchOptions): Promise<number> {
  const inst = launch(streamDriver, options);
  await inst.idle();
  streamed = 0;
  const t0 = performance.now();
  for (let sent = 0; sent < n; sent += BURST) {
    for (let i = 0; i < BURST; i++) inst.os.xmit({ frame });
    await inst.idle();
  }
  const seconds = (performance.now() - t0) / 1000;
  if (streamed !== n * frame.length) throw new Error(`runtime stream lost messages: ${streamed / frame.length} of ${n}`);
  await inst.stop();
  return n / seconds;
}

async function runtimeRoundTrip(n: number, options: LaunchOptions): Promise<number> {
  const inst = launch(pingDriver, options);
  await inst.idle();
  const t0 = performance.now();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await inst.os.ping();
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n) throw new Error("runtime round trip lost replies");
  await inst.stop();
  return us;
}

// ---------------------------------------------------------------------------------------------
// Peers

type Msg = { name: "close" | "xmit" | "txTimeout" | "irq"; frame?: Uint8Array };

function directStream(n: number): number {
  let total = 0;
  const handle = (m: Msg): void => {
    switch (m.name) {
      case "xmit":
        total += m.frame!.length;
        break;
      default:
        break;
    }
  };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) handle({ name: "xmit", frame });
  const seconds = (performance.now() - t0) / 1000;
  if (total !== n * frame.length) throw new Error("direct stream");
  return n / seconds;
}

function directRoundTrip(n: number): number {
  const serve = (x: number): number => x + 1;
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sum += serve(i) - i;
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n) throw new Error("direct round trip");
  return us;
}

/** The obvious promise mailbox: an array queue per mailbox and a new resolver promise per wait. */
class NaiveDomain {
  private seq = 0;
  private waiter: { boxes: NaiveBox[]; resolve: (r: { box: NaiveBox; msg: unknown }) => void } | null = null;
  send(box: NaiveBox, msg: unknown): void {
    const w = this.waiter;
    if (w !== null && w.boxes.includes(box)) {
      this.waiter = null;
      w.resolve({ box, msg });
      return;
    }
    box.push({ seq: this.seq++, msg });
  }
  wait(...boxes: NaiveBox[]): Promise<{ box: NaiveBox; msg: unknown }> {
    return new Promise((resolve) => {
      let best: NaiveBox | null = null;
      for (const b of boxes) if (b.size() > 0 && (best === null || b.head().seq < best.head().seq)) best = b;
      if (best !== null) resolve({ box: best, msg: best.take().msg });
      else this.waiter = { boxes, resolve };
    });
  }
}
class NaiveBox {
  private queue: { seq: number; msg: unknown }[] = [];
  private first = 0;
  constructor(readonly name: string) {}
  push(entry: { seq: number; msg: unknown }): void {
    this.queue.push(entry);
  }
  size(): number {
    return this.queue.length - this.first;
  }
  head(): { seq: number; msg: unknown } {
    return this.queue[this.first];
  }
  take(): { seq: number; msg: unknown } {
    const entry = this.queue[this.first++];
    if (this.first === this.queue.length) {
      this.queue = [];
      this.first = 0;
    }
    return entry;
  }
}

async function naiveStream(n: number): Promise<number> {
  const domain = new NaiveDomain();
  const [close, xmit, txTimeout, irq] = ["close", "xmit", "txTimeout", "irq"].map((name) => new NaiveBox(name));
  let total = 0;
  const drain: { resolve: (() => void) | null } = { resolve: null };
  void (async () => {
    for (;;) {
      const r = await domain.wait(close, xmit, txTimeout, irq);
      if (r.box === xmit) total += (r.msg as { frame: Uint8Array }).frame.length;
      const resolve = drain.resolve;
      if (resolve !== null && xmit.size() === 0) {
        drain.resolve = null;
        resolve();
      }
    }
  })();
  const t0 = performance.now();
  for (let sent = 0; sent < n; sent += BURST) {
    const done = new Promise<void>((resolve) => (drain.resolve = resolve));
    for (let i = 0; i < BURST; i++) domain.send(xmit, { frame });
    await done;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (total !== n * frame.length) throw new Error("naive stream");
  return n / seconds;
}

async function naiveRoundTrip(n: number): Promise<number> {
  const domain = new NaiveDomain();
  const ping = new NaiveBox("ping");
  void (async () => {
    for (;;) {
      const r = await domain.wait(ping);
      (r.msg as (v: number) => void)(1);
    }
  })();
  await Promise.resolve();
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) sum += await new Promise<number>((resolve) => domain.send(ping, resolve));
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n) throw new Error("naive round trip");
  return us;
}

/**
 * The floor for any mailbox whose `wait` is awaited: one `await` of a fresh, already-resolved
 * promise holding a fresh result object per message, and nothing else (no queue, no dispatch).
 * `await` always takes a microtask turn, even for a settled promise or a plain value (and a
 * thenable that calls back at once costs a second turn), so no awaited wait can beat this.
 */
class FloorResult {
  constructor(
    readonly name: string,
    readonly msg: { frame: Uint8Array },
  ) {}
}

async function awaitFloorStream(n: number): Promise<number> {
  let total = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await Promise.resolve(new FloorResult("xmit", { frame }));
    total += r.msg.frame.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (total !== n * frame.length) throw new Error("await floor stream");
  return n / seconds;
}

function emitterStream(n: number): number {
  const emitter = new EventEmitter();
  let total = 0;
  emitter.on("xmit", (m: { frame: Uint8Array }) => (total += m.frame.length));
  emitter.on("close", () => {});
  emitter.on("txTimeout", () => {});
  emitter.on("irq", () => {});
  const t0 = performance.now();
  for (let i = 0; i < n; i++) emitter.emit("xmit", { frame });
  const seconds = (performance.now() - t0) / 1000;
  if (total !== n * frame.length) throw new Error("emitter stream");
  return n / seconds;
}

function emitterRoundTrip(n: number): number {
  const emitter = new EventEmitter();
  let sum = 0;
  emitter.on("ping", (x: number) => emitter.emit("pong", x));
  emitter.on("pong", (x: number) => (sum += x));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) emitter.emit("ping", 1);
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n) throw new Error("emitter round trip");
  return us;
}

const streamMachine = createMachine({
  types: {} as { context: { total: number }; events: { type: "xmit"; frame: Uint8Array } | { type: "close" } | { type: "txTimeout" } | { type: "irq" } },
  context: { total: 0 },
  initial: "open",
  states: {
    open: {
      on: {
        xmit: { actions: assign({ total: ({ context, event }) => context.total + event.frame.length }) },
        txTimeout: {},
        irq: {},
        close: { target: "closed" },
      },
    },
    closed: {},
  },
});

function xstateStream(n: number): number {
  const actor = createActor(streamMachine).start();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) actor.send({ type: "xmit", frame });
  const seconds = (performance.now() - t0) / 1000;
  if (actor.getSnapshot().context.total !== n * frame.length) throw new Error("xstate stream");
  actor.stop();
  return n / seconds;
}

const pingMachine = createMachine({
  types: {} as { context: { replies: number }; events: { type: "ping" } },
  context: { replies: 0 },
  on: { ping: { actions: assign({ replies: ({ context }) => context.replies + 1 }) } },
});

function xstateRoundTrip(n: number): number {
  const actor = createActor(pingMachine).start();
  let sum = 0;
  actor.subscribe((s) => (sum = s.context.replies));
  const t0 = performance.now();
  for (let i = 0; i < n; i++) actor.send({ type: "ping" });
  const us = ((performance.now() - t0) * 1000) / n;
  if (sum !== n) throw new Error("xstate round trip");
  actor.stop();
  return us;
}

// ---------------------------------------------------------------------------------------------
// Memory

function gcFunction(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Memory (V8 heap plus ArrayBuffers) held by `n` queued messages, each with its own payload object, before the driver takes them. */
async function queuedHeapMb(n: number, trace: LaunchOptions["trace"]): Promise<number> {
  const gc = gcFunction();
  const inst = launch(streamDriver, { trace });
  await inst.idle();
  gc();
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  // Sent from a timer: the driver cannot run until the timer callback returns, so all n are queued.
  let after = before;
  inst.after(1, () => {
    for (let i = 0; i < n; i++) inst.os.xmit({ frame });
    gc();
    after = used();
  });
  await inst.idle();
  await inst.stop();
  return (after - before) / 2 ** 20;
}

// ---------------------------------------------------------------------------------------------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Mechanism {
  name: string;
  stream: () => number | Promise<number>;
  roundTrip?: () => number | Promise<number>;
}

interface Line {
  mechanism: string;
  perSecond: number;
  roundTripUs: number;
}

const mechanisms: Mechanism[] = [
  {
    name: "active-driver runtime, tracing off",
    stream: () => runtimeStream(STREAM, { trace: false }),
    roundTrip: () => runtimeRoundTrip(ROUND_TRIPS, { trace: false }),
  },
  {
    name: "active-driver runtime, tracing on (no locations)",
    stream: () => runtimeStream(STREAM, { trace: { locations: false } }),
    roundTrip: () => runtimeRoundTrip(ROUND_TRIPS, { trace: { locations: false } }),
  },
  {
    name: "active-driver runtime, tracing on (source locations)",
    stream: () => runtimeStream(STREAM / 50, { trace: true }),
    roundTrip: () => runtimeRoundTrip(ROUND_TRIPS / 50, { trace: true }),
  },
  { name: "direct function call", stream: () => directStream(STREAM), roundTrip: () => directRoundTrip(ROUND_TRIPS) },
  { name: "naive promise mailbox", stream: () => naiveStream(STREAM), roundTrip: () => naiveRoundTrip(ROUND_TRIPS) },
  { name: "await floor (one awaited settled promise per message)", stream: () => awaitFloorStream(STREAM) },
  { name: "EventEmitter (synchronous)", stream: () => emitterStream(STREAM), roundTrip: () => emitterRoundTrip(ROUND_TRIPS) },
  { name: "xstate v5 actor", stream: () => xstateStream(STREAM / 5), roundTrip: () => xstateRoundTrip(ROUND_TRIPS / 5) },
];

/** Runs every mechanism once per round (interleaved, so load on the machine hits all alike); medians. */
async function measureAll(rounds: number): Promise<Line[]> {
  const streams = mechanisms.map(() => [] as number[]);
  const trips = mechanisms.map(() => [] as number[]);
  for (let round = -1; round < rounds; round++) {
    for (const [i, m] of mechanisms.entries()) {
      const perSecond = await m.stream();
      const us = m.roundTrip === undefined ? NaN : await m.roundTrip();
      if (round < 0) continue; // warm-up
      streams[i].push(perSecond);
      trips[i].push(us);
    }
  }
  return mechanisms.map((m, i) => ({ mechanism: m.name, perSecond: median(streams[i]), roundTripUs: median(trips[i]) }));
}

export async function runRuntimeBench(): Promise<Row[]> {
  // Memory first, on a fresh heap: earlier runs leave ArrayBuffers that are freed lazily.
  const memoryOff = await queuedHeapMb(STREAM, false);
  const memoryOn = await queuedHeapMb(STREAM, { locations: false });
  const lines = await measureAll(RUNS);

  const base = lines[0];
  const rows: Row[] = [];
  for (const l of lines) {
    rows.push({
      name: `streaming: ${l.mechanism}`,
      value: l.perSecond,
      unit: "messages/s",
      detail: `${(l.perSecond / base.perSecond).toFixed(2)}x the runtime`,
    });
    if (Number.isFinite(l.roundTripUs)) {
      rows.push({
        name: `round trip: ${l.mechanism}`,
        value: l.roundTripUs,
        unit: "µs",
        detail: `${(l.roundTripUs / base.roundTripUs).toFixed(2)}x the runtime's time`,
      });
    }
  }
  rows.push({
    name: "memory: 1,000,000 queued messages, tracing off",
    value: memoryOff,
    unit: "MB",
    detail: "heap + ArrayBuffer delta, own payload object per message",
  });
  rows.push({
    name: "memory: 1,000,000 queued messages, tracing on",
    value: memoryOn,
    unit: "MB",
    detail: "heap + ArrayBuffer delta, incl. 1,000,000 send events",
  });
  const naive = lines.find((l) => l.mechanism.startsWith("naive"))!;
  const floor = lines.find((l) => l.mechanism.startsWith("await floor"))!;
  const traced = lines[1];
  const checks: [string, boolean][] = [
    [`streaming, tracing off >= 5e6 msg/s (${base.perSecond.toExponential(2)})`, base.perSecond >= 5e6],
    [
      `streaming >= 2x the naive promise mailbox (${(base.perSecond / naive.perSecond).toFixed(2)}x; the await floor is ${(floor.perSecond / naive.perSecond).toFixed(2)}x)`,
      base.perSecond >= 2 * naive.perSecond,
    ],
    [`round trip <= 1.0 µs (${base.roundTripUs.toFixed(3)} µs)`, base.roundTripUs <= 1.0],
    [`streaming, tracing on >= 1e6 msg/s (${traced.perSecond.toExponential(2)})`, traced.perSecond >= 1e6],
    [`1,000,000 queued messages < 150 MB (${memoryOff.toFixed(1)} MB)`, memoryOff < 150],
  ];
  for (const [name, ok] of checks) rows.push({ name: `target: ${name}`, value: ok ? 1 : 0, unit: ok ? "met" : "missed" });
  tableLines = lines;
  return rows;
}

let tableLines: Line[] = [];

function printTable(rows: Row[]): void {
  const base = tableLines[0];
  const fmt = (x: number, digits: number): string => (Number.isFinite(x) ? x.toFixed(digits) : "-");
  console.log(
    `Runtime message passing: streaming ${STREAM.toLocaleString("en-US")} messages (bursts of ${BURST}) into a consumer waiting on 4 mailboxes; round trip = request + reply; median of ${RUNS} interleaved rounds, one process`,
  );
  console.log(`${"mechanism".padEnd(54)} ${"messages/s".padStart(12)} ${"round trip µs".padStart(14)} ${"ratio msg/s".padStart(12)} ${"ratio rt".padStart(9)}`);
  for (const l of tableLines) {
    console.log(
      `${l.mechanism.padEnd(54)} ${l.perSecond.toExponential(2).padStart(12)} ${fmt(l.roundTripUs, 3).padStart(14)} ${fmt(l.perSecond / base.perSecond, 2).padStart(12)} ${fmt(l.roundTripUs / base.roundTripUs, 2).padStart(9)}`,
    );
  }
  console.log("(ratio msg/s: messages/s ÷ the runtime's, tracing off; ratio rt: round-trip time ÷ the runtime's)");
  for (const r of rows.filter((x) => x.name.startsWith("memory") || x.name.startsWith("target"))) {
    console.log(`${r.name}: ${r.unit === "MB" ? `${r.value.toFixed(1)} MB (${r.detail})` : r.unit}`);
  }
}

/** For profiling single pieces: `node ... runtime.bench.ts --piece NAME`. */
export const pieces: Record<string, () => number | Promise<number>> = {
  "stream-off": () => runtimeStream(STREAM, { trace: false }),
  "stream-on": () => runtimeStream(STREAM, { trace: { locations: false } }),
  "stream-loc": () => runtimeStream(STREAM / 20, { trace: true }),
  "rt-off": () => runtimeRoundTrip(ROUND_TRIPS, { trace: false }),
  "rt-on": () => runtimeRoundTrip(ROUND_TRIPS, { trace: { locations: false } }),
  "rt-loc": () => runtimeRoundTrip(ROUND_TRIPS / 20, { trace: true }),
  "naive-stream": () => naiveStream(STREAM),
  "floor-stream": () => awaitFloorStream(STREAM),
  "naive-rt": () => naiveRoundTrip(ROUND_TRIPS),
  "xstate-stream": () => xstateStream(STREAM / 5),
  memory: () => queuedHeapMb(STREAM, false),
  "memory-traced": () => queuedHeapMb(STREAM, { locations: false }),
};

if (require.main === module && process.argv.includes("--piece")) {
  const name = process.argv[process.argv.indexOf("--piece") + 1];
  void (async () => {
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const v = await pieces[name]();
      console.log(name, v.toExponential(3), `${(performance.now() - t0).toFixed(0)} ms`);
    }
  })();
} else if (require.main === module) {
  void runRuntimeBench().then((rows) => {
    if (process.argv.includes("--json")) console.log(JSON.stringify(rows));
    else printTable(rows);
  });
}
