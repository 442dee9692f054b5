// Starts the debug worker and speaks its message protocol (worker/messages.ts). From sources (tests
// under tsx) the worker is worker/debugWorker.ts run through tsx; bundled, it is debugWorker.js next
// to the bundle that contains this file (dist/debugAdapter.js or dist/extension.js).
import { EventEmitter } from "node:events";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { findWorkerEntry, type WorkerEntry } from "active-driver/host";
import { FLAG_CELLS, Flag, type DebugWorkerData, type ErrorInfo, type LoadedMessage, type ParentToWorker, type Snapshot, type WorkerToParent } from "./worker/messages";

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

  constructor(driverPath: string, scenario: string, seed: number, choices?: readonly number[]) {
    super();
    this.loaded = new Promise<LoadedMessage>((resolve, reject) => {
      this.settleLoaded = { resolve, reject };
    });
    this.loaded.catch(() => undefined); // a spare worker's failure may never be looked at
    const shared = new SharedArrayBuffer(FLAG_CELLS * Int32Array.BYTES_PER_ELEMENT);
    this.flags = new Int32Array(shared);
    const data: DebugWorkerData = { driverPath, scenario, seed, flags: shared, ...(choices !== undefined ? { choices: [...choices] } : {}) };
    const entry = workerEntry();
    // stdout/stderr piped here: in the stdio adapter the process's stdout carries DAP.
    this.worker = new Worker(entry.file, { workerData: data, execArgv: entry.execArgv, stdout: true, stderr: true });
    live.add(this.worker);
    this.worker.stdout.setEncoding("utf8").on("data", (text: string) => this.emit("output", text, "stdout"));
    this.worker.stderr.setEncoding("utf8").on("data", (text: string) => this.emit("output", text, "stderr"));
    this.worker.on("message", (message: WorkerToParent) => {
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
    this.worker.on("error", (error) => {
      this.error = error;
    });
    this.exited = new Promise((resolve) => {
      this.worker.once("exit", (code) => {
        live.delete(this.worker);
        this.alive = false;
        for (const waiter of this.snapshots.values()) waiter.reject(new Error("the driver's worker ended"));
        this.snapshots.clear();
        const why = this.error !== undefined ? `${this.error.name}: ${this.error.message}` : `exit code ${code}`;
        this.settleLoaded?.reject(new LaunchError({ name: "Error", message: `the driver's worker ended before the driver loaded (${why})`, kind: "worker" }));
        this.settleLoaded = undefined;
        this.emit("exit", code, this.error);
        resolve();
      });
    });
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
