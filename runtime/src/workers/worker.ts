// The driver worker: loads a driver from its TypeScript sources and runs it through scenarios on
// the simulated NIC, off the thread that started it (the CLI, the extension host, a test). It
// beats the shared heartbeat at each step of the driver's progress (waits, sleeps, deliveries) and
// as virtual time moves, so the parent's watchdog can stop a driver that spins without waiting; it
// writes trace files itself and posts one summary per run.
import * as fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import type { TraceEvent } from "../trace";
import type { AnyProtocol, DriverInstance } from "../types";
import { runScenario } from "../nic/index";
import { RecordingChooser } from "../explore/chooser";
import { ChoiceLogWriter } from "./choiceLog";
import { coverageOfRun } from "../explore/coverage";
import { failureOf, scheduleSize } from "../explore/failure";
import { chooserFor } from "../explore/spec";
import { DriverLoadError, serializeError } from "./errors";
import { loadDriver } from "./loader";
import type { RunSpec, RunSummary, WorkerRequest, WorkerToParent } from "./messages";
import { outputClash } from "./outputs";
import { beatOnVirtualTime, workerHeartbeat } from "./watchdog";
import { defined } from "../defined";

/** Trace events per `trace` message, per write to the trace file, and per progress message. */
const BATCH = 1024;

function post(message: WorkerToParent): void {
  parentPort?.postMessage(message);
}

async function runOne(request: WorkerRequest, index: number, spec: RunSpec, tick: () => void, hostWork: (busy: boolean) => void): Promise<void> {
  choiceLog?.clear();
  let loaded;
  try {
    loaded = loadDriver(request.driverPath, { onFile: tick, onTranspile: hostWork });
  } catch (error) {
    post({ type: "error", index, error: serializeError(error, error instanceof DriverLoadError ? "load" : "driver-error") });
    return;
  }
  post({ type: "loaded", index, files: loaded.files });
  const clash = spec.outputTargets !== undefined ? outputClash(spec.outputTargets, loaded.files) : undefined;
  if (clash !== undefined) {
    post({ type: "error", index, error: { name: "OutputClashError", kind: "output-clash", message: clash } });
    return;
  }

  let traceFd: number | undefined;
  try {
    if (spec.tracePath !== undefined) traceFd = fs.openSync(spec.tracePath, "w");
  } catch (error) {
    post({
      type: "error",
      index,
      error: serializeError(new Error(`cannot write the trace file ${spec.tracePath}: ${(error as Error).message}`), "trace-file"),
    });
    return;
  }
  // Listening costs a call per trace event: only when someone reads the events.
  const listen = traceFd !== undefined || request.streamTrace === true;
  let lines: string[] = [];
  let batch: TraceEvent[] = [];
  let events = 0;
  let instance: DriverInstance<AnyProtocol> | undefined;
  /** The trace file could not be written (a full disk...): the run goes on, and ends as an output failure, not the driver's. */
  let traceError: Error | undefined;
  const flush = (): void => {
    if (traceFd !== undefined && lines.length > 0) {
      try {
        fs.writeSync(traceFd, lines.join(""));
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        traceError = new Error(
          `cannot write the trace file ${spec.tracePath}: ${code !== undefined ? `${code} (${(error as Error).message})` : String(error)}`,
        );
        fs.closeSync(traceFd);
        traceFd = undefined;
      }
      lines = [];
    }
    if (batch.length > 0) {
      post({ type: "trace", index, events: batch });
      batch = [];
    }
    // No beat here: trace events come from a spinning driver too (d.log), so writing them is no sign of progress.
    post({ type: "progress", index, time: instance?.now() ?? 0, events });
  };
  const onEvent = (event: TraceEvent): void => {
    events++;
    if (traceFd !== undefined) lines.push(JSON.stringify(event) + "\n");
    if (request.streamTrace === true) batch.push(event);
    if (events % BATCH === 0) flush();
  };

  const recording =
    spec.explore === true
      ? new RecordingChooser(chooserFor(spec.schedule ?? { strategy: "seeded", seed: spec.seed }), choiceLog && ((c) => choiceLog.push(c)))
      : undefined;
  const chooser = recording ?? (spec.schedule !== undefined ? chooserFor(spec.schedule) : undefined);
  try {
    const summary = await runScenario(loaded.exports as never, spec.scenario as never, {
      seed: spec.seed,
      ...defined({ chooser }),
      trace: spec.explore === true && spec.allLocations !== true && !listen ? { locations: "waits" } : true,
      launch: { onProgress: tick },
      onRunEnd: () => hostWork(true),
      ...defined({ pcap: spec.pcapPath }),
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
    if (traceError !== undefined) {
      post({ type: "error", index, error: serializeError(traceError, "output") });
      return;
    }
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
        ...defined({ failure: found }),
        size: scheduleSize(recording.choices, result, trace),
      };
    }
    post({ type: "result", index, summary: result, events });
  } catch (error) {
    post({ type: "error", index, error: serializeError(error, (error as Error | undefined)?.name === "OutputError" ? "output" : "scenario") });
  } finally {
    hostWork(false);
    if (traceFd !== undefined) fs.closeSync(traceFd);
  }
}

const choiceLog = (workerData as WorkerRequest).choiceLog && new ChoiceLogWriter((workerData as WorkerRequest).choiceLog!);

async function main(request: WorkerRequest): Promise<void> {
  const { tick, hostWork } = workerHeartbeat(request.heartbeat, request.memoryLimitMb);
  post({ type: "ready" });
  for (let index = 0; index < request.runs.length; index++) await runOne(request, index, request.runs[index]!, tick, hostWork);
}

main(workerData as WorkerRequest).catch((error: unknown) => {
  post({ type: "error", index: -1, error: serializeError(error, "worker") });
});
