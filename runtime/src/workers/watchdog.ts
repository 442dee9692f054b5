// The limits every host of driver code puts on its worker thread (the `run` and `explore` runner,
// the debug worker): a memory limit and a watchdog, written once.
// - Memory: V8's heap limit (resourceLimits) does not see array buffers and other external memory
//   (16 typed arrays of 256 MB pass it), so the worker samples heap + external memory at its next
//   beat whenever the parent asks (each watchdog period), and the parent stops it when the sum
//   passes the same limit.
// - Watchdog: the worker beats a shared heartbeat at each step of the driver's progress (a wait, a
//   sleep, a delivery, a send) and as virtual time moves; when the beats stop for `stallMs` while
//   the driver runs, the driver spins without waiting: the parent finds the line it spins on
//   (spin.ts) and terminates the worker with an error naming it.
import * as v8 from "node:v8";
import type { Worker } from "node:worker_threads";
import type { SourceLocation } from "../trace";
import type { AnyProtocol, DriverInstance } from "../types";
import type { SerializedError } from "./errors";
import { locateSpin } from "./spin";
import { defined } from "../defined";

/** Indices into the heartbeat cells shared by a worker and its parent. */
export const Beat = {
  /** Counts beats: the driver made progress, virtual time moved, a file loaded. */
  steps: 0,
  /** Non-zero while the worker does host work that is not the driver's (the compiler, the summary) or a debugger holds the run. */
  paused: 1,
  /** The worker's heap plus external memory (array buffers...) at the last sample, in MB. */
  memoryMb: 2,
  /** Of that, external memory, in MB. */
  externalMb: 3,
  /** Set by the parent each watchdog period: the worker samples its memory at the next beat. */
  sampleWanted: 4,
} as const;
export const HEARTBEAT_CELLS = 5;

export interface LimitOptions {
  /** The worker's memory limit in MB: V8's heap limit, and the limit of heap plus external memory. Default 512. */
  maxOldGenerationSizeMb?: number;
  /** Wall time without a heartbeat while the driver runs after which it counts as stuck. Default 1000 ms. */
  stallMs?: number;
  /** Wall time the watchdog may spend finding the line a stuck driver spins on, before it terminates the worker anyway. Default 700 ms. */
  locateMs?: number;
  /** Wall time the worker may take to start (load its own code) before it counts as broken. Default 30000 ms. */
  startupMs?: number;
}

export const DEFAULT_MEMORY_MB = 512;
export const DEFAULT_STALL_MS = 1000;
export const DEFAULT_LOCATE_MS = 700;
export const DEFAULT_STARTUP_MS = 30000;

/** The resourceLimits of a driver worker. */
export function workerResourceLimits(options: LimitOptions): { maxOldGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? DEFAULT_MEMORY_MB };
}

/** The worker's side: beats, host work and memory samples on the shared cells. */
export interface Heartbeat {
  /** One step of progress (cheap: an atomic add, and a memory sample when the parent asked for one). */
  tick: () => void;
  /** Host work begins (true) or ends (false): the watchdog does not count that time. */
  hostWork: (busy: boolean) => void;
  /** Samples heap + external memory now; over the limit, the worker blocks until the parent terminates it. */
  sample: () => void;
}

export function workerHeartbeat(buffer: SharedArrayBuffer, limitMb: number): Heartbeat {
  const cells = new Int32Array(buffer);
  const sample = (): void => {
    cells[Beat.sampleWanted] = 0;
    const stats = v8.getHeapStatistics();
    const externalMb = Math.floor(stats.external_memory / 1048576);
    const memoryMb = Math.floor(stats.used_heap_size / 1048576) + externalMb;
    Atomics.store(cells, Beat.externalMb, externalMb);
    Atomics.store(cells, Beat.memoryMb, memoryMb);
    // Over the limit: allocate nothing more; the parent's watchdog reads the cells and ends this worker.
    if (memoryMb > limitMb) for (;;) Atomics.wait(cells, Beat.paused, Atomics.load(cells, Beat.paused), 50);
  };
  return {
    tick: () => {
      Atomics.add(cells, Beat.steps, 1);
      if (cells[Beat.sampleWanted] !== 0) sample(); // a plain read: a sample a beat late is fine
    },
    hostWork: (busy) => {
      Atomics.store(cells, Beat.paused, busy ? 1 : 0);
      Atomics.add(cells, Beat.steps, 1);
    },
    sample,
  };
}

/** Virtual time between heartbeats, in microseconds. */
const BEAT_US = 50;

/**
 * The other beat: a timer every BEAT_US of virtual time. Virtual time moves only when every driver
 * thread has yielded, so while the OS and the device work (a long stretch without a delivery) the
 * driver is not spinning either. The timer is unref'd and does nothing observable (no trace event,
 * no reorder).
 */
