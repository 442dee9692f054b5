// The message protocol between the extension and its webviews (traffic, machine), declared once.
// Types only: the extension panel and the browser bundles both import it, nothing runs from it.
import type { SourceLocation, TraceEvent } from "../../../runtime/src/trace";

export type { Lifeline, SourceLocation, TraceEvent } from "../../../runtime/src/trace";

/** A protocol's transitions as declared: state -> { message -> next state }. */
export type ProtocolStates = Record<string, Record<string, string>>;

/** Direction of a protocol message: "in" is OS -> driver, "out" is driver -> OS. */
export type MessageDirection = "in" | "out";

// ---- extension -> webview ----

/** Trace events to append (in seq order); `reset` first clears what the view holds. */
export interface EventsMessage {
  type: "events";
  events: TraceEvent[];
  reset?: boolean;
}

/** The debugger's position: the event it stands at (null: none) and, when known, the protocol state. */
export interface CurrentMessage {
  type: "current";
  seq: number | null;
  state?: string;
}

/** The protocol's state machine, and the state the monitor is in now. */
export interface ProtocolMessage {
  type: "protocol";
  name?: string;
  states: ProtocolStates;
  initial: string;
  current?: string;
  /** Per message name, so edges can label incoming (?msg) and outgoing (!msg) messages. */
  directions?: Record<string, MessageDirection>;
}

/** A (protocol state, message) pair: the message delivered or sent while the protocol was in that state. */
export interface StateMessage {
  state: string;
  message: string;
}

/**
 * What the last exploration of the driver reached (its report's `coverage`): the state machine view
 * lights the transitions taken and lists the enabled ones no run delivered. `transitions: []` and
 * `unreached: []` with no `driver` clears it.
 */
export interface CoverageMessage {
  type: "coverage";
  /** The driver explored, as the view names it. */
  driver?: string;
  /** Runs of the exploration. */
  runs?: number;
  transitions: (StateMessage & { count: number })[];
  unreached: StateMessage[];
}

export type HostToWebview = EventsMessage | CurrentMessage | ProtocolMessage | CoverageMessage;

// ---- webview -> extension ----

/** Sent once the view has installed its listener: the extension may now send events. */
export interface ReadyMessage {
  type: "ready";
  view: "traffic" | "machine";
}

/** Open the source line of an event (the user clicked an arrow or pressed Enter on a row). */
export interface RevealMessage {
  type: "reveal";
  loc: SourceLocation;
  seq: number;
}

/** Save the whole trace: JSON lines, or Chrome trace-event JSON (opens in Perfetto). */
export interface ExportMessage {
  type: "export";
  format: "jsonl" | "chrome";
}

export type WebviewToHost = ReadyMessage | RevealMessage | ExportMessage;
