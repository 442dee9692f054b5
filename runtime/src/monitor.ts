// The runtime protocol monitor: the protocol's state table as an array, one lookup per message.
// It watches the interface between OS and driver: an incoming message moves the state when it
// arrives (the OS hands it over), an outgoing one when the driver sends it.
import type { AnyProtocol } from "./types";

export class Monitor {
  state: number;
  readonly stateNames: readonly string[];
  readonly messageNames: readonly string[];
  /** [state * messages + message] -> next state, -1 when the state's row does not name the message. */
  readonly table: Int16Array;
  /** Number of messages (the table's row length). */
  readonly width: number;

  constructor(protocol: AnyProtocol) {
    this.stateNames = protocol.stateNames;
    this.messageNames = Object.keys(protocol.messages);
    const n = this.messageNames.length;
    this.width = n;
    this.table = new Int16Array(this.stateNames.length * n).fill(-1);
    this.stateNames.forEach((state, s) => {
      const row = protocol.states[state] as Record<string, string>;
      for (const [message, next] of Object.entries(row)) this.table[s * n + this.messageNames.indexOf(message)] = this.stateNames.indexOf(next);
    });
    this.state = this.stateNames.indexOf(protocol.initial);
  }

  /** The state `message` leads to from the current state, or -1 when the current state does not enable it. */
  next(message: number): number {
    return this.table[this.state * this.width + message];
  }

  enabled(message: number): boolean {
    return this.next(message) >= 0;
  }

  get stateName(): string {
    return this.stateNames[this.state];
  }

  /** Messages the current state's row names (for error messages). */
  enabledNames(): string[] {
    return this.messageNames.filter((_, i) => this.enabled(i));
  }
}
