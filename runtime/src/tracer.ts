// The trace, stored compactly: one slot per event in typed arrays, names interned, payload
// summaries written as UTF-16 code units into one growing buffer (no string per message).
// TraceEvent objects are built only when read (inst.trace) or listened to (onEvent).
import type { VirtualClock } from "./clock";
import type { SourceLocation, TraceEvent, TraceKind } from "./trace";

/** Event kinds as numbers (plain constants: cheap to import in every module). */
export const SEND = 0;
export const DELIVER = 1;
export const WAIT = 2;
export const WAKE = 3;
export const STATE = 4;
export const DEVICE = 5;
export const FAULT = 6;
export const LOG = 7;
/** The same, as one object: modules copy them into local constants (an import is a getter call under CommonJS bundling). */
export const codes = { SEND, DELIVER, WAIT, WAKE, STATE, DEVICE, FAULT, LOG, NONE: 0, NO_PAYLOAD: -1 } as const;
const kindNames: readonly TraceKind[] = ["send", "deliver", "wait", "wake", "state", "device", "fault", "log"];

/** Name id 0 means "absent". */
export const NONE = 0;
/** A payload reference meaning "no payload". */
export const NO_PAYLOAD = -1;

interface Extra {
  fault?: string;
  detail?: string;
}

export class Tracer {
  count = 0;
  private capacity = 1024;
  private kinds = new Uint8Array(this.capacity);
  private times = new Float64Array(this.capacity);
  private froms = new Uint16Array(this.capacity);
  private tos = new Uint16Array(this.capacity);
  private mailboxes = new Uint16Array(this.capacity);
  private states = new Uint16Array(this.capacity);
  private locIds = new Uint32Array(this.capacity);
  /** Payload reference: offset * 65536 + length in `chars`, or NO_PAYLOAD. */
  private payloads = new Float64Array(this.capacity);
  private chars = new Uint16Array(1 << 16);
  private used = 0;
  private limit = 0;
  private extras = new Map<number, Extra>();
  private names: string[] = [""];
  private nameIds = new Map<string, number>();
  private locs: (SourceLocation | undefined)[] = [undefined];
  private locIdsByKey = new Map<string, number>();
  private locIdsByObject = new Map<SourceLocation, number>();
  private events: TraceEvent[] = [];
  private listeners: ((event: TraceEvent, message?: unknown) => void)[] = [];
  /**
   * The value summary() last described and its reference, while listeners exist: the event that
   * records that reference hands listeners the value itself (a debugger's breakpoint conditions).
   */
  private summarised: unknown = undefined;
  private summarisedRef = NO_PAYLOAD;

  constructor(
    private readonly clock: VirtualClock,
    readonly payloadChars: number,
    readonly locations: boolean,
    readonly registers: boolean,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  /** Id of a name (lifeline, mailbox, state); 0 is reserved for "absent". */
  id(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.names.length;
      if (id > 0xffff) throw new RangeError("trace: more than 65535 distinct names");
      this.names.push(name);
      this.nameIds.set(name, id);
    }
    return id;
  }

  emit(
    kind: number,
    from: number,
    to: number,
    mailbox: number,
    payload: number,
    state: number,
    loc: SourceLocation | undefined,
    fault?: string,
    detail?: string,
  ): void {
    const i = this.count;
    if (i === this.capacity) this.grow();
    this.kinds[i] = kind;
    this.times[i] = this.clock.now;
    this.froms[i] = from;
    this.tos[i] = to;
    this.mailboxes[i] = mailbox;
    this.states[i] = state;
    this.payloads[i] = payload;
    this.locIds[i] = loc === undefined ? 0 : this.locId(loc);
    if (fault !== undefined || detail !== undefined) this.extras.set(i, fault === undefined ? { detail } : { fault, detail });
    this.count = i + 1;
    if (this.listeners.length > 0) this.notify();
  }

  // ------------------------------------------------------------------ payload summaries

  /** Writes a bounded summary of `value`; returns its reference (NO_PAYLOAD for undefined). */
  summary(value: unknown): number {
    if (value === undefined) return NO_PAYLOAD;
    const ref = this.describeValue(value);
    if (this.listeners.length > 0) {
      this.summarised = value;
      this.summarisedRef = ref;
    }
    return ref;
  }

  private describeValue(value: unknown): number {
    if (this.used + this.payloadChars + 1 > this.chars.length) this.growChars();
    const start = this.used;
    this.limit = start + this.payloadChars;
    this.describe(value, 0);
    if (this.used > this.limit) {
      this.used = this.limit - 1;
      this.chars[this.used++] = 0x2026; // …
    }
    return start * 65536 + (this.used - start);
  }

  /** Stores a ready-made text as a payload summary. */
  text(value: string | undefined): number {
    if (value === undefined) return NO_PAYLOAD;
    if (this.used + this.payloadChars + 1 > this.chars.length) this.growChars();
    const start = this.used;
    this.limit = start + this.payloadChars;
    this.put(value);
    if (this.used > this.limit) {
      this.used = this.limit - 1;
      this.chars[this.used++] = 0x2026;
    }
    return start * 65536 + (this.used - start);
  }

  /** The text of a payload reference. */
  payloadText(ref: number): string | undefined {
    if (ref < 0) return undefined;
    const start = Math.floor(ref / 65536);
    return String.fromCharCode.apply(null, this.chars.subarray(start, start + (ref % 65536)) as unknown as number[]);
  }

  private put(s: string): void {
    const chars = this.chars;
    let u = this.used;
    const end = Math.min(s.length, this.limit + 1 - u);
    for (let k = 0; k < end; k++) chars[u++] = s.charCodeAt(k);
    this.used = u;
  }

