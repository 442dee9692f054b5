// Public types of Driver API v1: protocols, mailboxes, the driver context `d`, passive drivers,
// and the launched instance. Runtime classes implement these structurally; the payload type of a
// message or mailbox lives only at the type level (a phantom property that never exists at runtime).
import type { DeviceClass, DeviceModel, DmaRegion, TimerHandle } from "./device";
import type { SourceLocation, TraceEvent } from "./trace";
import type { ChoiceKind, Chooser } from "./explore/chooser";

/** Phantom key carrying a payload type; no object ever has this property. */
export declare const payloadType: unique symbol;

// ---------------------------------------------------------------------------------------------
// Protocols

/** `msg.in<T>(opts?)`: an OS-to-driver message. `R` is the name of the reply message, `never` for a notification. */
export interface InMessage<T = void, R extends string = never> {
  readonly direction: "in";
  /** The out message that answers this request; absent for a notification. */
  readonly reply?: R;
  readonly [payloadType]?: T;
}

/** `msg.out<T>()`: a driver-to-OS message. */
export interface OutMessage<T = void> {
  readonly direction: "out";
  readonly [payloadType]?: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type MessageSpec = InMessage<any, string> | OutMessage<any>;
/**
 * The constraint of `messages`. It names no payload on purpose: as the contextual type of
 * `msg.in<T>()` it must not feed an inference for T (that would turn payloads into `any`).
 */
export type MessageMap = Record<string, { readonly direction: "in" | "out" }>;

/** The table `state -> { message -> next state }`. */
export type StateTable<M extends MessageMap, S extends string> = {
  readonly [K in S]: { readonly [N in keyof M & string]?: S };
};

/** What `defineProtocol` takes. */
export interface ProtocolSpec<M extends MessageMap, S extends string> {
  readonly name: string;
  readonly messages: M;
  readonly initial: NoInfer<S>;
  readonly states: StateTable<M, S>;
}

/** A protocol, as `defineProtocol` returns it (the spec plus derived lists). */
export interface Protocol<M extends MessageMap = MessageMap, S extends string = string> extends ProtocolSpec<M, S> {
  readonly initial: S;
  /** Incoming message names, in declaration order. */
  readonly incoming: readonly (keyof M & string)[];
  /** Outgoing message names, in declaration order. */
  readonly outgoing: readonly (keyof M & string)[];
  /** State names, in declaration order. */
  readonly stateNames: readonly S[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, string>;

export type MessagesOf<P> = P extends Protocol<infer M, string> ? M : never;
export type StatesOf<P> = P extends Protocol<MessageMap, infer S> ? S : never;
/** The payload type a message spec carries. */
export type PayloadOf<S> = S extends { readonly [payloadType]?: infer T } ? T : never;
export type IncomingNames<P> = { [K in keyof MessagesOf<P> & string]: MessagesOf<P>[K] extends InMessage<unknown, string> ? K : never }[keyof MessagesOf<P> &
  string];
export type OutgoingNames<P> = { [K in keyof MessagesOf<P> & string]: MessagesOf<P>[K] extends OutMessage<unknown> ? K : never }[keyof MessagesOf<P> & string];
/** Payload of the reply to request `K`; the union of all outgoing payloads when the reply name is not known to the type system. */
export type ReplyPayloadOf<P, K extends string> =
  MessagesOf<P>[K] extends InMessage<unknown, infer R>
    ? R extends keyof MessagesOf<P>
      ? PayloadOf<MessagesOf<P>[R]>
      : PayloadOf<MessagesOf<P>[OutgoingNames<P>]>
    : never;
/** True when message `K` of `P` is a request (it names a reply). */
export type IsRequest<P, K extends string> = MessagesOf<P>[K] extends InMessage<unknown, infer R> ? ([R] extends [never] ? false : true) : false;

/** Arguments for a payload: optional when the payload type is `void`/`undefined`. */
export type PayloadArgs<T> = [T] extends [void] ? [payload?: T] : [payload: T];

// ---------------------------------------------------------------------------------------------
// Mailboxes

/** OS (or device) to driver: wait on it. */
export interface IncomingMailbox<T = unknown, N extends string = string> {
  readonly name: N;
  readonly direction: "in";
  readonly [payloadType]?: T;
}
/** Driver to OS: send on it. */
export interface OutgoingMailbox<T = unknown, N extends string = string> {
  readonly name: N;
  readonly direction: "out";
  readonly [payloadType]?: T;
}
/** Between threads of one domain (`d.mailbox<T>(name)`): wait and send. */
export interface InternalMailbox<T = unknown, N extends string = string> {
  readonly name: N;
  readonly direction: "internal";
  readonly [payloadType]?: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type WaitableMailbox = IncomingMailbox<any, string> | InternalMailbox<any, string>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SendableMailbox = OutgoingMailbox<any, string> | InternalMailbox<any, string>;
export type AnyMailbox = WaitableMailbox | SendableMailbox;

/** What `wait` resolves to for one mailbox; a union over the waited mailboxes, discriminated by `name`. */
export type WaitResult<B> = B extends { readonly name: infer N; readonly [payloadType]?: infer T }
  ? { readonly mb: B; readonly name: N; readonly msg: T }
  : never;

/** `d.mb`: one mailbox per protocol message (incoming ones to wait on, outgoing ones to send on). */
export type ProtocolMailboxes<P> = {
  readonly [K in keyof MessagesOf<P> & string]: MessagesOf<P>[K] extends InMessage<infer T, string>
    ? IncomingMailbox<T, K>
    : MessagesOf<P>[K] extends OutMessage<infer T>
      ? OutgoingMailbox<T, K>
      : never;
};

/** An interrupt message on `d.dev.irq`. */
export interface IrqMessage {
  readonly isr: number;
}

/** Register access and DMA through the bus adapter. */
export interface BusHandle {
  read8(reg: number): number;
  read16(reg: number): number;
  read32(reg: number): number;
  write8(reg: number, value: number): void;
  write16(reg: number, value: number): void;
  write32(reg: number, value: number): void;
  /** Allocates `bytes` of DMA memory the device can reach. */
  dma(bytes: number): DmaRegion;
}

/** `d.dev`: the bus handle plus the interrupt mailbox. */
export interface DeviceHandle extends BusHandle {
  readonly irq: IncomingMailbox<IrqMessage, "irq">;
}

// ---------------------------------------------------------------------------------------------
// Active drivers

/** `d`: what an active driver's threads use. Every member also works destructured. */
export interface DriverContext<P extends AnyProtocol = AnyProtocol> {
  /** One mailbox per protocol message, by name. */
  readonly mb: ProtocolMailboxes<P>;
  /** Blocks the calling thread until one of the mailboxes holds a message; resolves to the earliest-arrived one. */
  wait<const B extends readonly [WaitableMailbox, ...WaitableMailbox[]]>(...mailboxes: B): Promise<WaitResult<B[number]>>;
  /** Places a message in a mailbox; never blocks. */
  send<B extends SendableMailbox>(mailbox: B, ...payload: PayloadArgs<PayloadOf<B>>): void;
  /** An internal mailbox for messages between the domain's threads. */
  mailbox<T = void, N extends string = string>(name: N): InternalMailbox<T, N>;
  /** Starts another cooperative thread; it first runs when the current thread waits. */
  spawn(name: string, fn: (d: DriverContext<P>) => Promise<void> | void): void;
  /** Virtual time; an inner wait (the thread yields). */
  sleep(ms: number): Promise<void>;
  /** The device: registers, DMA and `irq`. An inert device (reads 0) when the driver has none. */
  readonly dev: DeviceHandle;
  /** Adds a `log` event to the trace. */
  log(...args: unknown[]): void;
}

/** Where a driver definition comes from: `device` is the simulated device class to attach. */
export interface DriverConfig<P extends AnyProtocol> {
  readonly protocol: P;
  readonly device?: DeviceClass;
}

export interface DriverDefinition<P extends AnyProtocol = AnyProtocol> extends DriverConfig<P> {
  readonly kind: "active";
  readonly main: (d: DriverContext<P>) => Promise<void> | void;
}

// ---------------------------------------------------------------------------------------------
// Passive drivers

/** What a passive driver's entry points get: the bus, deferred work, locks. */
export interface PassiveKernel<P extends AnyProtocol = AnyProtocol> {
  /** Register access and DMA (interrupts arrive through the `irq` entry point). */
  readonly dev: BusHandle;
  /** Defers `fn` to a worker thread; it runs later on the virtual clock. */
  schedule(fn: () => void | Promise<void>): void;
  /** Acquires the named lock (FIFO among waiters). */
  lock(name: string): Promise<void>;
  /** Releases the named lock; the next waiter acquires it. */
  unlock(name: string): void;
  /** Sleeps in virtual time (an OS thread may block; interrupt context must not). */
  sleep(ms: number): Promise<void>;
  /** Sends an outgoing protocol message that is not a reply (replies are the entry point's return value). */
  send<K extends OutgoingNames<P>>(name: K, ...payload: PayloadArgs<PayloadOf<MessagesOf<P>[K]>>): void;
  log(...args: unknown[]): void;
}

/** One method per incoming message (requests return the reply payload) plus `irq`. */
export type PassiveEntryPoints<P extends AnyProtocol = AnyProtocol> = {
  [K in IncomingNames<P>]: (
    payload: PayloadOf<MessagesOf<P>[K]>,
  ) => IsRequest<P, K> extends true ? ReplyPayloadOf<P, K> | Promise<ReplyPayloadOf<P, K>> : void | Promise<void>;
} & {
  /** Called in interrupt context for each device interrupt. */
  irq?: (msg: IrqMessage) => void | Promise<void>;
};

export interface PassiveDriverDefinition<P extends AnyProtocol = AnyProtocol> extends DriverConfig<P> {
  readonly kind: "passive";
  readonly setup: (k: PassiveKernel<P>) => PassiveEntryPoints<P>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDriverDefinition = DriverDefinition<any> | PassiveDriverDefinition<any>;
export type ProtocolOfDriver<D> = D extends { readonly protocol: infer P extends AnyProtocol } ? P : never;

// ---------------------------------------------------------------------------------------------
// Launching

/** `inst.os`: the device-class adapter. Requests resolve with the reply payload; notifications return at once. */
export type OsInterface<P> = {
  readonly [K in IncomingNames<P>]: IsRequest<P, K> extends true
    ? (...payload: PayloadArgs<PayloadOf<MessagesOf<P>[K]>>) => Promise<ReplyPayloadOf<P, K>>
    : (...payload: PayloadArgs<PayloadOf<MessagesOf<P>[K]>>) => void;
};

export interface TraceOptions {
  /**
   * Record the driver's source location of wait/send/register calls (exact, costs a stack capture per
   * call). Default true. `"waits"`: only where threads wait, sleep or block (what wait-site coverage
   * and findings need), at a fraction of the cost; sends, register accesses and logs go without.
   */
  readonly locations?: boolean | "waits";
  /** Record register reads and writes as `device` events. Default true. */
  readonly registers?: boolean;
  /** Longest payload summary, in characters. Default 80. */
  readonly payloadChars?: number;
}

/**
 * What a gated delivery hands over: a message (to a waiting thread, or a passive driver's entry
 * point called by an OS thread or in interrupt context), a thread's first run, a thread's wake-up
 * from sleep, or work a passive driver deferred with `k.schedule`.
 */
export type DeliveryKind = "message" | "start" | "wake" | "work";

/** A delivery about to happen, as the stepping gate sees it. */
export interface DeliveryEvent {
  /** The thread that receives the message (passive drivers: the calling OS thread, "interrupt" or "worker"). */
  readonly thread: string;
  /** The mailbox (passive drivers: the entry point called; "work" for scheduled work). */
  readonly mailbox: string;
  readonly payload: string;
  /**
   * The message itself (its payload object, not a copy: read it, do not change it), for a debugger's
   * breakpoint conditions; undefined for a thread's start, a sleep's end and scheduled work.
   */
  readonly message?: unknown;
  /** Arrival sequence number of the message in its domain. */
  readonly seq: number;
  /** Virtual time, µs. */
  readonly time: number;
  /** Protocol state at delivery. */
  readonly state: string;
  /**
   * Where the receiving thread waits (always captured when a gate is set). Passive drivers: where
   * `k.schedule` was called, for scheduled work; absent for entry points (the runtime cannot see them).
   */
  readonly loc?: SourceLocation;
  /** What is delivered. Absent from an engine that does not say: a "message", unless the mailbox is "start" (no loc) or "sleep" (no payload). */
  readonly kind?: DeliveryKind;
  /** Who it comes from: "os", "nic", or the driver thread that sent it or scheduled the work, when the engine says. */
  readonly from?: string;
}

/**
 * Called before each delivery; a returned promise holds the domain there until it settles. For a
 * passive driver, before each entry-point call (OS thread or interrupt context) and each run of
 * scheduled work.
 */
export type DeliveryGate = (event: DeliveryEvent) => void | Promise<void>;

export interface LaunchOptions {
  /** Seed of the run's random sources (device and workload). Default 1. */
  readonly seed?: number;
  /**
   * Where the run's nondeterministic decisions come from (OS workload, device, which ready thread
   * resumes). Default: the seeded chooser of `seed` (threads in arrival order).
   */
  readonly chooser?: Chooser;
  /** A device model instance to attach instead of `new definition.device()`. */
  readonly device?: DeviceModel;
  /** Tracing: on by default; `false` records nothing (fastest). */
  readonly trace?: boolean | TraceOptions;
  /** Stepping hook for debuggers, called before each delivery (passive drivers: each entry-point call and scheduled work); zero cost when absent. */
  readonly gate?: DeliveryGate;
  /** Driver API calls (send, register access, log, ...) a thread may make without waiting. Default 1e6. */
  readonly stepBudget?: number;
  /** Messages one mailbox may hold queued before the driver is stopped (grows without bound). Default 2^24. */
  readonly maxQueued?: number;
  /** Timer events one `idle()`/`advance()`/`runUntil()` may run before it gives up with an error. Default 1e6. */
  readonly maxTimerEvents?: number;
  /** Event-loop turns a thread may stay busy outside wait/sleep (awaiting something foreign) before the instance faults. Default 10000. */
  readonly maxBusyTurns?: number;
  /**
   * Called at each step of the driver's progress: a wait, a sleep, a delivery (passive drivers: an
   * entry-point call, its end, a block or a wake). A host's watchdog counts these to tell a busy
   * driver from one that spins without waiting.
   */
  readonly onProgress?: () => void;
}

export type ViolationKind =
  /** An incoming message arrived in a state whose row does not name it. */
  | "unhandled"
  /** The driver sent an outgoing message the current state's row does not name. */
  | "illegal-send"
  /** At quiescence an enabled incoming message sits queued and no thread waits on its mailbox. */
  | "unwaited";

/** A protocol violation found by the runtime monitor. */
export interface Violation {
  readonly kind: ViolationKind;
  /** The protocol message. */
  readonly message: string;
  /** The protocol state it happened in. */
  readonly state: string;
  /** Virtual time, µs. */
  readonly time: number;
  /** The driver thread involved (the sender, or the thread waiting when the message arrived). */
  readonly thread?: string;
  /** The driver's source location: the send call, or where the driver waited. */
  readonly loc?: SourceLocation;
  /** One line: what, where, in which state. */
  readonly detail: string;
}

export type InstanceStatus = "running" | "faulted" | "stopped";
export type ThreadStatus = "runnable" | "running" | "waiting" | "sleeping" | "ended" | "failed";

export interface ThreadSnapshot {
  readonly name: string;
  readonly status: ThreadStatus;
  /** Mailboxes it waits on (empty unless waiting). */
  readonly waitingOn: readonly string[];
  /** Where it waits, when known (tracing with locations, or a gate). */
  readonly loc?: SourceLocation;
  /** Virtual time it wakes, when sleeping. */
  readonly wakeAt?: number;
}

export interface MailboxSnapshot {
  readonly name: string;
  readonly direction: "in" | "out" | "internal";
  /** Messages queued (for outgoing mailboxes: requests still owed a reply through this mailbox). */
  readonly length: number;
  /** Summaries of the first queued payloads (at most 16). */
  readonly queued: readonly string[];
  /** The thread waiting on it, if any. */
  readonly waiter?: string;
  /** Messages placed in it so far. */
  readonly sent: number;
  /** Messages taken from it by `wait` (incoming/internal) so far. */
  readonly delivered: number;
}

/** A virtual-clock timer. */
export interface Timer extends TimerHandle {
  /** Lets `idle()` finish while this timer is pending (for periodic timers). */
  unref(): void;
}

/** A launched driver: its domain, the OS-side adapter, the device and the virtual clock. */
export interface DriverInstance<P extends AnyProtocol = AnyProtocol> {
  /** The device-class adapter: one function per incoming message. */
  readonly os: OsInterface<P>;
  readonly protocol: P;
  /** "active" or "passive". */
  readonly model: "active" | "passive";
  /** The attached device model (the inert one when the driver has none). */
  readonly device: DeviceModel;
  /** Trace events so far (empty when tracing is off). The same array grows as the run goes on. */
  readonly trace: readonly TraceEvent[];
  /**
   * Current state of the runtime protocol monitor. It watches the OS/driver interface: an incoming
   * message moves it when it arrives (the `inst.os` call), an outgoing one when the driver sends it.
   */
  readonly protocolState: StatesOf<P>;
  readonly violations: readonly Violation[];
  /** The error that stopped the driver, if it failed. */
  readonly failure: Error | undefined;
  readonly status: InstanceStatus;
  /** Virtual time, µs. */
  now(): number;
  /** Runs `fn` after `delayUs` of virtual time (for OS workloads and scenarios). */
  after(delayUs: number, fn: () => void): Timer;
  /** Deterministic random float in [0, 1) for the OS workload (a stream separate from the device's): a "gap" decision of the chooser. */
  random(): number;
  /** One decision of the run's chooser: an integer in [0, options), 0 the natural choice. */
  choose(kind: ChoiceKind, options: number, label?: (index: number) => string): number;
  /** Handles queued messages and due timers until nothing is runnable and no timer is pending (unref'd timers aside). Rejects with the failure if the driver failed. */
  idle(): Promise<void>;
  /** Moves virtual time forward by `us`, running the timers due on the way, each followed by the work it causes. */
  advance(us: number): Promise<void>;
  /** Runs timers in order until `until` (a virtual time in µs, or a condition checked after each step) holds. */
  runUntil(until: number | (() => boolean)): Promise<void>;
  /** Stops the domain and the device; requests still owed a reply reject. Resolves once stopped. */
  stop(): Promise<void>;
  /** Live trace events (needs tracing on). Returns a disposer. */
  /**
   * Calls `listener` with each trace event as it is recorded; for an event that carries a payload
   * (send, deliver) `message` is the payload itself (not a copy), valid to read during the call.
   */
  onEvent(listener: (event: TraceEvent, message?: unknown) => void): () => void;
  /** Outgoing messages that are not replies to a pending call (for example received frames). Returns a disposer. */
  on<K extends OutgoingNames<P>>(name: K, listener: (payload: PayloadOf<MessagesOf<P>[K]>) => void): () => void;
  mailboxes(): MailboxSnapshot[];
  threads(): ThreadSnapshot[];
}
