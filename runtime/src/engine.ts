// What an instance needs from the thing that runs the driver: the active domain or the passive runner.
import type { Mailbox } from "./mailbox";
import type { SourceLocation } from "./trace";
import type { ThreadSnapshot } from "./types";

export interface Engine {
  readonly model: "active" | "passive";
  /** Starts the driver (the initial thread, or the passive setup). */
  start(): void;
  /** The OS hands over an incoming protocol message (the monitor has not seen it yet). */
  osSend(mb: Mailbox, payload: unknown): void;
  /** The device raised an interrupt. */
  interrupt(isr: number): void;
  /** Something runs or can run now (not counting timers). */
  busy(): boolean;
  /** Bumped on every step the driver makes: lets the instance tell slow progress from none. */
  readonly progress: number;
  /** Set while a delivery gate holds the domain. */
  readonly held: Promise<void> | null;
  /** Name of the thread or entry point that is busy, for error messages. */
  busyName(): string;
  /** No more deliveries or calls into the driver. */
  halt(): void;
  threads(): ThreadSnapshot[];
  /** Internal mailboxes (shown after the protocol ones). */
  internalMailboxes(): Mailbox[];
  /** The thread waiting on `mb`, if any. */
  waiterOf(mb: Mailbox): string | undefined;
  /** The thread a message on `mb` concerns: its waiter, its last waiter, or the first waiting thread; and where it waits. */
  whereWaits(mb: Mailbox): { thread: string; loc: SourceLocation | undefined } | undefined;
}
