// The debugger's model of one driver run, knowing nothing of DAP (as mock-debug's MockRuntime): it
// drives the worker (workerHost.ts), keeps the run's history (trace events and deliveries, which are
// the same in every replay of the seed), and moves backwards by replaying into a fresh worker up to
// an earlier position. The session (session.ts) translates its events and methods to DAP.
import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import type { SourceLocation, TraceEvent } from "active-driver";
import { entryPointLocation, verifyLines, type LineVerdict } from "./breakpointLines";
import { RunHistory, TraceFile } from "./history";
import { describeDelivery, exceptionFilterOf, fileKey } from "./stops";
import type { BreakpointSpec, Delivery, ExceptionFilter, LoadedMessage, ProtocolInfo, RunUntil, Snapshot, StopHit, StopReason, WorkerToParent } from "./worker/messages";
import { LaunchError, WorkerHost } from "./workerHost";

export { LaunchError };

export interface StartArgs {
  /** Absolute path of the driver's entry file. */
  driver: string;
  scenario: string;
  seed: number;
  stopOnEntry: boolean;
  /** Write the trace here as JSON lines. */
  trace?: string;
}

/** Where the run stands, and why it stopped there. */
export interface StopInfo extends StopHit {
  position: number;
  /** The delivery held (absent at the end of the run). */
  delivery?: Delivery;
  /** At the end of the run (the scenario finished). */
  ended: boolean;
  /** Trace events recorded up to this stop. */
  traceLength: number;
}

export interface FunctionBreakpointVerdict {
  id: number;
  name: string;
  verified: boolean;
  message?: string;
}

export type OutputCategory = "stdout" | "stderr" | "console" | "important";

export interface RuntimeEvents {
  stopped: [StopInfo];
  /** New trace events in seq order; `reset`: replace everything shown so far with these. */
  trace: [TraceEvent[], boolean];
  /** The event the debugger stands at, and the protocol state. */
  current: [number | null, string | undefined];
  output: [string, OutputCategory, SourceLocation | undefined];
  /** The driver's protocol (on each load of a new run). */
  protocol: [ProtocolInfo];
  /** A function breakpoint's verification changed (once the protocol is known). */
  breakpoint: [FunctionBreakpointVerdict];
  /** The run is over (it finished, or failed in a way that ends the session). */
  end: [number];
}

/** Stable thread ids: these two, then driver threads in the order they are first seen. */
export const OS_THREAD_ID = 1;
export const NIC_THREAD_ID = 2;

function summaryLine(summary: Record<string, unknown> | undefined): string {
  if (summary === undefined) return "the run ended";
  const ms = typeof summary.virtualTimeUs === "number" ? ` after ${(summary.virtualTimeUs / 1000).toFixed(3)} ms of virtual time` : "";
  const violations = Array.isArray(summary.violations) && summary.violations.length > 0 ? `, ${summary.violations.length} protocol violation(s)` : "";
  const failure = typeof summary.failure === "string" ? `, driver failed: ${summary.failure}` : "";
  const problems = Array.isArray(summary.problems) ? summary.problems.map((p) => `\n  problem: ${String(p)}`).join("") : "";
  return `scenario ${String(summary.scenario)}, seed ${String(summary.seed)}: ${summary.ok === true ? "ok" : "FAILED"}${ms}${violations}${failure}${problems}`;
}

export class DriverDebugRuntime extends EventEmitter<RuntimeEvents> {
  private args: StartArgs | undefined;
  private worker: WorkerHost | undefined;
  private readonly lineBreakpoints = new Map<string, number[]>();
  private functionBreakpoints: FunctionBreakpointVerdict[] = [];
  private nextBreakpointId = 1;
  private exceptionFilters: ExceptionFilter[] = [];
  /** The run's history: the same in every replay of the seed. */
  readonly history = new RunHistory();
  private current: StopInfo | undefined;
  private until: RunUntil = { breakpoints: true };
  /** Reported instead of the worker's own reason at the next stop (replays). */
  private hitOverride: StopHit | undefined;
  private snapshotPromise: Promise<Snapshot> | undefined;
  private readonly threadIds = new Map<string, number>();
  private summary: Record<string, unknown> | undefined;
  private ended = false;
  private ops: Promise<void> = Promise.resolve();
  private traceFile: TraceFile | undefined;
  protocol: ProtocolInfo | undefined;
  /** The driver's source files (entry first). */
  files: string[] = [];
  /** "passive": deliveries are entry-point calls and scheduled work, threads the contexts calling them. */
  model: "active" | "passive" = "active";

