// `active-driver/host` (the package export keeps that name; the folder says what it holds): runs
// drivers from their TypeScript sources without a build step, in this thread (loadDriver) or in a
// worker thread with a heap limit and a watchdog (runDriverInWorker).
export { loadDriver, defaultModules, resolveDriverFile } from "./loader";
export type { LoadOptions, LoadedDriver } from "./loader";
export { transpileFile, transpileSource, clearTranspileCache } from "./transpile";
export type { Transpiled } from "./transpile";
export { DriverLoadError, formatLocation, locateInStack, serializeError } from "./errors";
export type { ErrorLocation, SerializedError } from "./errors";
export { runDriverInWorker, runDriverBatch, resolveWorkerEntry, findWorkerEntry, formatSourceLocation } from "./runner";
export type { RunRequest, RunResult, WorkerEntry, WorkerOptions, BatchCallbacks } from "./runner";
export { locateSpin } from "./spin";
export { beatOnVirtualTime, outOfMemoryError, spinError, watchWorker, workerHeartbeat, workerResourceLimits } from "./watchdog";
export type { Heartbeat, LimitOptions, WatchedWorker } from "./watchdog";
export { outputClash, sameFile, unwritableReason, StagedOutput } from "./outputs";
export type { OutputTarget } from "./outputs";
export { Beat, HEARTBEAT_CELLS } from "./messages";
export type * from "./messages";