  private putChar(c: number): void {
    if (this.used <= this.limit) this.chars[this.used++] = c;
  }

  private putInt(n: number): void {
    if (n < 0) {
      this.putChar(45);
      n = -n;
    }
    if (n < 10) {
      this.putChar(48 + n);
      return;
    }
    const digits = Math.floor(Math.log10(n)) + 1;
    if (this.used + digits > this.limit + 1) {
      this.put(String(n));
      return;
    }
    let u = this.used + digits;
    this.used = u;
    do {
      this.chars[--u] = 48 + (n % 10);
      n = Math.floor(n / 10);
    } while (n > 0);
  }

  private describe(value: unknown, depth: number): void {
    if (this.used > this.limit) return;
    switch (typeof value) {
      case "number":
        if (Number.isSafeInteger(value)) this.putInt(value);
        else this.put(String(value));
        return;
      case "boolean":
      case "bigint":
      case "undefined":
        this.put(String(value));
        return;
      case "string":
        this.put(JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value));
        return;
      case "function":
        this.put("function");
        return;
      case "symbol":
        this.put(value.toString());
        return;
    }
    if (value === null) {
      this.put("null");
      return;
    }
    if (ArrayBuffer.isView(value)) {
      this.put(value instanceof Uint8Array ? "Uint8Array" : value.constructor.name);
      this.putChar(40);
      this.putInt((value as Uint8Array).length ?? value.byteLength);
      this.putChar(41);
      return;
    }
    if (value instanceof ArrayBuffer) {
      this.put(`ArrayBuffer(${value.byteLength})`);
      return;
    }
    if (Array.isArray(value)) {
      if (depth > 0) {
        this.put(`[${value.length}]`);
        return;
      }
      this.putChar(91);
      for (let i = 0; i < value.length && i < 8; i++) {
        if (i > 0) this.putChar(44);
        this.describe(value[i], depth + 1);
      }
      if (value.length > 8) this.put(",…");
      this.putChar(93);
      return;
    }
    if (depth > 1) {
      this.put("{…}");
      return;
    }
    this.putChar(123);
    let n = 0;
    for (const key in value as Record<string, unknown>) {
      if (n === 8 || this.used > this.limit) {
        this.put(",…");
        break;
      }
      if (n++ > 0) this.putChar(44);
      this.put(key);
      this.putChar(58);
      this.describe((value as Record<string, unknown>)[key], depth + 1);
    }
    this.putChar(125);
  }

  // ------------------------------------------------------------------ reading

  /** All events so far; the returned array is extended in place on each call. */
  all(): TraceEvent[] {
    const events = this.events;
    for (let i = events.length; i < this.count; i++) events.push(this.at(i));
    return events;
  }

  listen(listener: (event: TraceEvent, message?: unknown) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private notify(): void {
    const events = this.all();
    const event = events[events.length - 1];
    const ref = this.payloads[this.count - 1];
    const message = ref !== NO_PAYLOAD && ref === this.summarisedRef ? this.summarised : undefined;
    this.summarised = undefined; // not kept alive past its event
    this.summarisedRef = NO_PAYLOAD;
    for (const listener of this.listeners.slice()) {
      try {
        listener(event, message);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  private at(i: number): TraceEvent {
    const event: { -readonly [K in keyof TraceEvent]: TraceEvent[K] } = {
      seq: i,
      time: this.times[i],
      kind: kindNames[this.kinds[i]],
      from: this.names[this.froms[i]] as TraceEvent["from"],
    };
    if (this.tos[i] !== NONE) event.to = this.names[this.tos[i]] as TraceEvent["from"];
    if (this.mailboxes[i] !== NONE) event.mailbox = this.names[this.mailboxes[i]];
    const payload = this.payloadText(this.payloads[i]);
    if (payload !== undefined) event.payload = payload;
    if (this.states[i] !== NONE) event.state = this.names[this.states[i]];
    const extra = this.extras.get(i);
    if (extra?.fault !== undefined) event.fault = extra.fault;
    if (extra?.detail !== undefined) event.detail = extra.detail;
    const loc = this.locs[this.locIds[i]];
    if (loc !== undefined) event.loc = loc;
    return event;
  }

  private locId(loc: SourceLocation): number {
    // By identity first: the runtime hands out one object per call site (where.ts caches them).
    let id = this.locIdsByObject.get(loc);
    if (id !== undefined) return id;
    const key = `${loc.file}:${loc.line}:${loc.column}`;
    id = this.locIdsByKey.get(key);
    if (id === undefined) {
      id = this.locs.length;
      this.locs.push(loc);
      this.locIdsByKey.set(key, id);
    }
    this.locIdsByObject.set(loc, id);
    return id;
  }

  private grow(): void {
    const capacity = this.capacity * 2;
    this.kinds = copy(new Uint8Array(capacity), this.kinds);
    this.times = copy(new Float64Array(capacity), this.times);
    this.froms = copy(new Uint16Array(capacity), this.froms);
    this.tos = copy(new Uint16Array(capacity), this.tos);
    this.mailboxes = copy(new Uint16Array(capacity), this.mailboxes);
    this.states = copy(new Uint16Array(capacity), this.states);
    this.locIds = copy(new Uint32Array(capacity), this.locIds);
    this.payloads = copy(new Float64Array(capacity), this.payloads);
    this.capacity = capacity;
  }

  private growChars(): void {
    this.chars = copy(new Uint16Array(this.chars.length * 2), this.chars);
  }
}

function copy<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(into: T, from: T): T {
  (into as Uint8Array).set(from as Uint8Array);
  return into;
}