  // ------------------------------------------------------------------ lifecycle

  /** Loads the driver in a fresh worker and starts the run; resolves once the driver is loaded. */
  async start(args: StartArgs): Promise<void> {
    this.args = { ...args, driver: path.resolve(args.driver) };
    this.ended = false;
    this.resetHistory();
    await this.spawn(true);
    this.resume(args.stopOnEntry ? { position: 0, reason: "entry", breakpoints: false } : { breakpoints: true });
  }

  /** Runs again from the start (the driver is reloaded: edits since the launch apply). */
  restart(): Promise<void> {
    return this.enqueue(async () => {
      if (this.args === undefined) return;
      await this.disposeWorker();
      this.ended = false;
      this.resetHistory();
      this.emit("trace", [], true);
      await this.spawn(true);
      this.resume(this.args.stopOnEntry ? { position: 0, reason: "entry", breakpoints: false } : { breakpoints: true });
    });
  }

  /** Ends the run and its worker. */
  async terminate(): Promise<void> {
    this.ended = true;
    await this.ops.catch(() => undefined);
    await Promise.all([this.disposeWorker(), this.disposeSpare()]);
  }

  get isRunning(): boolean {
    return this.worker !== undefined && this.current === undefined && !this.ended;
  }

  /** Where the run stands (undefined while it runs). */
  get stop(): StopInfo | undefined {
    return this.current;
  }

  // ------------------------------------------------------------------ stepping

  /** Delivers the held message and runs until the next delivery (or the end). */
  next(): Promise<void> {
    return this.enqueue(async () => {
      const at = this.current;
      if (at === undefined) return;
      if (at.ended) return this.finishRun();
      this.resume({ position: at.position + 1, reason: "step", breakpoints: true });
    });
  }

  continue(): Promise<void> {
    return this.enqueue(async () => {
      const at = this.current;
      if (at === undefined) return;
      if (at.ended) return this.finishRun();
      this.resume({ breakpoints: true });
    });
  }

  /** Stops at the next delivery. */
  pause(): void {
    if (this.isRunning) this.worker?.pause();
  }

  /** Back to the previous delivery, by replaying the seed into a fresh worker. */
  stepBack(): Promise<void> {
    return this.enqueue(async () => {
      const at = this.current;
      if (at === undefined) return;
      if (at.position === 0) {
        this.setStop({ ...at, reason: "step", text: "Already at the first delivery: nothing happened before it" });
        return;
      }
      const target = at.position - 1;
      const delivery = this.history.deliveries[target];
      await this.replayTo(target, { reason: "step", text: delivery !== undefined ? `Stepped back to ${describeDelivery(delivery)}` : "Stepped back", thread: delivery?.thread });
    });
  }

  /** Back to the previous position where a breakpoint or exception filter matches (or the start). */
  reverseContinue(): Promise<void> {
    return this.enqueue(async () => {
      const at = this.current;
      if (at === undefined) return;
      const found = this.previousHit(at.position);
      if (found !== undefined) await this.replayTo(found.position, found.hit);
      else await this.replayTo(0, { reason: "entry", text: "Reached the start of the run: no breakpoint before", thread: this.history.deliveries[0]?.thread });
    });
  }

  /** Stops just after trace event `seq` (at the first delivery after it), replaying when it lies behind. */
  goToEvent(seq: number): Promise<void> {
    return this.enqueue(async () => {
      const at = this.current;
      if (at === undefined) return;
      const target = this.history.positionAfterEvent(seq);
      const hit: StopHit = { reason: "goto", text: `After trace event ${seq}` };
      if (target >= 0 && target < at.position) await this.replayTo(target, { ...hit, thread: this.history.deliveries[target]!.thread });
      else if (target === at.position) this.setStop({ ...at, ...hit });
      else if (!at.ended) this.resume(target >= 0 ? { position: target, reason: "goto", breakpoints: false } : { event: seq, reason: "goto", breakpoints: false });
      else this.setStop({ ...at, ...hit, text: `Trace event ${seq} is past the end of the run` });
    });
  }

