// The debugger's record of one driver run, knowing nothing of DAP (as mock-debug's MockRuntime): it
// drives the worker (workerHandle.ts), keeps the run's history (trace events, deliveries and breakpoint
// hits, which are the same in every replay of the seed), and moves backwards by replaying into a
// fresh worker up to an earlier position. The session (session.ts) translates its events and
// methods to DAP.
import { EventEmitter } from "node:events";
import * as path from "node:path";
import type { SourceLocation, TraceEvent } from "active-driver";
import type { SerializedError } from "active-driver/host";
import { entryPointLocation } from "./breakpointLines";
import { specKeys } from "./breakpointOptions";
import { BreakpointTable, type BreakpointVerdict, type FunctionBreakpointRequest, type SourceBreakpointRequest } from "./breakpoints";
import { RunHistory, TraceFile } from "./history";
import { describeDelivery, exceptionFilterOf } from "./stops";
import type {
  BreakpointSpec,
  Delivery,
  ExceptionFilter,
  LoadedMessage,
  LogRecord,
  ProtocolInfo,
  RunUntil,
  Snapshot,
  StopHit,
  StopReason,
  WorkerToParent,
} from "./worker/messages";
import { SpareWorker } from "./spareWorker";
import { LaunchError, DebugWorkerHandle } from "./workerHandle";
import type { ReplayInfo } from "./replay";
import { defined } from "../../../runtime/src/defined";

export { LaunchError };

