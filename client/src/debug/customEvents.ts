// Custom DAP events from the Active Driver debug adapter to the extension, which feeds them to the
// traffic and state-machine views. Declared once here; the adapter (client/src/debug) sends them
// with `this.sendEvent(new Event(name, body))`. Bodies are the webview messages minus `type`.
import type { CurrentMessage, EventsMessage, ProtocolMessage } from "../../views/shared/messages";

export const debugEventNames = {
  /** New trace events, in seq order; `reset: true` first clears (new run, or replay after step back). */
  trace: "activeDriver.trace",
  /** The event the debugger stands at now, and the protocol state when known. */
  current: "activeDriver.current",
  /** The driver's protocol (states, initial, directions) and its current state. */
  protocol: "activeDriver.protocol",
} as const;

export type TraceEventBody = Omit<EventsMessage, "type">;
export type CurrentEventBody = Omit<CurrentMessage, "type">;
export type ProtocolEventBody = Omit<ProtocolMessage, "type">;
