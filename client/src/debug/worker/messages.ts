// The messages between the debug adapter (parent) and the worker that runs one driver run, declared
// once. Everything here is structured-cloneable (no functions, no class instances).
//
// A run is a sequence of deliveries. "Position p" means: held before delivery number p (0-based,
// counted by the runtime's delivery gate), or at the end of the run when p equals the number of
// deliveries made. Same driver, scenario and seed give the same deliveries, so a position names the
// same moment in every replay: step back is "replay to position p - 1".
import type { DeliveryKind, MailboxSnapshot, SourceLocation, ThreadSnapshot, TraceEvent, Violation } from "active-driver";

/** What the worker is started with (its `workerData`). */
export interface DebugWorkerData {
  /** Absolute path of the driver's entry file. */
  driverPath: string;
  /** A scenario name, or the path of a scenario file. */
  scenario: string;
  seed: number;
  /** Replaying a schedule: the run's decisions, in order (past the end, the default 0). */
  choices?: number[];
  /** Int32 cells shared with the parent: see `Flag`. */
  flags: SharedArrayBuffer;
  /** The watchdog's heartbeat cells (the runtime's host/watchdog.ts), shared with the parent. */
  heartbeat: SharedArrayBuffer;
  /** The memory limit (heap + external memory) the worker samples against, in MB. */
  memoryLimitMb: number;
}

/** Indices into the shared Int32 flag cells. */
export const Flag = {
  /** Non-zero: stop at the next delivery (set by the parent's pause, read synchronously at each delivery). */
  pause: 0,
  /**
   * The position of the last delivery made, plus one (0: none yet). Written at each delivery, so the
   * parent knows it even when the worker is stopped in the middle of a batch (a driver that spins).
   */
  delivered: 1,
} as const;
export const FLAG_CELLS = 2;

// ---------------------------------------------------------------------------------------------
// Breakpoints and stop rules (shared by the worker, which stops live, and the parent, which
// searches the recorded history for reverse continue)

/**
 * What a user breakpoint may carry besides its place (DAP's SourceBreakpoint/FunctionBreakpoint).
 * `condition` and the `{expr}` parts of `logMessage` are evaluated in the worker's sandbox
 * (sandbox.ts) against the message delivered or sent there.
 */
export interface BreakpointOptions {
  /** The DAP breakpoint id (problems found while evaluating are reported against it). */
  id: number;
  condition?: string;
  /** "5" (the 5th hit), "= 5", "> 5", ">= 5", "< 5", "<= 5", "% 5" (checked by hitConditions.ts). */
  hitCondition?: string;
  /** A logpoint: prints this instead of stopping. */
  logMessage?: string;
}

export interface LineBreakpoint extends BreakpointOptions {
  /** 1-based line holding a wait(...) or send(...) call (or a passive entry point). */
  line: number;
}

export interface MailboxBreakpoint extends BreakpointOptions {
  /** The mailbox name (a function breakpoint). */
  name: string;
}

export interface BreakpointSpec {
  /** Absolute file path (as `fileKey` makes it) -> breakpoints on its wait/send lines. */
  lines: Record<string, LineBreakpoint[]>;
  /** Function breakpoints: a delivery on that mailbox, or a send on an outgoing one. */
  mailboxes: MailboxBreakpoint[];
  /** Exception filters: "protocol" (protocol violations) and "error" (driver errors). */
  exceptions: ExceptionFilter[];
  /** A filter's condition (JavaScript over the fault, exceptionConditions.ts): it stops only where this holds. */
  exceptionConditions?: Partial<Record<ExceptionFilter, string>>;
}

export type ExceptionFilter = "protocol" | "error";