  /** The last position before `position` that a breakpoint would stop at, from the recorded history. */
  previousHit(position: number): { position: number; hit: StopHit } | undefined {
    return this.history.previousHit(position, this.breakpointSpec());
  }

  // ------------------------------------------------------------------ breakpoints

  /** Replaces the line breakpoints of `file`; verified ones are on wait/send lines. */
  setLineBreakpoints(file: string, lines: readonly number[]): LineVerdict[] {
    const verdicts = verifyLines(file, lines);
    const key = fileKey(file);
    const verified = verdicts.filter((v) => v.verified).map((v) => v.line);
    if (verified.length > 0) this.lineBreakpoints.set(key, verified);
    else this.lineBreakpoints.delete(key);
    this.pushBreakpoints();
    return verdicts;
  }

  /** Replaces the function breakpoints (mailbox names). */
  setFunctionBreakpoints(names: readonly string[]): FunctionBreakpointVerdict[] {
    this.functionBreakpoints = names.map((name) => this.verifyMailbox({ id: this.nextBreakpointId++, name, verified: true }));
    this.pushBreakpoints();
    return this.functionBreakpoints.map((b) => ({ ...b }));
  }

  setExceptionFilters(filters: readonly string[]): void {
    this.exceptionFilters = filters.filter((f): f is ExceptionFilter => f === "protocol" || f === "error");
    this.pushBreakpoints();
  }

  breakpointSpec(): BreakpointSpec {
    return {
      lines: Object.fromEntries(this.lineBreakpoints),
      mailboxes: this.functionBreakpoints.map((b) => b.name),
      exceptions: [...this.exceptionFilters],
    };
  }

  private verifyMailbox(bp: FunctionBreakpointVerdict): FunctionBreakpointVerdict {
    const protocol = this.protocol;
    if (protocol === undefined) return { id: bp.id, name: bp.name, verified: true };
    // A passive driver's scheduled work stops at "work" too.
    const known = [...Object.keys(protocol.directions), "irq", ...(this.model === "passive" ? ["work"] : [])];
    if (known.includes(bp.name)) return { id: bp.id, name: bp.name, verified: true };
    return {
      id: bp.id,
      name: bp.name,
      verified: false,
      message: `protocol "${protocol.name}" has no message "${bp.name}" (mailboxes: ${known.join(", ")}); it still stops if an internal mailbox of that name receives a message`,
    };
  }

  private pushBreakpoints(): void {
    this.worker?.send({ type: "breakpoints", breakpoints: this.breakpointSpec() });
  }

  // ------------------------------------------------------------------ inspection

  /** What the Variables view shows at the current stop (one request per stop). */
  snapshot(): Promise<Snapshot> {
    if (this.current === undefined || this.worker === undefined) return Promise.reject(new Error("the driver is running: pause it to inspect it"));
    this.snapshotPromise ??= this.worker.snapshot();
    return this.snapshotPromise;
  }

  /** A stable id for a driver thread. */
  threadId(name: string): number {
    let id = this.threadIds.get(name);
    if (id === undefined) {
      id = this.threadIds.size + 3;
      this.threadIds.set(name, id);
    }
    return id;
  }

  threadName(id: number): string | undefined {
    for (const [name, value] of this.threadIds) if (value === id) return name;
    return undefined;
  }

  /** Where a passive driver's entry point `name` is defined, from its source. */
  entryPoint(name: string): SourceLocation | undefined {
    for (const file of this.files) {
      const loc = entryPointLocation(file, name);
      if (loc !== undefined) return loc;
    }
    return undefined;
  }

  /** Driver threads seen so far, in id order. */
  driverThreads(): { id: number; name: string }[] {
    return [...this.threadIds].map(([name, id]) => ({ id, name }));
  }

  // ------------------------------------------------------------------ internals

  private enqueue(op: () => Promise<void>): Promise<void> {
    const next = this.ops.then(op, op);
    this.ops = next.catch(() => undefined);
    return next;
  }