export function beatOnVirtualTime(inst: DriverInstance<AnyProtocol>, tick: () => void): void {
  const beat = (): void => {
    tick();
    (inst.after(BEAT_US, beat) as { unref?: () => void }).unref?.();
  };
  (inst.after(BEAT_US, beat) as { unref?: () => void }).unref?.();
}

/** What the parent's watchdog needs to know about its worker as it goes. */
export interface WatchedWorker {
  worker: Worker;
  cells: Int32Array;
  /** The driver's entry file (named in errors). */
  driverPath: string;
  /** The driver's files loaded so far (where a spin is looked for). */
  files: () => readonly string[];
  /** The worker has loaded its own code (before that, `startupMs` applies). */
  ready: () => boolean;
  /** Where the worker starts from (named when it does not start). */
  entryFile: string;
  /** Called once with why the worker must end; the watchdog then stops (the caller terminates the worker). */
  onLimit: (error: SerializedError) => void;
}

/** How often the parent looks at the cells and asks for a memory sample: what a fast allocator can add past the limit is what it allocates in this time. */
const PERIOD_MS = 20;

/** Starts the parent's watchdog over a worker; returns its stop function. */
export function watchWorker(watched: WatchedWorker, options: LimitOptions): () => void {
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  const startupMs = options.startupMs ?? DEFAULT_STARTUP_MS;
  const limitMb = options.maxOldGenerationSizeMb ?? DEFAULT_MEMORY_MB;
  const { cells, driverPath } = watched;
  let lastBeat = Atomics.load(cells, Beat.steps);
  let lastBeatAt = Date.now();
  let wasReady = false;
  let stopping = false;
  const stop = (): void => {
    stopping = true;
    clearInterval(timer);
  };
  const timer = setInterval(() => {
    if (stopping) return;
    const now = Date.now();
    const memoryMb = Atomics.load(cells, Beat.memoryMb);
    if (memoryMb > limitMb) {
      stop();
      watched.onLimit(outOfMemoryError(driverPath, limitMb, { memoryMb, externalMb: Atomics.load(cells, Beat.externalMb) }));
      return;
    }
    Atomics.store(cells, Beat.sampleWanted, 1);
    const ready = watched.ready();
    if (ready && !wasReady) lastBeatAt = now;
    wasReady = ready;
    const beat = Atomics.load(cells, Beat.steps);
    if (beat !== lastBeat || Atomics.load(cells, Beat.paused) !== 0) {
      lastBeat = beat;
      lastBeatAt = now;
      return;
    }
    const limit = ready ? stallMs : startupMs;
    if (now - lastBeatAt < limit) return;
    stop();
    if (!ready) {
      watched.onLimit({ name: "WorkerStartError", kind: "worker", message: `the driver worker (${watched.entryFile}) did not start within ${limit} ms` });
      return;
    }
    const stalledMs = now - lastBeatAt;
    const files = watched.files();
    void locateSpin(watched.worker, files.length > 0 ? files : [driverPath], options.locateMs ?? DEFAULT_LOCATE_MS).then((loc) =>
      watched.onLimit(spinError(driverPath, stalledMs, loc)),
    );
  }, PERIOD_MS);
  return stop;
}

/** The error of a driver stopped for spinning, naming the line when it is known. */
export function spinError(driverPath: string, stalledMs: number, loc: SourceLocation | undefined): SerializedError {
  const where = loc === undefined ? driverPath : formatSourceLocation(loc);
  return {
    name: "DriverTimeoutError",
    kind: "timeout",
    message: `driver ${driverPath} was stopped: it ran for ${stalledMs} ms without waiting, sleeping or taking a message, at ${where}: a loop that never reaches wait or sleep?`,
    ...defined({ loc }),
  };
}

/** The error of a driver past its memory limit: V8's heap limit (no figures) or heap + external memory (sampled). */
export function outOfMemoryError(driverPath: string, limitMb: number, sampled?: { memoryMb: number; externalMb: number }): SerializedError {
  const what =
    sampled === undefined
      ? `the worker's heap limit of ${limitMb} MB was reached`
      : `the worker's memory limit of ${limitMb} MB was passed (${sampled.memoryMb} MB in use, ${sampled.externalMb} MB of it array buffers and other external memory)`;
  return {
    name: "DriverOutOfMemoryError",
    kind: "out-of-memory",
    message: `driver ${driverPath} ran out of memory: ${what} (a driver or mailbox that grows without bound?)`,
  };
}

/** `file:line:col` of a location, or the file alone when the line is unknown (0). */
export function formatSourceLocation(loc: SourceLocation): string {
  return loc.line > 0 ? `${loc.file}:${loc.line}:${loc.column}` : loc.file;
}