/** Where to stop next. Breakpoints always apply unless `breakpoints` is false. */
export interface RunUntil {
  /** Stop when this position is reached (the end of the run stops in any case). */
  position?: number;
  /** Stop at the first delivery after trace event `event` happened (go to an event of the traffic view). */
  event?: number;
  /** Reason reported when `position` is reached. */
  reason?: StopReason;
  /** Check breakpoints and exception filters on the way (false for replays). */
  breakpoints: boolean;
  /**
   * Print logpoints on the way: true when the user moves the run forward, false for the debugger's
   * own replays (step back, reverse continue, recounting), so a replay prints nothing twice.
   */
  log?: boolean;
}

export type StopReason = "entry" | "step" | "breakpoint" | "function breakpoint" | "exception" | "pause" | "goto";

/** Why a run stopped where it did. */
export interface StopHit {
  reason: StopReason;
  /** One line for the stopped event's `text`/`description`. */
  text: string;
  /** The driver thread the stop concerns (the receiver of the delivery, or the thread of the event). */
  thread?: string;
  /** The trace event that caused it (a send on a breakpoint line, a fault), when not the delivery itself. */
  event?: TraceEvent;
  /** The user breakpoint that stopped the run (DAP's hitBreakpointIds). */
  breakpointId?: number;
}

// ---------------------------------------------------------------------------------------------
// What the worker reports

/**
 * A delivery, as the gate saw it, numbered by its position in the run. For a passive driver, an
 * entry-point call (`thread` is the calling OS thread or "interrupt", `mailbox` the entry point) or
 * a run of scheduled work (kind "work", thread "worker").
 */
export interface Delivery {
  /** Position (0-based count of deliveries before this one). */
  position: number;
  /** Arrival sequence number of the message in its domain. */
  seq: number;
  thread: string;
  mailbox: string;
  /** What is delivered: a message, a thread's first run, a wake-up from sleep, scheduled work. */
  kind: DeliveryKind;
  /** A passive driver's entry-point call or scheduled work. */
  passive?: true;
  /** Who it comes from ("os", "nic", the thread that scheduled the work), when the runtime says. */
  from?: string;
  /** Payload summary. */
  payload: string;
  /** Virtual time, µs. */
  time: number;
  /** Protocol state at delivery. */
  state: string;
  /** Where the receiving thread waits; for a passive driver, the entry point's definition (or the k.schedule call). */
  loc?: SourceLocation;
  /** Trace events recorded before the gate was called for this delivery. */
  traceLength: number;
}

/** The protocol as declared, for the state-machine view and the Protocol scope. */
export interface ProtocolInfo {
  name: string;
  initial: string;
  states: Record<string, Record<string, string>>;
  directions: Record<string, "in" | "out">;
  /** Request -> the out message that answers it. */
  replies: Record<string, string>;
}

/** A plain description of an error (load error, driver failure, runner error). */
export interface ErrorInfo {
  name: string;
  message: string;
  stack?: string;
  loc?: SourceLocation;
  /** "load", "driver-error", "scenario", "worker". */
  kind: string;
}

export interface LoadedMessage {
  type: "loaded";
  /** The driver's source files, entry first. */
  files: string[];
  protocol: ProtocolInfo;
  model: "active" | "passive";
}

/** Trace events and deliveries since the last batch, in order, with what breakpoints did meanwhile. */
export interface EventsMessage {
  type: "events";
  events: TraceEvent[];
  deliveries: Delivery[];
  /** Hits of counted breakpoints (reverse continue decides from these: see history.ts). */
  hits?: HitRecord[];
  /** Logpoint lines to print. */
  logs?: LogRecord[];
}

/**
 * A counted breakpoint (one with a condition or a hit condition) was reached at `position` with its
 * condition true, for the `count`-th time since the run began. Only breakpoints the worker has had
 * since position 0 are reported, so every count is from the start of the run.
 */
export interface HitRecord {
  position: number;
  /** `countKey` of the breakpoint: its place and condition. */
  key: string;
  count: number;
}

