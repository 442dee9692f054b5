// The messages between a driver worker and the thread that started it, declared once: the run
// command, explore and the tests use this channel. Everything here is structured-cloneable (no
// functions, no class instances).
import type { OutputTarget } from "./outputs";
import type { RunSummary as ScenarioSummary } from "../nic/run";
import type { SourceLocation, TraceEvent } from "../trace";
import type { SerializedError } from "./errors";
import type { ChoiceKind } from "../explore/chooser";
import type { CoverageReport } from "../explore/coverage";
import type { ScheduleFailure, ScheduleSize } from "../explore/schedule";
import type { ChoiceSpec } from "../explore/spec";

/** One run of the driver: a scenario and a seed. */
export interface RunSpec {
  /** A scenario name known to the NIC, a path to a scenario .json file, or a scenario object. */
  scenario: string | Record<string, unknown>;
  seed: number;
  /** Write the run's trace here as JSON lines (written by the worker itself). */
  tracePath?: string;
  /** Write the wire capture (both directions) to this .pcap file. */
  pcapPath?: string;
  /**
   * The files the outputs above will finally replace (they are written to temporary files first):
   * a run whose driver loads one of them is refused before it starts (an `output-clash` error).
   */
  outputTargets?: OutputTarget[];
  /** Where the run's decisions come from (default: the seeded chooser of `seed`). */
  schedule?: ChoiceSpec;
  /** Record the run's choices, its coverage and its failure in the summary's `exploration`. */
  explore?: boolean;
  /**
   * An exploring run traces source locations only where threads wait (coverage of wait sites and the
   * findings need no more, and a stack capture per send and register access is most of a run's
   * cost); this one traces them everywhere, as a failure's report wants (a protocol violation's send).
   */
  allLocations?: boolean;
}

/** What an exploring run reports besides its summary. */
export interface RunExploration {
  /** The decisions of the run, in order: the option taken, how many there were, what about. */
  choices: number[];
  options: number[];
  kinds: ChoiceKind[];
  coverage: CoverageReport;
  failure?: ScheduleFailure;
  size: ScheduleSize;
}

/** What the worker is asked to do (its `workerData`): runs of one driver, one after the other. */
export interface WorkerRequest {
  /** Absolute path of the driver's entry file. Each run loads it afresh (module state does not leak between runs). */
  driverPath: string;
  runs: RunSpec[];
  /** Stream trace events to the parent in `trace` messages. */
  streamTrace?: boolean;
  /** Heartbeat cells shared with the parent's watchdog (watchdog.ts: `Beat`). */
  heartbeat: SharedArrayBuffer;
  /** The memory limit the worker samples heap + external memory against, in MB. */
  memoryLimitMb: number;
  /** Where exploring runs keep their decisions as they make them (choiceLog.ts). */
  choiceLog?: SharedArrayBuffer;
}

export { Beat, HEARTBEAT_CELLS } from "./watchdog";

/** The worker loaded its own code: the watchdog starts now. */
export interface ReadyMessage {
  type: "ready";
}

/** Run `index` starts; the driver's files are loaded. */
export interface LoadedMessage {
  type: "loaded";
  index: number;
  files: string[];
}

/** A batch of trace events of run `index`, in seq order (only with `streamTrace`). */
export interface TraceMessage {
  type: "trace";
  index: number;
  events: TraceEvent[];
}

/** Progress now and then: virtual time (us) and events so far in run `index`. */
export interface ProgressMessage {
  type: "progress";
  index: number;
  time: number;
  events: number;
}

/** Run `index` finished (the driver may still have failed inside it: see the summary). */
export interface ResultMessage {
  type: "result";
  index: number;
  summary: RunSummary;
  /** Trace events the run produced. */
  events: number;
}

/** Run `index` could not finish: the driver did not load, or the scenario runner itself threw. */
export interface ErrorMessage {
  type: "error";
  index: number;
  error: SerializedError;
}

export type WorkerToParent = ReadyMessage | LoadedMessage | TraceMessage | ProgressMessage | ResultMessage | ErrorMessage;

/**
 * The scenario's summary as it crosses the thread boundary: the NIC's summary without the
 * trace and capture (not cloned), plus the driver files and where the driver failed.
 */
export type RunSummary = Omit<ScenarioSummary, "trace" | "pcap"> & {
  /** The driver's source files, entry first. */
  files: string[];
  /** Where in the driver's sources it failed, when it did and the location is known. */
  failureLoc?: SourceLocation;
  /** With `explore` in the run's spec. */
  exploration?: RunExploration;
};
