// A mailbox: a FIFO of payloads with the domain-wide arrival number of each message, so a wait on
// several mailboxes takes the smallest head number (global arrival order) without a shared queue.
// The FIFO is a ring of two parallel arrays: no allocation per message once it has grown.
import type { Thread } from "./thread";

export type Direction = "in" | "out" | "internal";

/** A pending OS request that this (outgoing) mailbox answers. */
export interface PendingCall {
  readonly request: string;
  readonly since: number;
  readonly promise: Promise<unknown>;
  resolve(payload: unknown): void;
  reject(error: Error): void;
}

export class Mailbox {
  private payloads: unknown[];
  private seqs: Float64Array;
  /** Trace payload references of queued messages (tracing on), so a delivery reuses the send's summary. */
  private refs: Float64Array | null;
  private mask: number;
  private head = 0;
  size = 0;
  /** The blocked thread waiting on this mailbox. */
  waiter: Thread | null = null;
  /** The thread that waited on it last (where an arriving message will most likely go). */
  lastWaiter: Thread | null = null;
  sent = 0;
  delivered = 0;
  /** Trace id of the name (0 when tracing is off). */
  traceId = 0;
  /** Outgoing mailboxes: OS calls waiting for this reply, oldest first (a ring). */
  private calls: (PendingCall | undefined)[] = [undefined, undefined, undefined, undefined];
  private callHead = 0;
  private callCount = 0;

  constructor(
    readonly name: string,
    readonly direction: Direction,
    /** The domain (or passive runner) it belongs to. */
    readonly owner: object,
    /** Index of the protocol message, -1 for irq, internal and private mailboxes. */
    readonly message: number,
    /** Start and sleep mailboxes of a thread: not shown, not traced as messages. */
    readonly hidden = false,
    capacity = 8,
    traced = false,
  ) {
    this.payloads = new Array<unknown>(capacity);
    this.seqs = new Float64Array(capacity);
    this.refs = traced ? new Float64Array(capacity) : null;
    this.mask = capacity - 1;
  }

  /** Arrival number of the oldest message, Infinity when empty. */
  headSeq(): number {
    return this.size === 0 ? Infinity : this.seqs[this.head];
  }

  push(payload: unknown, seq: number, ref = -1): void {
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size) & this.mask;
    this.payloads[i] = payload;
    this.seqs[i] = seq;
    if (this.refs !== null) this.refs[i] = ref;
    this.size++;
  }

  /** Trace payload reference of the oldest message (-1 without tracing). */
  headRef(): number {
    return this.refs === null ? -1 : this.refs[this.head];
  }

  take(): unknown {
    const i = this.head;
    const payload = this.payloads[i];
    this.payloads[i] = undefined;
    this.head = (i + 1) & this.mask;
    this.size--;
    this.delivered++;
    return payload;
  }

  /** The first `n` queued payloads, oldest first (for snapshots). */
  peek(n: number): unknown[] {
    const out: unknown[] = [];
    for (let k = 0; k < this.size && k < n; k++) out.push(this.payloads[(this.head + k) & this.mask]);
    return out;
  }

  clear(): void {
    this.payloads.fill(undefined);
    this.size = 0;
    this.head = 0;
  }

  pendingCount(): number {
    return this.callCount;
  }

  pushPending(call: PendingCall): void {
    const calls = this.calls;
    if (this.callCount === calls.length) {
      this.calls = this.pendingList(calls.length);
      this.calls.length = calls.length * 2;
      this.callHead = 0;
    }
    this.calls[(this.callHead + this.callCount++) % this.calls.length] = call;
  }

  shiftPending(): PendingCall | undefined {
    if (this.callCount === 0) return undefined;
    const call = this.calls[this.callHead];
    this.calls[this.callHead] = undefined;
    this.callHead = (this.callHead + 1) % this.calls.length;
    this.callCount--;
    return call;
  }

  /** The call queued last. */
  lastPending(): PendingCall | undefined {
    return this.callCount === 0 ? undefined : this.calls[(this.callHead + this.callCount - 1) % this.calls.length];
  }

  /** The first `n` pending calls, oldest first. */
  pendingList(n: number): PendingCall[] {
    const out: PendingCall[] = [];
    for (let k = 0; k < this.callCount && k < n; k++) out.push(this.calls[(this.callHead + k) % this.calls.length]!);
    return out;
  }

  /** Takes a particular call out of the queue (passive drivers answer calls out of order). */
  removePending(call: PendingCall): void {
    const all = this.pendingList(this.callCount);
    const i = all.indexOf(call);
    if (i < 0) return;
    all.splice(i, 1);
    this.callCount = all.length;
    this.callHead = 0;
    all.length = Math.max(4, all.length * 2);
    this.calls = all;
  }

  private grow(): void {
    const capacity = (this.mask + 1) * 2;
    // Full ring: unwrap it (head..end, then 0..head) into arrays twice as long.
    const head = this.head;
    const payloads = this.payloads.slice(head).concat(this.payloads.slice(0, head));
    payloads.length = capacity;
    this.payloads = payloads;
    this.seqs = unwrap(this.seqs, head, capacity);
    if (this.refs !== null) this.refs = unwrap(this.refs, head, capacity);
    this.mask = capacity - 1;
    this.head = 0;
  }
}

function unwrap(ring: Float64Array, head: number, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(ring.subarray(head));
  out.set(ring.subarray(0, head), ring.length - head);
  return out;
}
