// Starts the debug worker and speaks its message protocol (worker/messages.ts). From sources (tests
// under tsx) the worker is worker/debugWorker.ts run through tsx; bundled, it is debugWorker.js next
// to the bundle that contains this file (dist/debugAdapter.js or dist/extension.js). The worker has
// the memory limit and the watchdog of `run` (the runtime's host/watchdog.ts): a driver that spins
// or grows past the limit ends its worker with an error that says so (the `limit` event).
import { EventEmitter } from "node:events";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import {
  findWorkerEntry,
  HEARTBEAT_CELLS,
  outOfMemoryError,
  watchWorker,
  workerResourceLimits,
  type LimitOptions,
  type SerializedError,
  type WorkerEntry,
} from "active-driver/host";
import {
  FLAG_CELLS,
  Flag,
  type DebugWorkerData,
  type ErrorInfo,
  type LoadedMessage,
  type ParentToWorker,
  type Snapshot,
  type WorkerToParent,
} from "./worker/messages";

/** The driver could not be loaded (or the scenario is unknown): the launch fails with this. */
export class LaunchError extends Error {
  constructor(readonly info: ErrorInfo) {
    super(info.message);
    this.name = "LaunchError";
  }
}

/** How to start the debug worker from where this code runs: its bundle beside this one, or its source (tests under tsx). */
export function workerEntry(): WorkerEntry {
  const candidate = __filename.endsWith(".ts") ? path.join(__dirname, "worker", "debugWorker.ts") : path.join(__dirname, "debugWorker.js");
  return findWorkerEntry("the debug worker", [candidate]);
}

const live = new Set<Worker>();

/** Debug workers of this process that have not exited (tests check that none is left behind). */
export function liveWorkerCount(): number {
  return live.size;
}

export interface DebugWorkerEvents {
  /** What the worker reports once the driver is loaded (`loaded` itself resolves `loaded`). */
  message: [WorkerToParent];
  /** Text the driver wrote to stdout/stderr itself (console.log in a driver). */
  output: [string, "stdout" | "stderr"];
  /** The worker thread ended; `error` when it died of an uncaught error. */
  exit: [number, Error | undefined];
  /** The driver was stopped by the watchdog (it spins: the error names the line) or the memory limit; the worker is ending. */
  limit: [SerializedError];
}

/** One worker: one run of the driver. */
export class DebugWorkerHandle extends EventEmitter<DebugWorkerEvents> {
  private readonly worker: Worker;
  private readonly flags: Int32Array;
  private nextSnapshot = 1;
  private readonly snapshots = new Map<number, { resolve: (s: Snapshot) => void; reject: (e: Error) => void }>();
  private exited: Promise<void>;
  private error: Error | undefined;
  alive = true;
  /** Resolves when the worker has loaded the driver; rejects with a LaunchError when it cannot. */
  readonly loaded: Promise<LoadedMessage>;
  private settleLoaded: { resolve: (m: LoadedMessage) => void; reject: (e: LaunchError) => void } | undefined;

  /** Why the watchdog or the memory limit ended the worker, once it has. */
  limitError: SerializedError | undefined;
  private readonly stopWatchdog: () => void;

