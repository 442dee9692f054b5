// The trace: what happened in a domain, in order. Shared by the CLI (`--trace` JSON lines),
// the debugger (stepping, replay) and the traffic webview (sequence diagram).

/** Who an event belongs to: a driver thread, the OS side (adapter), or the device. */
export type Lifeline = `thread:${string}` | "os" | "adapter" | "nic";

export type TraceKind =
  | "send" // a message was placed in a mailbox (by the OS, a driver thread or the device)
  | "deliver" // a waiting thread received a message (wait returned)
  | "wait" // a thread blocked in wait/sleep
  | "wake" // a thread became runnable (message, timer)
  | "state" // the protocol monitor moved to another protocol state
  | "device" // a register access, DMA, or device-side happening worth seeing
  | "fault" // an injected fault, a protocol violation or a driver error
  | "log"; // d.log(...)

export interface SourceLocation {
  /** Absolute path of the driver source file. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface TraceEvent {
  /** Sequence number, from 0, dense. */
  seq: number;
  /** Virtual time in microseconds. */
  time: number;
  kind: TraceKind;
  /** Where the event starts (sender for send, receiver for deliver, the thread for wait/wake). */
  from: Lifeline;
  /** Where it goes (receiver of a send, or undefined). */
  to?: Lifeline;
  /** Mailbox name, when there is one. */
  mailbox?: string;
  /** A short, bounded text summary of the payload (never the payload object itself). */
  payload?: string;
  /** Protocol state after the event (for state events and deliveries that change it). */
  state?: string;
  /** For fault events: a machine-friendly category, e.g. "unhandled", "illegal-send", "driver-error", "tx-lockup". */
  fault?: string;
  /** Human-readable detail (fault message, log text, register decode). */
  detail?: string;
  /** Where in the driver source, when known (wait/send call sites). */
  loc?: SourceLocation;
}