export interface StartArgs {
  /** Absolute path of the driver's entry file. */
  driver: string;
  scenario: string;
  seed: number;
  stopOnEntry: boolean;
  /** Write the trace here as JSON lines. */
  trace?: string;
  /** Replay a schedule file's choices (every replay of the run, step back too, takes them). */
  replay?: ReplayInfo;
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

export type { BreakpointVerdict, FunctionBreakpointRequest, SourceBreakpointRequest };

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
  /** A breakpoint's verdict changed: a mailbox name checked once the protocol is known, a condition that failed. */
  breakpoint: [BreakpointVerdict];
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
  private worker: DebugWorkerHandle | undefined;
  private readonly breakpoints = new BreakpointTable();
  /**
   * Breakpoints the worker has had since its first run: it counted their hits from the start. One
   * added or changed later is counted from the start by a replay before a hit count or reverse
   * continue relies on it (`recount`).
   */
  private workerKeys = new Set<string>();
  private workerStarted = false;
  /** Set while `recount` replays: the stop it reaches is not reported. */
  private silent: { at: StopInfo; done: () => void } | undefined;
  /** Logpoint lines printed (logpoint, position, place): a position passed again prints nothing twice. */
  private readonly printed = new Set<string>();
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
    this.openTraceFile();
    this.runFromStart();
  }

  /**
   * The first move of a run: stop on entry, or (replaying a schedule that failed) run to the failing
   * event and stop there naming the failure, or run to the first breakpoint.
   */
  private runFromStart(): void {
    const args = this.args!;
    const failure = args.replay?.failure;
    if (args.stopOnEntry) this.resume({ position: 0, reason: "entry", breakpoints: false, log: true });
    else if (failure !== undefined && args.replay !== undefined) {
      const what = failure.message.startsWith(`${failure.kind}:`) ? failure.message : `${failure.kind}: ${failure.message}`;
      this.failureStop = { seq: failure.seq, text: `Replayed failure (${path.basename(args.replay.file)}): ${what}` };
      this.resume({ event: failure.seq, reason: "exception", breakpoints: false, log: true });
    } else this.resume({ breakpoints: true, log: true });
  }

  /** Set while a replay runs to its failing event: the stop there is reported as the failure. */
  private failureStop: { seq: number; text: string } | undefined;

  /** The stop at a replayed failure: on the failing event, its text naming the failure. */
  private takeFailureHit(): StopHit | undefined {
    const failure = this.failureStop;
    if (failure === undefined) return undefined;
    this.failureStop = undefined;
    const event = this.history.events.find((e) => e.seq === failure.seq);
    return {
      reason: "exception",
      text: failure.text,
      ...defined({ event }),
      ...(event?.from.startsWith("thread:") === true ? { thread: event.from.slice("thread:".length) } : {}),
    };
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
      this.openTraceFile();
      this.runFromStart();
    });
  }

  /** Ends the run and its worker. */
  async terminate(): Promise<void> {
    this.ended = true;
    await this.ops.catch(() => undefined);
    await Promise.all([this.disposeWorker(), this.spare.dispose()]);
    this.closeTraceFile();
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
      if (this.current?.ended === true) return this.finishRun();
      const at = await this.counted(false);
      if (at !== undefined) this.resume({ position: at.position + 1, reason: "step", breakpoints: true, log: true });
    });
  }

  continue(): Promise<void> {
    return this.enqueue(async () => {
      if (this.current?.ended === true) return this.finishRun();
      const at = await this.counted(false);
      if (at !== undefined) this.resume({ breakpoints: true, log: true });
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
        this.setStop({ ...placeOf(at), reason: "step", text: "Already at the first delivery: nothing happened before it" });
        return;
      }
      const target = at.position - 1;
      const delivery = this.history.deliveries[target];
      await this.replayTo(target, {
        reason: "step",
        text: delivery !== undefined ? `Stepped back to ${describeDelivery(delivery)}` : "Stepped back",
        thread: delivery?.thread,
      });
    });
  }

  /** Back to the previous position where a breakpoint or exception filter matches (or the start). */
  reverseContinue(): Promise<void> {
    return this.enqueue(async () => {
      const at = await this.counted(true);
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
      else if (target === at.position) this.setStop({ ...placeOf(at), ...hit });
      else if (!at.ended)
        this.resume(
          target >= 0 ? { position: target, reason: "goto", breakpoints: false, log: true } : { event: seq, reason: "goto", breakpoints: false, log: true },
        );
      else this.setStop({ ...placeOf(at), ...hit, text: `Trace event ${seq} is past the end of the run` });
    });
  }

  /** The last position before `position` that a breakpoint would stop at, from the recorded history. */
  previousHit(position: number): { position: number; hit: StopHit } | undefined {
    return this.history.previousHit(position, this.breakpointSpec());
  }

  // ------------------------------------------------------------------ breakpoints

  /** Replaces the line breakpoints of `file`: verified on wait/send lines, with options that compile. */
  setLineBreakpoints(file: string, requests: readonly SourceBreakpointRequest[]): BreakpointVerdict[] {
    const verdicts = this.breakpoints.setLines(file, requests);
    this.pushBreakpoints();
    return verdicts;
  }

  /** Replaces the function breakpoints (mailbox names, with options). */
  setFunctionBreakpoints(requests: readonly (FunctionBreakpointRequest | string)[]): BreakpointVerdict[] {
    const verdicts = this.breakpoints.setFunctions(
      requests.map((r) => (typeof r === "string" ? { name: r } : r)),
      this.protocol,
      this.model,
    );
    this.pushBreakpoints();
    return verdicts;
  }

  setExceptionFilters(filters: readonly string[], conditions: Partial<Record<ExceptionFilter, string>> = {}): void {
    this.breakpoints.setExceptions(filters, conditions);
    this.pushBreakpoints();
  }

  breakpointSpec(): BreakpointSpec {
    return this.breakpoints.spec();
  }

  private pushBreakpoints(): void {
    const spec = this.breakpointSpec();
    this.keepWorkerKeys(spec);
    this.worker?.send({ type: "breakpoints", breakpoints: spec });
  }

  /** The worker forgets the count of a breakpoint it no longer has (evaluator.ts does the same). */
  private keepWorkerKeys(spec: BreakpointSpec): void {
    const keys = new Set(specKeys(spec).map((k) => k.key));
    if (!this.workerStarted) this.workerKeys = keys;
    else for (const key of [...this.workerKeys]) if (!keys.has(key)) this.workerKeys.delete(key);
  }

  /**
   * The current stop, once the worker's counts can be trusted: forward runs need every hit count
   * from the start, reverse continue every counted breakpoint's hits. Otherwise replays to the same
   * position first (quietly, printing no logpoint), so counts never depend on when a breakpoint was set.
   */
  private async counted(reverse: boolean): Promise<StopInfo | undefined> {
    const at = this.current;
    if (at === undefined) return undefined;
    const stale = specKeys(this.breakpointSpec()).some(
      ({ key, bp }) => (bp.hitCondition !== undefined || (reverse && bp.condition !== undefined)) && !this.workerKeys.has(key),
    );
    if (!stale) return at;
    await this.disposeWorker();
    if (this.ended) return undefined;
    await this.spawn(false);
    await new Promise<void>((done) => {
      this.silent = { at, done };
      this.resume({ position: at.position, reason: at.reason, breakpoints: false });
    });
    return this.current;
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
    this.printed.clear();
    this.closeTraceFile();
  }

  /** The `trace` file, once the driver's sources are known (it may not be one of them). */
  private openTraceFile(): void {
    if (this.args?.trace === undefined) return;
    this.traceFile = new TraceFile(this.args.trace, this.files);
    this.traceFile.write(this.history.events);
  }

  /** Puts the trace written so far in place: the run it records is over. */
  private closeTraceFile(): void {
    const file = this.traceFile;
    this.traceFile = undefined;
    try {
      file?.commit();
    } catch (error) {
      file?.discard();
      this.emit("output", `Cannot write the trace file ${this.args?.trace ?? ""}: ${(error as Error).message}\n`, "stderr", undefined);
    }
  }

  /**
   * Starts a worker (or adopts the spare one, already loaded) and resolves once it has loaded the
   * driver. `announce`: a new run (emit the protocol; never a spare, whose files may be stale).
   */
  private async spawn(announce: boolean): Promise<void> {
    const args = this.args!;
    if (announce) void this.spare.dispose();
    const handle = (announce ? undefined : this.spare.take(this.files)) ?? new DebugWorkerHandle(args.driver, args.scenario, args.seed, args.replay?.choices);
    this.worker = handle;
    this.workerStarted = false;
    let loaded = false;
    handle.on("output", (text, category) => this.emit("output", text, category, undefined));
    handle.on("message", (message) => {
      if (handle === this.worker) this.onMessage(message);
    });
    handle.on("limit", (error) => {
      if (handle !== this.worker || !loaded) return; // before loading, `handle.loaded` rejects with it
      // The watchdog (a loop that never waits: the error names its line) or the memory limit ended the worker.
      this.worker = undefined;
      this.endSilence();
      if (this.ended) return;
      this.emit("output", `The run was stopped: ${error.message}\n`, "stderr", error.loc);
      const held = this.limitStop(error, handle.lastDelivery);
      // With "Driver errors" on, a fresh worker replays to the last delivery before it; otherwise the session ends.
      void this.enqueue(() => (held !== undefined ? this.replayTo(held.position, held.hit) : this.finishRun(1)));
    });
    handle.on("exit", (code, error) => {
      if (handle !== this.worker || !loaded) return; // before loading, `handle.loaded` rejects instead
      this.worker = undefined;
      this.endSilence();
      if (this.ended) return;
      const why = error !== undefined ? `${error.name}: ${error.message}` : `exit code ${code}`;
      this.emit("output", `The driver's worker ended unexpectedly (${why}).\n`, "stderr", undefined);
      this.ended = true;
      this.emit("end", 1);
    });
    let message: LoadedMessage;
    try {
      message = await handle.loaded;
    } catch (error) {
      if (this.worker === handle) this.worker = undefined;
      await handle.dispose();
      throw error;
    }
    loaded = true;
    this.files = message.files;
    this.model = message.model;
    if (announce || this.protocol === undefined) {
      this.protocol = message.protocol;
      this.emit("protocol", message.protocol);
      for (const verdict of this.breakpoints.reverify(message.protocol, message.model)) this.emit("breakpoint", verdict);
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

  private readonly spare = new SpareWorker();

  private prepareSpare(): void {
    if (!this.ended && this.args !== undefined) this.spare.prepare(this.args.driver, this.args.scenario, this.args.seed, this.files, this.args.replay?.choices);
  }

  /** Workers this runtime owns now: the one running the driver and the spare. */
  get workerCount(): number {
    return (this.worker?.alive === true ? 1 : 0) + (this.spare.alive ? 1 : 0);
  }

  private async disposeWorker(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.current = undefined;
    this.snapshotPromise = undefined;
    await worker?.dispose();
  }

  /**
   * Where to hold a run whose worker the watchdog or the memory limit ended, when an exception
   * filter ("Driver errors", with its condition) stops at that error: before the last delivery the
   * driver took, the last place a debugger can stand before it. Next runs into it again.
   */
  private limitStop(error: SerializedError, lastDelivery: number | undefined): { position: number; hit: StopHit } | undefined {
    if (lastDelivery === undefined) return undefined;
    const last = this.history.events.at(-1);
    const thread = this.history.deliveries[lastDelivery]?.thread;
    const fault: TraceEvent = {
      seq: this.history.events.length,
      time: last?.time ?? 0,
      kind: "fault",
      from: thread !== undefined ? `thread:${thread}` : "os",
      fault: error.kind,
      detail: `the run was stopped: ${error.message}`,
      ...defined({ loc: error.loc }),
    };
    const hit = this.history.exceptionAt(fault, this.breakpointSpec());
    if (hit === undefined) return undefined;
    return {
      position: lastDelivery,
      hit: {
        reason: "exception",
        text: `${hit.text} (held before the last delivery the driver took; Next runs into it again)`,
        ...defined({ thread }),
      },
    };
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
    const breakpoints = this.breakpointSpec();
    this.keepWorkerKeys(breakpoints);
    this.workerStarted = true;
    worker.send({ type: "run", until, breakpoints });
  }

  private onMessage(message: WorkerToParent): void {
    switch (message.type) {
      case "events":
        this.absorb(message.events, message.deliveries, message.logs ?? []);
        if (message.hits !== undefined) this.history.recordHits(message.hits);
        break;
      case "breakpointProblem": {
        const changed = this.breakpoints.problem(message.id, message.text, message.disable);
        if (changed === undefined) break;
        if (message.disable) this.pushBreakpoints();
        this.emit("breakpoint", changed.verdict);
        this.emit("output", `${changed.verdict.message ?? message.text}\n`, "stderr", changed.loc);
        break;
      }
      case "stopped": {
        if (this.silent !== undefined) {
          this.silent.at = { ...this.silent.at, delivery: message.delivery, traceLength: message.traceLength };
          this.endSilence();
          break;
        }
        const hit = this.hitOverride ?? this.takeFailureHit() ?? message.hit;
        this.hitOverride = undefined;
        this.setStop({ ...hit, position: message.position, delivery: message.delivery, ended: false, traceLength: message.traceLength });
        break;
      }
      case "finished": {
        this.summary = message.summary;
        this.hitOverride = undefined;
        if (this.silent !== undefined) {
          this.silent.at = { ...this.silent.at, traceLength: message.traceLength };
          this.endSilence();
          break;
        }
        if (message.failure !== undefined) {
          this.emit("output", `The driver failed: ${message.failure.message}\n`, "stderr", message.failure.loc);
        }
        const end = { position: message.position, ended: true, traceLength: message.traceLength };
        // A failure detected after the last delivery (lost frames, an unanswered request): stop at the end, naming it.
        const failureHit = this.takeFailureHit();
        if (failureHit !== undefined) this.setStop({ ...failureHit, ...end });
        else if (message.hit !== undefined) this.setStop({ ...message.hit, ...end });
        else if (this.until.position !== undefined || this.until.event !== undefined)
          this.setStop({ reason: this.until.reason ?? "step", text: `End of the run: ${summaryLine(message.summary)}`, ...end });
        else void this.enqueue(() => this.finishRun());
        break;
      }
      case "error":
        this.endSilence();
        this.emit("output", `The run stopped with an error: ${message.error.message}\n`, "stderr", message.error.loc);
        if (!this.ended) void this.enqueue(() => this.finishRun(1));
        break;
      default:
        break;
    }
  }

  /** `recount` is over: its stop becomes the current one, unreported (the worker ended if it never came). */
  private endSilence(): void {
    const silent = this.silent;
    if (silent === undefined) return;
    this.silent = undefined;
    if (this.worker !== undefined) {
      this.current = silent.at;
      this.snapshotPromise = undefined;
    }
    silent.done();
  }

  /** Adds what the worker reports to the history and tells the views what is new. */
  private absorb(events: readonly TraceEvent[], deliveries: readonly Delivery[], logs: readonly LogRecord[]): void {
    for (const d of deliveries) this.threadId(d.thread);
    const { fresh, divergedAt } = this.history.absorb(events, deliveries);
    if (divergedAt !== undefined) {
      this.emit(
        "output",
        `Replay diverged from the recorded run at trace event ${divergedAt}: the driver or scenario changed since the launch; showing the new run.\n`,
        "important",
        undefined,
      );
    }
    // Logpoint lines go among the d.log lines, in the order the run made them.
    let next = 0;
    for (const event of fresh) {
      while (next < logs.length && logs[next]!.traceLength <= event.seq) this.printLog(logs[next++]!);
      this.report(event);
    }
    while (next < logs.length) this.printLog(logs[next++]!);
    this.traceFile?.write(this.history.events, divergedAt !== undefined);
    if (divergedAt !== undefined) this.emit("trace", [...this.history.events], true);
    else if (fresh.length > 0) this.emit("trace", fresh, false);
  }

  private printLog(log: LogRecord): void {
    const seen = `${log.key}\u0000${log.position}\u0000${log.at}`;
    if (this.printed.has(seen)) return;
    this.printed.add(seen);
    this.emit("output", `${log.text}\n`, "stdout", this.breakpoints.where(log.id));
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
    await Promise.all([this.disposeWorker(), this.spare.dispose()]);
    this.closeTraceFile();
    this.emit("output", `${summaryLine(summary)}\n`, "console", undefined);
    this.emit("end", code ?? (summary?.ok === true ? 0 : 1));
  }
}

export type { StopReason };

/** Where a stop stands, without why it stopped there (the event and breakpoint that caused it). */
function placeOf(stop: StopInfo): Omit<StopInfo, "event" | "breakpointId"> {
  const { event: _event, breakpointId: _breakpoint, ...place } = stop;
  return place;
}