  private resetHistory(): void {
    this.history.clear();
    this.current = undefined;
    this.summary = undefined;
    this.snapshotPromise = undefined;
    this.traceFile = this.args?.trace !== undefined ? new TraceFile(this.args.trace) : undefined;
  }

  /**
   * Starts a worker (or adopts the spare one, already loaded) and resolves once it has loaded the
   * driver. `announce`: a new run (emit the protocol; never a spare, whose files may be stale).
   */
  private async spawn(announce: boolean): Promise<void> {
    const args = this.args!;
    if (announce) void this.disposeSpare();
    const host = (announce ? undefined : this.takeSpare()) ?? new WorkerHost(args.driver, args.scenario, args.seed);
    this.worker = host;
    let loaded = false;
    host.on("output", (text, category) => this.emit("output", text, category, undefined));
    host.on("message", (message) => {
      if (host === this.worker) this.onMessage(message);
    });
    host.on("exit", (code, error) => {
      if (host !== this.worker || !loaded) return; // before loading, `host.loaded` rejects instead
      this.worker = undefined;
      if (this.ended) return;
      const why = error !== undefined ? `${error.name}: ${error.message}` : `exit code ${code}`;
      this.emit("output", `The driver's worker ended unexpectedly (${why}).\n`, "stderr", undefined);
      this.ended = true;
      this.emit("end", 1);
    });
    let message: LoadedMessage;
    try {
      message = await host.loaded;
    } catch (error) {
      if (this.worker === host) this.worker = undefined;
      await host.dispose();
      throw error;
    }
    loaded = true;
    this.files = message.files;
    this.model = message.model;
    if (announce || this.protocol === undefined) {
      this.protocol = message.protocol;
      this.emit("protocol", message.protocol);
      this.reverifyFunctionBreakpoints();
      if (message.model === "passive") {
        this.emit(
          "output",
          `${path.basename(args.driver)} is a passive driver: the debugger stops before each entry-point call (by an OS thread, in interrupt context) and each run of k.schedule'd work on the worker; Next runs that call until the next one begins. Function breakpoints take entry-point names ("work" for scheduled work); line breakpoints go on an entry point's first line or a send line.\n`,
          "important",
          undefined,
        );
      }
    }
    this.prepareSpare();
  }

  // A spare worker, loaded and waiting: step back and reverse continue replay into it at once
  // instead of paying for a worker start and the driver's load (most of a replay's time).
  private spare: { host: WorkerHost; stamp: string } | undefined;

  /** Size and mtime of the driver's files: a spare loaded before an edit must not be used after it. */
  private filesStamp(): string {
    return this.files
      .map((file) => {
        try {
          const st = fs.statSync(file);
          return `${file}:${st.size}:${st.mtimeMs}`;
        } catch {
          return `${file}:missing`;
        }
      })
      .join("|");
  }

  private prepareSpare(): void {
    if (this.spare !== undefined || this.ended || this.args === undefined) return;
    this.spare = { host: new WorkerHost(this.args.driver, this.args.scenario, this.args.seed), stamp: this.filesStamp() };
  }

  private takeSpare(): WorkerHost | undefined {
    const spare = this.spare;
    this.spare = undefined;
    if (spare === undefined) return undefined;
    if (spare.host.alive && spare.stamp === this.filesStamp()) return spare.host;
    void spare.host.dispose();
    return undefined;
  }

  private disposeSpare(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    return spare?.host.dispose() ?? Promise.resolve();
  }

  /** Workers this runtime owns now: the one running the driver and the spare. */
  get workerCount(): number {
    return (this.worker?.alive === true ? 1 : 0) + (this.spare?.host.alive === true ? 1 : 0);
  }

  private reverifyFunctionBreakpoints(): void {
    this.functionBreakpoints = this.functionBreakpoints.map((bp) => {
      const now = this.verifyMailbox(bp);
      if (now.verified !== bp.verified || now.message !== bp.message) this.emit("breakpoint", { ...now });
      return now;
    });
  }

