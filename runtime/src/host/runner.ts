// runDriverInWorker(): runs a driver from its sources in a worker thread, with a heap limit and a
// watchdog. The worker beats a shared heartbeat as virtual time moves (it moves only when every
// driver thread has yielded); when the beats stop for `stallMs` the driver is spinning without
// waiting: the watchdog finds the line it spins on (spin.ts) and terminates the worker with an
// error naming it.
// runDriverBatch() does many runs of one driver in one worker (explore); a run that kills its
// worker is reported and the rest go on in a fresh one.
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { SourceLocation, TraceEvent } from "../trace";
import type { SerializedError } from "./errors";
import type { ChoiceSpec } from "../explore/spec";
import { Beat, HEARTBEAT_CELLS, type RunSpec, type RunSummary, type WorkerRequest, type WorkerToParent } from "./messages";
import { locateSpin } from "./spin";

export interface WorkerOptions {
  /** The worker's heap limit (resourceLimits.maxOldGenerationSizeMb). Default 512. */
  maxOldGenerationSizeMb?: number;
  /** Wall time without a heartbeat (virtual time standing still) after which the driver counts as stuck. Default 1000 ms. */
  stallMs?: number;
  /** Wall time the watchdog may spend finding the line a stuck driver spins on, before it terminates the worker anyway. Default 700 ms. */
  locateMs?: number;
  /** Wall time the worker may take to start (load its own code) before it counts as broken. Default 30000 ms. */
  startupMs?: number;
  /** Use this worker entry instead of the resolved one. */
  worker?: WorkerEntry;
}

export interface RunRequest extends WorkerOptions {
  /** The driver's entry file (.ts or .js). */
  driverPath: string;
  /** A scenario name, a path to a scenario .json file, or a scenario object. Default "default". */
  scenario?: string | Record<string, unknown>;
  /** Default 1. */
  seed?: number;
  /** Write the trace as JSON lines (one TraceEvent per line) to this file. */
  tracePath?: string;
  /** Write what crossed the wire to this .pcap file (opens in Wireshark). */
  pcapPath?: string;
  /** Where the run's decisions come from (default: the seeded chooser of `seed`). */
  schedule?: ChoiceSpec;
  /** Record the run's choices, coverage and failure (the summary's `exploration`). */
  explore?: boolean;
  /** Receive trace events as the run goes (in batches, in seq order). */
  onTrace?: (events: TraceEvent[]) => void;
  /** Progress now and then: virtual time (us) and trace events so far. */
  onProgress?: (progress: { time: number; events: number }) => void;
}

export interface RunResult {
  /** The driver ran the scenario without failing, breaking the protocol or losing frames. */
  ok: boolean;
  /** The scenario's summary, when the run got that far (a driver that threw still has one). */
  summary?: RunSummary;
  /** Why there is no summary: the driver did not load, was stopped by the watchdog, ran out of memory, or the worker broke. */
  error?: SerializedError;
  /** The driver's source files that were loaded. */
  files: string[];
  /** Trace events the run produced. */
  events: number;
  /** Wall time of the run (the first run of a worker includes its start). */
  wallMs: number;
}

export interface WorkerEntry {
  /** The script the worker runs. */
  file: string;
  /** Node options for the worker (tsx for the TypeScript source). */
  execArgv: string[];
}

/**
 * Finds the worker entry: `ACTIVE_DRIVER_WORKER` if set; else dist/worker.js beside this bundle
 * (dist/cli.js, dist/debugAdapter.js, dist/extension.js) or the repository's dist/ (from
 * runtime/dist/host.js); else the TypeScript source runtime/src/host/worker.ts run through tsx.
 */
