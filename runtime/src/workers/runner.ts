// runDriverInWorker(): runs a driver from its sources in a worker thread, with the memory limit and
// the watchdog of watchdog.ts: a driver that spins without waiting is stopped with the line it
// spins on, one that grows past the limit (heap or array buffers) with an out-of-memory error.
// runDriverBatch() does many runs of one driver in one worker (explore); a run that kills its
// worker is reported and the rest go on in a fresh one.
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { TraceEvent } from "../trace";
import { createChoiceLog, readChoiceLog } from "./choiceLog";
import type { SerializedError } from "./errors";
import type { ChoiceSpec } from "../explore/spec";
import { HEARTBEAT_CELLS, type RunSpec, type RunSummary, type WorkerRequest, type WorkerToParent } from "./messages";
import { outputClash, StagedOutput, type OutputTarget } from "./outputs";
import { DEFAULT_MEMORY_MB, formatSourceLocation, outOfMemoryError, watchWorker, workerResourceLimits, type LimitOptions } from "./watchdog";
import { defined } from "../defined";

export { formatSourceLocation };

export interface WorkerOptions extends LimitOptions {
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
  /** An exploring run whose worker was lost (no summary): the decisions it made until then, its schedule. */
  choicesUntilLost?: number[];
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
 * runtime/dist/host.js); else the TypeScript source runtime/src/workers/worker.ts run through tsx.
 */
export function resolveWorkerEntry(here: string = __filename): WorkerEntry {
  const fromEnv = process.env["ACTIVE_DRIVER_WORKER"];
  if (fromEnv !== undefined && fromEnv !== "") return entryFor(path.resolve(fromEnv));
  const dir = path.dirname(here);
  const candidates: string[] = [];
  if (!here.endsWith(".ts")) candidates.push(path.join(dir, "worker.js"), path.resolve(dir, "../../dist/worker.js"));
  candidates.push(path.join(dir, "worker.ts"), path.resolve(dir, "../src/workers/worker.ts"), path.resolve(dir, "../runtime/src/workers/worker.ts"));
  return findWorkerEntry(
    "the driver worker",
    candidates.filter((file) => file !== here),
  );
}

/**
 * The first of `candidates` (a bundle beside the caller's, or a TypeScript source) that is a file,
 * as a worker entry; the error names `what` and every place looked at. The run worker and the
 * debug worker are both found this way.
 */
export function findWorkerEntry(what: string, candidates: readonly string[]): WorkerEntry {
  for (const file of candidates) {
    if (isFile(file)) return entryFor(file);
  }
  throw new Error(`cannot find ${what} (looked for ${candidates.join(", ")}): run \`node esbuild.js\` to build it`);
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

/**
 * Runs a driver through a scenario in a worker thread. Always resolves; failures are in the result.
 * The trace and capture files are written to temporary files and renamed into place when the run
 * ends with a summary; an output that is the driver or one of its sources, or two outputs that are
 * the same file, fail the run (`output-clash`) before it starts, and nothing is written.
 */
export async function runDriverInWorker(request: RunRequest): Promise<RunResult> {
  const spec: RunSpec = { scenario: request.scenario ?? "default", seed: request.seed ?? 1 };
  const targets: OutputTarget[] = [];
  if (request.tracePath !== undefined) targets.push({ path: path.resolve(request.tracePath), what: "trace file" });
  if (request.pcapPath !== undefined) targets.push({ path: path.resolve(request.pcapPath), what: "capture file" });
  const clash = outputClash(targets, [path.resolve(request.driverPath)]);
  if (clash !== undefined) return { ok: false, error: { name: "OutputClashError", kind: "output-clash", message: clash }, files: [], events: 0, wallMs: 0 };
  const staged = targets.map((t) => new StagedOutput(t.path));
  if (request.tracePath !== undefined) spec.tracePath = staged[0]!.temporary;
  if (request.pcapPath !== undefined) spec.pcapPath = staged[staged.length - 1]!.temporary;
  if (targets.length > 0) spec.outputTargets = targets;
  if (request.schedule !== undefined) spec.schedule = request.schedule;
  if (request.explore === true) spec.explore = true;
  let result: RunResult;
  try {
    [result] = (await runDriverBatch(request.driverPath, [spec], request, {
      ...defined({
        onTrace: request.onTrace && ((_i: number, events: TraceEvent[]) => request.onTrace!(events)),
        onProgress: request.onProgress && ((_i: number, p: { time: number; events: number }) => request.onProgress!(p)),
      }),
    })) as [RunResult];
  } catch (error) {
    for (const output of staged) output.discard();
    throw error;
  }
  if (result.summary === undefined) {
    for (const output of staged) output.discard();
    return result;
  }
  try {
    for (const output of staged) output.commit();
  } catch (error) {
    for (const output of staged) output.discard();
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return {
      ...result,
      ok: false,
      error: { name: "OutputError", kind: "output", message: `cannot write ${staged.map((o) => o.target).join(" and ")}: ${why}` },
    };
  }
  // The summary names the file the user asked for, not the temporary one the worker wrote.
  if (result.summary.pcapFile !== undefined && request.pcapPath !== undefined) result.summary.pcapFile = request.pcapPath;
  return result;
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
      ...defined({
        onTrace: callbacks.onTrace && ((i: number, e: TraceEvent[]) => callbacks.onTrace!(offset + i, e)),
        onProgress: callbacks.onProgress && ((i: number, p: { time: number; events: number }) => callbacks.onProgress!(offset + i, p)),
      }),
    });
    results.push(...part);
  }
  return results;
}

