// One debugged driver run, in a worker thread: loads the driver with the host's TypeScript loader,
// runs the scenario with the seed, and holds the domain at deliveries through the runtime's gate as
// the adapter asks (messages.ts). The driver never runs on the adapter's thread. It beats the
// watchdog's heartbeat as `run`'s worker does (the runtime's host/watchdog.ts); time held at a stop,
// spent on breakpoint conditions or before the run starts is not the driver's.
import { parentPort, workerData } from "node:worker_threads";
import type { AnyDriverDefinition, DriverInstance } from "active-driver";
import { resolveScenario, runScenario } from "active-driver/nic";
import { replayChooser } from "active-driver/explore";
import { beatOnVirtualTime, loadDriver, workerHeartbeat } from "active-driver/host";
import { entryPointLocation } from "../breakpointLines";
import { RECENT_EVENTS, type DebugWorkerData, type ParentToWorker, type ProtocolInfo, type WorkerToParent } from "./messages";
import { toPlain } from "./plain";
import { errorInfo, protocolInfo, takeSnapshot } from "./snapshot";
import { Stepper } from "./stepper";

const port = parentPort;
if (port === null) throw new Error("debugWorker: must run in a worker thread (started by the Active Driver debug adapter)");
const data = workerData as DebugWorkerData;
const post = (message: WorkerToParent): void => port.postMessage(message);
const heartbeat = workerHeartbeat(data.heartbeat, data.memoryLimitMb);
const stepper = new Stepper(post, new Int32Array(data.flags), heartbeat.hostWork);

let instance: DriverInstance | undefined;
let driver: AnyDriverDefinition | undefined;
let protocol: ProtocolInfo | undefined;
/** The driver's files, entry first: where a passive driver's entry points are looked for. */
let driverFiles: string[] = [];
let started = false;
let stopping = false;

function load(): void {
  let files: string[];
  try {
    const loaded = loadDriver(data.driverPath, { onFile: heartbeat.tick, onTranspile: heartbeat.hostWork });
    files = loaded.files;
    driverFiles = loaded.files;
    driver = loaded.driver as AnyDriverDefinition;
    protocol = protocolInfo(driver.protocol);
  } catch (error) {
    post({ type: "error", error: errorInfo(error, "load") });
    return;
  }
  try {
    // An unknown scenario fails the launch, as a driver that does not load does.
    resolveScenario(data.scenario);
  } catch (error) {
    post({ type: "error", error: errorInfo(error, "scenario") });
    return;
  }
  post({ type: "loaded", files, protocol, model: driver.kind });
  heartbeat.hostWork(true); // idle until the adapter says run
}

async function run(): Promise<void> {
  try {
    const summary = await runScenario(driver!, data.scenario, {
      seed: data.seed,
      // A schedule's choices make every replay of it (step back too) the same run.
      ...(data.choices !== undefined ? { chooser: replayChooser(data.choices) } : {}),
      trace: true,
      gate: stepper.gate,
      launch: { onProgress: heartbeat.tick },
      onRunEnd: () => heartbeat.hostWork(true),
      onLaunch: (inst) => {
        instance = inst;
        beatOnVirtualTime(inst, heartbeat.tick);
        // A passive driver's entry points are found in its source: the runtime only sees functions.
        stepper.attach(inst, (entry) => {
          for (const file of driverFiles) {
            const loc = entryPointLocation(file, entry);
            if (loc !== undefined) return loc;
          }
          return undefined;
        });
      },
    });
    if (stopping) return;
    const failure = instance?.failure !== undefined ? errorInfo(instance.failure, "driver-error") : undefined;
    stepper.finish(toPlain(summary) as Record<string, unknown>, failure);
  } catch (error) {
    heartbeat.hostWork(true);
    if (stopping) return;
    stepper.flush();
    post({ type: "error", error: errorInfo(error, "scenario") });
  }
}

async function stop(): Promise<void> {
  stopping = true;
  try {
    await instance?.stop();
  } finally {
    port!.close();
    process.exit(0);
  }
}

port.on("message", (command: ParentToWorker) => {
  switch (command.type) {
    case "run":
      if (!started) {
        started = true;
        heartbeat.hostWork(false);
        stepper.resume(command.until, command.breakpoints);
        void run();
      } else if (stepper.finished) {
        if (stepper.lastFinished !== undefined) post(stepper.lastFinished);
      } else stepper.resume(command.until, command.breakpoints);
      break;
    case "breakpoints":
      stepper.setBreakpoints(command.breakpoints);
      break;
    case "snapshot":
      if (instance !== undefined && protocol !== undefined) {
        const position = stepper.held?.position ?? stepper.currentPosition;
        post({
          type: "snapshot",
          id: command.id,
          snapshot: takeSnapshot(instance, protocol, position, stepper.held, stepper.recent().slice(-RECENT_EVENTS), stepper.lastWaits),
        });
      } else {
        post({ type: "snapshot", id: command.id, error: "the run has not started yet" });
      }
      break;
    case "stop":
      void stop();
      break;
  }
});

post({ type: "ready" });
load();
