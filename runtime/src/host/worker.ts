// The driver worker: loads a driver from its TypeScript sources and runs it through scenarios on
// the simulated NIC, off the thread that started it (the CLI, the extension host, a test). It
// beats the shared heartbeat as virtual time moves, so the parent's watchdog can stop a driver
// that spins without waiting; it writes trace files itself and posts one summary per run.
import * as fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { TraceEvent } from "../trace";
import type { AnyProtocol, DriverInstance } from "../types";
import { runScenario } from "../nic/index";
import { RecordingChooser } from "../explore/chooser";
import { coverageOfRun } from "../explore/coverage";
import { failureOf, scheduleSize } from "../explore/failure";
import { chooserFor } from "../explore/spec";
import { DriverLoadError, serializeError } from "./errors";
import { loadDriver } from "./loader";
import { Beat, type RunSpec, type RunSummary, type WorkerRequest, type WorkerToParent } from "./messages";

/** Trace events per `trace` message, per write to the trace file, and per progress message. */
const BATCH = 1024;
/** Virtual time between heartbeats, in microseconds. */
const BEAT_US = 50;

function post(message: WorkerToParent): void {
  parentPort?.postMessage(message);
}

async function runOne(request: WorkerRequest, index: number, spec: RunSpec, tick: () => void, hostWork: (busy: boolean) => void): Promise<void> {
  let loaded;
  try {
    loaded = loadDriver(request.driverPath, { onFile: tick, onTranspile: hostWork });
  } catch (error) {
    post({ type: "error", index, error: serializeError(error, error instanceof DriverLoadError ? "load" : "driver-error") });
    return;
  }
  post({ type: "loaded", index, files: loaded.files });

  let traceFd: number | undefined;
  try {
    if (spec.tracePath !== undefined) traceFd = fs.openSync(spec.tracePath, "w");
  } catch (error) {
    post({ type: "error", index, error: serializeError(new Error(`cannot write the trace file ${spec.tracePath}: ${(error as Error).message}`), "trace-file") });
    return;
  }
  // Listening costs a call per trace event: only when someone reads the events.
  const listen = traceFd !== undefined || request.streamTrace === true;
  let lines: string[] = [];
  let batch: TraceEvent[] = [];
  let events = 0;
  let instance: DriverInstance<AnyProtocol> | undefined;
  const flush = (): void => {
    if (traceFd !== undefined && lines.length > 0) {
      fs.writeSync(traceFd, lines.join(""));
      lines = [];
    }
    if (batch.length > 0) {
      post({ type: "trace", index, events: batch });
      batch = [];
    }
    post({ type: "progress", index, time: instance?.now() ?? 0, events });
    tick(); // writing a long trace is work too
  };
  const onEvent = (event: TraceEvent): void => {
    events++;
    if (traceFd !== undefined) lines.push(JSON.stringify(event) + "\n");
    if (request.streamTrace === true) batch.push(event);
    if (events % BATCH === 0) flush();
  };

  const recording = spec.explore === true ? new RecordingChooser(chooserFor(spec.schedule ?? { strategy: "seeded", seed: spec.seed })) : undefined;
  const chooser = recording ?? (spec.schedule !== undefined ? chooserFor(spec.schedule) : undefined);
  try {
    const summary = await runScenario(loaded.exports as never, spec.scenario as never, {
      seed: spec.seed,
      ...(chooser !== undefined ? { chooser } : {}),
      trace: true,
      ...(spec.pcapPath !== undefined ? { pcap: spec.pcapPath } : {}),
      onLaunch: (inst) => {
        instance = inst;
        beatOnVirtualTime(inst, tick);
        if (!listen) return;
        // launch() already traced the driver's first steps: take those, then follow live.
        for (const event of inst.trace) onEvent(event);
        inst.onEvent(onEvent);
      },
    });
    flush();
    events = summary.trace.length;
    const failure = instance?.failure as (Error & { loc?: RunSummary["failureLoc"] }) | undefined;
    const result: RunSummary = { ...summary, files: loaded.files };
    if (failure?.loc !== undefined) result.failureLoc = failure.loc;
    if (recording !== undefined && instance !== undefined) {
      const trace = summary.trace;
      const found = failureOf(result, trace);
      result.exploration = {
        choices: recording.choices,
        options: recording.options,
        kinds: recording.kinds,
        coverage: coverageOfRun(instance.protocol, trace),
        ...(found !== undefined ? { failure: found } : {}),
        size: scheduleSize(recording.choices, result, trace),
      };
    }
    post({ type: "result", index, summary: result, events });
  } catch (error) {
    post({ type: "error", index, error: serializeError(error, "scenario") });
  } finally {
    if (traceFd !== undefined) fs.closeSync(traceFd);
  }
}

/**
 * The heartbeat: a timer every BEAT_US of virtual time. Virtual time moves only when every
 * driver thread has yielded (waits, sleeps) and the OS and device have done their work, so a
 * driver spinning without waiting stops the beats; a busy but healthy run beats thousands of
 * times a second. The timer is unref'd and does nothing observable (no trace event, no reorder).
 */
function beatOnVirtualTime(inst: DriverInstance<AnyProtocol>, tick: () => void): void {
  const beat = (): void => {
    tick();
    (inst.after(BEAT_US, beat) as { unref?: () => void }).unref?.();
  };
  (inst.after(BEAT_US, beat) as { unref?: () => void }).unref?.();
}

async function main(request: WorkerRequest): Promise<void> {
  const beat = new Int32Array(request.heartbeat);
  const tick = (): void => {
    Atomics.add(beat, Beat.steps, 1);
  };
  // The compiler at work is not the driver spinning: the watchdog does not count that time.
  const hostWork = (busy: boolean): void => {
    Atomics.store(beat, Beat.paused, busy ? 1 : 0);
    tick();
  };
  post({ type: "ready" });
  for (let index = 0; index < request.runs.length; index++) await runOne(request, index, request.runs[index]!, tick, hostWork);
}

main(workerData as WorkerRequest).catch((error: unknown) => {
  post({ type: "error", index: -1, error: serializeError(error, "worker") });
});