/** Runs `runs` in one worker until they are done or the worker dies; the run it died in gets the error. */
function runInOneWorker(driverPath: string, runs: RunSpec[], options: WorkerOptions, callbacks: BatchCallbacks): Promise<RunResult[]> {
  const heapMb = options.maxOldGenerationSizeMb ?? DEFAULT_MEMORY_MB;
  const entry = options.worker ?? resolveWorkerEntry();
  const heartbeat = new SharedArrayBuffer(HEARTBEAT_CELLS * Int32Array.BYTES_PER_ELEMENT);
  const choiceLog = runs.some((r) => r.explore === true) ? createChoiceLog() : undefined;
  const request: WorkerRequest = {
    driverPath,
    runs,
    heartbeat,
    memoryLimitMb: heapMb,
    ...(callbacks.onTrace !== undefined ? { streamTrace: true } : {}),
    ...defined({ choiceLog }),
  };

  return new Promise<RunResult[]>((resolve) => {
    const results: RunResult[] = [];
    let files: string[] = [];
    let events = 0;
    let runStarted = Date.now();
    let settled = false;
    let ready = false;

    const worker = new Worker(path.resolve(entry.file), {
      workerData: request,
      execArgv: entry.execArgv,
      resourceLimits: workerResourceLimits(options),
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
      stopWatchdog();
      resolve(results);
      void worker.terminate();
      // A driver blocked in native code (a child process run synchronously) does not see the termination: it must not keep this process alive.
      worker.unref();
    };
    /** The worker is lost: the run in progress fails with `error`, the rest are for another worker. */
    const lost = (error: SerializedError): void => {
      if (settled) return;
      if (results.length < runs.length) {
        const exploring = runs[results.length]!.explore === true && choiceLog !== undefined;
        record({ ok: false, error, ...(exploring ? { choicesUntilLost: readChoiceLog(choiceLog) } : {}) });
      }
      end();
    };

    const stopWatchdog = watchWorker(
      { worker, cells: new Int32Array(heartbeat), driverPath, files: () => files, ready: () => ready, entryFile: entry.file, onLimit: lost },
      options,
    );

    worker.on("message", (message: WorkerToParent) => {
      if (settled) return;
      switch (message.type) {
        case "ready":
          ready = true;
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
        lost(outOfMemoryError(driverPath, heapMb));
        return;
      }
      lost({ name: error.name, kind: "worker", message: `the driver worker failed: ${error.message}`, ...defined({ stack: error.stack }) });
    });
    worker.on("exit", (code) => {
      lost({ name: "WorkerExitError", kind: "worker", message: `the driver worker exited with code ${code} before it finished (driver ${driverPath})` });
    });
  });
}