  constructor(driverPath: string, scenario: string, seed: number, choices?: readonly number[], limits: LimitOptions = {}) {
    super();
    this.loaded = new Promise<LoadedMessage>((resolve, reject) => {
      this.settleLoaded = { resolve, reject };
    });
    this.loaded.catch(() => undefined); // a spare worker's failure may never be looked at
    const shared = new SharedArrayBuffer(FLAG_CELLS * Int32Array.BYTES_PER_ELEMENT);
    this.flags = new Int32Array(shared);
    const heartbeat = new SharedArrayBuffer(HEARTBEAT_CELLS * Int32Array.BYTES_PER_ELEMENT);
    const resourceLimits = workerResourceLimits(limits);
    const data: DebugWorkerData = {
      driverPath,
      scenario,
      seed,
      flags: shared,
      heartbeat,
      memoryLimitMb: resourceLimits.maxOldGenerationSizeMb,
      ...(choices !== undefined ? { choices: [...choices] } : {}),
    };
    const entry = workerEntry();
    // stdout/stderr piped here: in the stdio adapter the process's stdout carries DAP.
    this.worker = new Worker(entry.file, { workerData: data, execArgv: entry.execArgv, stdout: true, stderr: true, resourceLimits });
    live.add(this.worker);
    let ready = false;
    let files: readonly string[] = [];
    void this.loaded.then(
      (m) => (files = m.files),
      () => undefined,
    );
    this.stopWatchdog = watchWorker(
      {
        worker: this.worker,
        cells: new Int32Array(heartbeat),
        driverPath,
        files: () => files,
        ready: () => ready,
        entryFile: entry.file,
        onLimit: (error) => this.limited(error),
      },
      limits,
    );
    this.worker.stdout.setEncoding("utf8").on("data", (text: string) => this.emit("output", text, "stdout"));
    this.worker.stderr.setEncoding("utf8").on("data", (text: string) => this.emit("output", text, "stderr"));
    this.worker.on("message", (message: WorkerToParent) => {
      if (message.type === "ready") {
        ready = true;
        return;
      }
      if (message.type === "snapshot") {
        const waiter = this.snapshots.get(message.id);
        this.snapshots.delete(message.id);
        if (message.snapshot !== undefined) waiter?.resolve(message.snapshot);
        else waiter?.reject(new Error(message.error ?? "no snapshot"));
        return;
      }
      const loading = this.settleLoaded;
      if (loading !== undefined && (message.type === "loaded" || message.type === "error")) {
        this.settleLoaded = undefined;
        if (message.type === "loaded") loading.resolve(message);
        else loading.reject(new LaunchError(message.error));
        return;
      }
      this.emit("message", message);
    });
    this.worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") this.limited(outOfMemoryError(driverPath, resourceLimits.maxOldGenerationSizeMb));
      else this.error = error;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        this.stopWatchdog();
        live.delete(this.worker);
        this.alive = false;
        for (const waiter of this.snapshots.values()) waiter.reject(new Error("the driver's worker ended"));
        this.snapshots.clear();
        const why = this.limitError?.message ?? (this.error !== undefined ? `${this.error.name}: ${this.error.message}` : `exit code ${code}`);
        this.settleLoaded?.reject(new LaunchError({ name: "Error", message: `the driver's worker ended before the driver loaded (${why})`, kind: "worker" }));
        this.settleLoaded = undefined;
        this.emit("exit", code, this.error);
        resolve();
      });
    });
  }

  /** The watchdog or the memory limit ends the worker: say why (once), then terminate it. */
  private limited(error: SerializedError): void {
    if (this.limitError !== undefined) return;
    this.limitError = error;
    this.stopWatchdog();
    this.emit("limit", error);
    void this.worker.terminate();
  }

  send(command: ParentToWorker): void {
    if (this.alive) this.worker.postMessage(command);
  }

  /** Asks the run to stop at the next delivery (read synchronously by the worker's gate). */
  pause(): void {
    Atomics.store(this.flags, Flag.pause, 1);
  }

  clearPause(): void {
    Atomics.store(this.flags, Flag.pause, 0);
  }

  /** The position of the last delivery the worker made (undefined before the first), readable after it ended. */
  get lastDelivery(): number | undefined {
    const delivered = Atomics.load(this.flags, Flag.delivered);
    return delivered === 0 ? undefined : delivered - 1;
  }

  snapshot(): Promise<Snapshot> {
    if (!this.alive) return Promise.reject(new Error("the driver's worker has ended"));
    const id = this.nextSnapshot++;
    return new Promise<Snapshot>((resolve, reject) => {
      this.snapshots.set(id, { resolve, reject });
      this.send({ type: "snapshot", id });
    });
  }

  /** Ends the worker (and the run in it); resolves once the thread has exited. Nothing outlives it: the trace is kept here. */
  async dispose(): Promise<void> {
    // terminate() also ends a driver stuck in a loop that never waits (it could not read a command).
    if (this.alive) {
      this.send({ type: "stop" });
      await this.worker.terminate();
    }
    await this.exited;
  }
}