/** A logpoint's line. `key` and `at` tell the adapter whether this line was printed before. */
export interface LogRecord {
  id: number;
  /** The logpoint: its count key and message. */
  key: string;
  position: number;
  /** The send's trace event seq, or -1 for the delivery. */
  at: number;
  /** Trace events recorded when it was printed (orders it among d.log lines). */
  traceLength: number;
  text: string;
}

/** A breakpoint's condition failed: it threw, ran out of time, or does not compile (once per breakpoint). */
export interface BreakpointProblemMessage {
  type: "breakpointProblem";
  id: number;
  /** What failed and where: `condition "m.x > 1" threw TypeError: ... on xmit #4`. */
  text: string;
  /** It ran out of time: leave it out from now on (in every worker, so replays agree). */
  disable: boolean;
}

/** Held at a delivery (the domain waits for `run`). Always preceded by the events up to here. */
export interface StoppedMessage {
  type: "stopped";
  position: number;
  delivery: Delivery;
  hit: StopHit;
  traceLength: number;
}

/** The scenario finished (or the driver failed and it gave up): held at the end position. */
export interface FinishedMessage {
  type: "finished";
  position: number;
  traceLength: number;
  /** The scenario's summary, cloned. */
  summary: Record<string, unknown>;
  failure?: ErrorInfo;
  /** Set when a breakpoint or exception filter matched events after the last delivery. */
  hit?: StopHit;
}

export interface SnapshotMessage {
  type: "snapshot";
  id: number;
  /** Absent when there is nothing to show yet (the run has not started); `error` says why. */
  snapshot?: Snapshot;
  error?: string;
}

/** The run could not start or go on: load error, unknown scenario, an error of the runner itself. */
export interface ErrorMessage {
  type: "error";
  error: ErrorInfo;
}

export type WorkerToParent =
  ReadyMessage | LoadedMessage | EventsMessage | StoppedMessage | FinishedMessage | SnapshotMessage | ErrorMessage | BreakpointProblemMessage;

/** The worker has loaded its own code: the watchdog's startup allowance ends. */
export interface ReadyMessage {
  type: "ready";
}

// ---------------------------------------------------------------------------------------------
// What the parent asks

/** Start (the first one) or resume the run until the rule stops it. */
export interface RunCommand {
  type: "run";
  until: RunUntil;
  breakpoints: BreakpointSpec;
}

/** New breakpoints for the live run (applies from the next delivery). */
export interface BreakpointsCommand {
  type: "breakpoints";
  breakpoints: BreakpointSpec;
}

export interface SnapshotCommand {
  type: "snapshot";
  id: number;
}

/** Stop the domain and end the worker. */
export interface StopCommand {
  type: "stop";
}

export type ParentToWorker = RunCommand | BreakpointsCommand | SnapshotCommand | StopCommand;

// ---------------------------------------------------------------------------------------------
// Snapshots: everything the Variables view shows at a stop

export interface ProtocolSnapshot {
  name: string;
  state: string;
  /** Incoming messages the current state's row names. */
  enabled: string[];
  /** Outgoing messages the driver may send in this state. */
  allowedSends: string[];
  /** Replies owed to the OS: `reply` answers `request`, `count` of them outstanding. */
  owedReplies: { reply: string; request: string; count: number }[];
  /** The current state's row: message -> next state. */
  transitions: Record<string, string>;
  violations: Violation[];
}

export interface Snapshot {
  position: number;
  /** Virtual time, µs. */
  time: number;
  status: string;
  /** The delivery held at this stop (absent at the end of the run). */
  delivery?: Delivery;
  threads: ThreadSnapshot[];
  mailboxes: MailboxSnapshot[];
  protocol: ProtocolSnapshot;
  /** Device name and its decoded registers and rings (device.inspect()), made plain. */
  device?: { name: string; registers: Record<string, unknown> };
  /** The last trace events (at most RECENT_EVENTS). */
  recent: TraceEvent[];
  failure?: ErrorInfo;
}

export const RECENT_EVENTS = 64;