  private async disposeWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.current = undefined;
    this.snapshotPromise = undefined;
    await worker?.dispose();
  }

  /** Replays the seed into a fresh worker up to `position`, where it reports `hit`. */
  private async replayTo(position: number, hit: StopHit): Promise<void> {
    await this.disposeWorker();
    if (this.ended) return;
    await this.spawn(false);
    this.hitOverride = hit;
    this.resume({ position, reason: hit.reason, breakpoints: false });
  }

  private resume(until: RunUntil): void {
    const worker = this.worker;
    if (worker === undefined) return;
    this.until = until;
    this.current = undefined;
    this.snapshotPromise = undefined;
    worker.clearPause();
    worker.send({ type: "run", until, breakpoints: this.breakpointSpec() });
  }

  private onMessage(message: WorkerToParent): void {
    switch (message.type) {
      case "events":
        this.absorb(message.events, message.deliveries);
        break;
      case "stopped": {
        const hit = this.hitOverride ?? message.hit;
        this.hitOverride = undefined;
        this.setStop({ ...hit, position: message.position, delivery: message.delivery, ended: false, traceLength: message.traceLength });
        break;
      }
      case "finished": {
        this.summary = message.summary;
        this.hitOverride = undefined;
        if (message.failure !== undefined) {
          this.emit("output", `The driver failed: ${message.failure.message}\n`, "stderr", message.failure.loc);
        }
        const end = { position: message.position, ended: true, traceLength: message.traceLength };
        if (message.hit !== undefined) this.setStop({ ...message.hit, ...end });
        else if (this.until.position !== undefined || this.until.event !== undefined) this.setStop({ reason: this.until.reason ?? "step", text: `End of the run: ${summaryLine(message.summary)}`, ...end });
        else void this.enqueue(() => this.finishRun());
        break;
      }
      case "error":
        this.emit("output", `The run stopped with an error: ${message.error.message}\n`, "stderr", message.error.loc);
        if (!this.ended) void this.enqueue(() => this.finishRun(1));
        break;
      default:
        break;
    }
  }

  /** Adds what the worker reports to the history and tells the views what is new. */
  private absorb(events: readonly TraceEvent[], deliveries: readonly Delivery[]): void {
    for (const d of deliveries) this.threadId(d.thread);
    const { fresh, divergedAt } = this.history.absorb(events, deliveries);
    if (divergedAt !== undefined) {
      this.emit("output", `Replay diverged from the recorded run at trace event ${divergedAt}: the driver or scenario changed since the launch; showing the new run.\n`, "important", undefined);
    }
    for (const event of fresh) this.report(event);
    this.traceFile?.write(this.history.events, divergedAt !== undefined);
    if (divergedAt !== undefined) this.emit("trace", [...this.history.events], true);
    else if (fresh.length > 0) this.emit("trace", fresh, false);
  }

  /** Output events for what a new event says: d.log lines, violations, errors, injected faults. */
  private report(event: TraceEvent): void {
    if (event.from.startsWith("thread:")) this.threadId(event.from.slice("thread:".length));
    if (event.kind === "log") {
      this.emit("output", `${event.detail ?? event.payload ?? ""}\n`, "stdout", event.loc);
    } else if (event.kind === "fault") {
      const filter = exceptionFilterOf(event);
      const label = filter === "protocol" ? "protocol violation" : filter === "error" ? "driver error" : `fault ${event.fault ?? ""}`;
      this.emit("output", `[${(event.time / 1000).toFixed(3)} ms] ${label}: ${event.detail ?? ""}\n`, filter === undefined ? "console" : "stderr", event.loc);
    }
  }

  private setStop(stop: StopInfo): void {
    this.current = stop;
    this.snapshotPromise = undefined;
    if (stop.thread !== undefined) this.threadId(stop.thread);
    const seq = stop.event?.seq ?? (stop.traceLength > 0 ? stop.traceLength - 1 : null);
    this.emit("current", seq, stop.delivery?.state ?? this.history.stateAfter(stop.traceLength) ?? this.protocol?.initial);
    this.emit("stopped", stop);
  }

  /** The run is over: stop the worker, say how it went, and end. */
  private async finishRun(code?: number): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const summary = this.summary;
    await Promise.all([this.disposeWorker(), this.disposeSpare()]);
    this.emit("output", `${summaryLine(summary)}\n`, "console", undefined);
    this.emit("end", code ?? (summary?.ok === true ? 0 : 1));
  }
}

export type { StopReason };