export function resolveWorkerEntry(here: string = __filename): WorkerEntry {
  const fromEnv = process.env["ACTIVE_DRIVER_WORKER"];
  if (fromEnv !== undefined && fromEnv !== "") return entryFor(path.resolve(fromEnv));
  const dir = path.dirname(here);
  const candidates: string[] = [];
  if (!here.endsWith(".ts")) candidates.push(path.join(dir, "worker.js"), path.resolve(dir, "../../dist/worker.js"));
  candidates.push(path.join(dir, "worker.ts"), path.resolve(dir, "../src/host/worker.ts"), path.resolve(dir, "../runtime/src/host/worker.ts"));
  for (const file of candidates) {
    if (file !== here && isFile(file)) return entryFor(file);
  }
  throw new Error(`cannot find the driver worker (looked for ${candidates.join(", ")}): run \`node esbuild.js\` to build dist/worker.js`);
}

function entryFor(file: string): WorkerEntry {
  if (!file.endsWith(".ts")) return { file, execArgv: [] };
  // TypeScript goes through tsx's require hook: on Node 20 `--import tsx` does not reach a worker's entry module.
  let tsx: string;
  try {
    tsx = require.resolve("tsx/cjs", { paths: [path.dirname(file), process.cwd()] });
  } catch {
    throw new Error(`the driver worker ${file} is TypeScript and tsx is not installed: run \`node esbuild.js\` to build dist/worker.js`);
  }
  return { file, execArgv: ["--conditions=source", "--require", tsx] };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Runs a driver through a scenario in a worker thread. Always resolves; failures are in the result. */
export async function runDriverInWorker(request: RunRequest): Promise<RunResult> {
  const spec: RunSpec = { scenario: request.scenario ?? "default", seed: request.seed ?? 1 };
  if (request.tracePath !== undefined) spec.tracePath = path.resolve(request.tracePath);
  if (request.pcapPath !== undefined) spec.pcapPath = path.resolve(request.pcapPath);
  if (request.schedule !== undefined) spec.schedule = request.schedule;
  if (request.explore === true) spec.explore = true;
  const results = await runDriverBatch(request.driverPath, [spec], request, {
    ...(request.onTrace !== undefined ? { onTrace: (_i: number, events: TraceEvent[]) => request.onTrace!(events) } : {}),
    ...(request.onProgress !== undefined ? { onProgress: (_i: number, p: { time: number; events: number }) => request.onProgress!(p) } : {}),
  });
  return results[0]!;
}

export interface BatchCallbacks {
  onResult?: (index: number, result: RunResult) => void;
  onTrace?: (index: number, events: TraceEvent[]) => void;
  onProgress?: (index: number, progress: { time: number; events: number }) => void;
}

/**
 * Runs one driver through many runs, one after the other, in as few workers as it takes: a run
 * that stops its worker (watchdog, heap limit, crash) is reported and the next run starts in a new
 * worker. Resolves with one result per run, in order.
 */
export async function runDriverBatch(driverPath: string, runs: RunSpec[], options: WorkerOptions = {}, callbacks: BatchCallbacks = {}): Promise<RunResult[]> {
  const results: RunResult[] = [];
  while (results.length < runs.length) {
    const offset = results.length;
    const part = await runInOneWorker(path.resolve(driverPath), runs.slice(offset), options, {
      onResult: (i, r) => callbacks.onResult?.(offset + i, r),
      ...(callbacks.onTrace !== undefined ? { onTrace: (i: number, e: TraceEvent[]) => callbacks.onTrace!(offset + i, e) } : {}),
      ...(callbacks.onProgress !== undefined ? { onProgress: (i: number, p: { time: number; events: number }) => callbacks.onProgress!(offset + i, p) } : {}),
    });
    results.push(...part);
  }
  return results;
}

/** Runs `runs` in one worker until they are done or the worker dies; the run it died in gets the error. */
function runInOneWorker(driverPath: string, runs: RunSpec[], options: WorkerOptions, callbacks: BatchCallbacks): Promise<RunResult[]> {
  const stallMs = options.stallMs ?? 1000;
  const startupMs = options.startupMs ?? 30000;
  const heapMb = options.maxOldGenerationSizeMb ?? 512;
  const entry = options.worker ?? resolveWorkerEntry();
  const heartbeat = new SharedArrayBuffer(HEARTBEAT_CELLS * Int32Array.BYTES_PER_ELEMENT);
  const beats = new Int32Array(heartbeat);
  const request: WorkerRequest = { driverPath, runs, heartbeat, ...(callbacks.onTrace !== undefined ? { streamTrace: true } : {}) };

  return new Promise<RunResult[]>((resolve) => {
    const results: RunResult[] = [];
    let files: string[] = [];
    let events = 0;
    let runStarted = Date.now();
    let settled = false;
    let ready = false;
    let stopping = false;
    let lastBeat = 0;
    let lastBeatAt = Date.now();

    const worker = new Worker(path.resolve(entry.file), {
      workerData: request,
      execArgv: entry.execArgv,
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      stdout: false,
      stderr: false,
    });

    const record = (result: Omit<RunResult, "files" | "events" | "wallMs">): void => {
      const full: RunResult = { ...result, files, events, wallMs: Date.now() - runStarted };
      results.push(full);
      callbacks.onResult?.(results.length - 1, full);
      files = [];
      events = 0;
      runStarted = Date.now();
      if (results.length === runs.length) end();
    };
    const end = (): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(results);
      void worker.terminate();
    };
    /** The worker is lost: the run in progress fails with `error`, the rest are for another worker. */
    const lost = (error: SerializedError): void => {
      if (settled) return;
      if (results.length < runs.length) record({ ok: false, error });
      end();
    };

    const watchdog = setInterval(() => {
      const now = Date.now();
      const beat = Atomics.load(beats, Beat.steps);
      if (beat !== lastBeat || Atomics.load(beats, Beat.paused) !== 0) {
        lastBeat = beat;
        lastBeatAt = now;
        return;
      }
      const limit = ready ? stallMs : startupMs;
      if (now - lastBeatAt < limit || stopping) return;
      stopping = true;
      if (!ready) {
        lost({ name: "WorkerStartError", kind: "worker", message: `the driver worker (${entry.file}) did not start within ${limit} ms` });
        return;
      }
      const stalledMs = now - lastBeatAt;
      void locateSpin(worker, files.length > 0 ? files : [driverPath], options.locateMs ?? 700).then((loc) => {
        const where = loc === undefined ? driverPath : formatSourceLocation(loc);
        lost({
          name: "DriverTimeoutError",
          kind: "timeout",
          message: `driver ${driverPath} was stopped: it ran for ${stalledMs} ms without waiting (virtual time stood still), at ${where}: a loop that never reaches wait or sleep?`,
          ...(loc !== undefined ? { loc } : {}),
        });
      });
    }, Math.max(20, Math.min(100, Math.floor(stallMs / 4))));

    worker.on("message", (message: WorkerToParent) => {
      if (settled) return;
      switch (message.type) {
        case "ready":
          ready = true;
          lastBeatAt = Date.now();
          runStarted = Date.now();
          break;
        case "loaded":
          files = message.files;
          break;
        case "trace":
          callbacks.onTrace?.(message.index, message.events);
          break;
        case "progress":
          events = message.events;
          callbacks.onProgress?.(message.index, { time: message.time, events: message.events });
          break;
        case "result":
          events = message.events;
          files = message.summary.files;
          record({ ok: message.summary.ok, summary: message.summary });
          break;
        case "error":
          if (message.index < 0) lost(message.error);
          else record({ ok: false, error: message.error });
          break;
      }
    });
    worker.on("error", (error: Error & { code?: string }) => {
      if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
        lost({
          name: "DriverOutOfMemoryError",
          kind: "out-of-memory",
          message: `driver ${driverPath} ran out of memory: the worker's heap limit of ${heapMb} MB was reached (a driver or mailbox that grows without bound?)`,
        });
        return;
      }
      lost({ name: error.name, kind: "worker", message: `the driver worker failed: ${error.message}`, ...(error.stack !== undefined ? { stack: error.stack } : {}) });
    });
    worker.on("exit", (code) => {
      lost({ name: "WorkerExitError", kind: "worker", message: `the driver worker exited with code ${code} before it finished (driver ${driverPath})` });
    });
  });
}

/** `file:line:col` of a location, or the file alone when the line is unknown (0). */
export function formatSourceLocation(loc: SourceLocation): string {
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
}
