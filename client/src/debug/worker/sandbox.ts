// Evaluates breakpoint conditions and logpoint parts in the worker, in a separate V8 context:
// - the context is handed only primitives: the facts and a copy of the message go in as one JSON
//   text (typed arrays, maps, sets, dates and bigints tagged), which code made inside the context
//   rebuilds there; results come back as a string. So the expression sees no object of this realm
//   (nothing leads back to its `process` or `require`, nothing of the driver's can be changed,
//   which replays rely on), and this side never reads a property the context could have redefined;
// - each evaluation runs under a watchdog (vm's `timeout`, microtasks included), so a condition that
//   loops ends with an error instead of hanging the run; code generation from strings is off
//   (the watchdog measures wall-clock time, and a busy machine or a GC pause can stall a worker for
//   more than a short budget: a timeout is confirmed with a longer one before the condition fails);
// - errors come back as text. vm is no security boundary: this keeps mistakes harmless, it is not
//   meant to contain hostile code (the user's own expressions, in their own debugger).
import { types } from "node:util";
import * as vm from "node:vm";
import { conditionSource, logSource, splitLogMessage } from "../breakpointOptions";

/** How long one evaluation may run, then how long the retry that confirms a timeout may. The watchdog costs ~80 µs per evaluation; only candidates pay it. */
export const EVALUATION_BUDGET_MS = 250;
export const CONFIRM_BUDGET_MS = 1000;

/** What an expression is evaluated against: the message delivered or sent, plain host data. */
export interface MessageFacts {
  name: string;
  /** The payload object (copied into the sandbox before use); undefined when the runtime did not hand it over. */
  payload: unknown;
  /** The runtime did not hand this message over (a send made while the driver was launching, before the debugger listened). */
  payloadMissing?: true;
  state: string;
  thread: string;
  from?: string;
  to?: string;
  seq: number;
  time: number;
  kind: string;
  position: number;
  summary: string;
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: string; timedOut: boolean };

/**
 * In-context helpers: `decode` rebuilds the message from its JSON text (encodeForSandbox), `show`
 * formats a logpoint value, `invoke` runs one evaluation and answers with a string: "1" or "0" for
 * a condition, "=" and the text for a logpoint, "!" and the error when the expression threw.
 */
const prelude = String.raw`(() => {
  "use strict";
  const toTag = (v) => Object.prototype.toString.call(v).slice(8, -1);
  const bytes = (hex) => { const out = new Uint8Array(hex.length >> 1); for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16); return out; };
  const decode = (v) => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(decode);
    switch (v.$) {
      case "u": return undefined;
      case "num": return Number(v.v);
      case "big": return BigInt(v.v);
      case "arr": return v.v.map(decode);
      case "map": return new Map(v.v.map(([k, x]) => [decode(k), decode(x)]));
      case "set": return new Set(v.v.map(decode));
      case "date": return new Date(v.v);
      case "buf": return bytes(v.h).buffer;
      case "view": return v.t === "DataView" || typeof globalThis[v.t] !== "function" ? new DataView(bytes(v.h).buffer) : new globalThis[v.t](bytes(v.h).buffer);
      default: { const out = {}; for (const key of Object.keys(v.v)) out[key] = decode(v.v[key]); return out; }
    }
  };
  const scope = (facts, msg) => {
    const fields = msg !== null && typeof msg === "object" && !Array.isArray(msg) && !ArrayBuffer.isView(msg);
    const m = fields ? Object.assign({}, msg) : msg === undefined ? {} : { value: msg };
    m.name = facts.name;
    return { m, msg, name: facts.name, mailbox: facts.name, state: facts.state, thread: facts.thread, from: facts.from, to: facts.to,
      seq: facts.seq, time: facts.time, kind: facts.kind, position: facts.position, summary: facts.summary };
  };
  const format = (v, depth) => {
    if (typeof v === "string") return depth === 0 ? v : JSON.stringify(v);
    if (v === null || typeof v !== "object") return typeof v === "function" ? "[function]" : typeof v === "bigint" ? v + "n" : String(v);
    if (depth > 2) return Array.isArray(v) ? "[…]" : "{…}";
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const head = Array.prototype.slice.call(v, 0, 16).join(", ");
      return toTag(v) + "(" + v.length + ") [" + head + (v.length > 16 ? ", …" : "") + "]";
    }
    if (Array.isArray(v)) return "[" + v.slice(0, 16).map((x) => format(x, depth + 1)).join(", ") + (v.length > 16 ? ", …" : "") + "]";
    const keys = Object.keys(v);
    return "{" + keys.slice(0, 16).map((k) => k + ": " + format(v[k], depth + 1)).join(", ") + (keys.length > 16 ? ", …" : "") + "}";
  };
  const describe = (e) => {
    try { return e !== null && typeof e === "object" ? String(e.name) + ": " + String(e.message) : String(e); } catch { return "a value that cannot be shown"; }
  };
  const show = (f) => {
    try { return format(f(), 0); } catch (e) { return "<" + describe(e) + ">"; }
  };
  // Runs the evaluation the input names: everything that touches the user's values happens here, under the watchdog.
  const fns = [];
  const self = { fns, show, invoke: (input) => {
    try {
      const [id, asText, facts, payload] = JSON.parse(input);
      const value = fns[id](scope(facts, decode(payload)));
      return asText ? "=" + String(value) : value ? "1" : "0";
    } catch (e) {
      return "!threw " + describe(e);
    }
  } };
  return self;
})()`;

/** Nesting and items copied from a message into the sandbox (the rest is left out). */
const MAX_DEPTH = 8;
const MAX_ITEMS = 10000;

/**
 * The message as JSON-ready data for the sandbox: own data properties only (no getter of the driver
 * runs, a proxy is left out), typed arrays and buffers as hex, other values tagged where JSON has no
 * form for them. Functions and symbols are left out.
 */
export function encodeForSandbox(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "undefined":
      return { $: "u" };
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : { $: "num", v: String(value) };
    case "bigint":
      return { $: "big", v: value.toString() };
    case "string":
    case "boolean":
      return value;
    case "function":
    case "symbol":
      return { $: "u" };
  }
  if (value === null) return null;
  if (depth > MAX_DEPTH || types.isProxy(value)) return { $: "u" };
  if (ArrayBuffer.isView(value)) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
    return { $: "view", t: Object.prototype.toString.call(value).slice(8, -1), h: bytes };
  }
  if (types.isAnyArrayBuffer(value)) return { $: "buf", h: Buffer.from(new Uint8Array(value)).toString("hex") };
  if (Array.isArray(value)) return { $: "arr", v: value.slice(0, MAX_ITEMS).map((x) => encodeForSandbox(x, depth + 1)) };
  if (types.isMap(value))
    return {
      $: "map",
      v: [...(value as Map<unknown, unknown>)].slice(0, MAX_ITEMS).map(([k, x]) => [encodeForSandbox(k, depth + 1), encodeForSandbox(x, depth + 1)]),
    };
  if (types.isSet(value)) return { $: "set", v: [...(value as Set<unknown>)].slice(0, MAX_ITEMS).map((x) => encodeForSandbox(x, depth + 1)) };
  if (types.isDate(value)) return { $: "date", v: Date.prototype.getTime.call(value) };
  if (types.isNativeError(value)) return { $: "obj", v: { name: String((value as Error).name), message: String((value as Error).message) } };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value as object).slice(0, MAX_ITEMS)) {
    const d = Object.getOwnPropertyDescriptor(value, key);
    if (d !== undefined && "value" in d) out[key] = encodeForSandbox(d.value, depth + 1);
  }
  return { $: "obj", v: out };
}

const HELPERS = "__activeDriver";
/** The global the input of one evaluation is defined on (a JSON string, defined afresh each time). */
const INPUT = "__activeDriverInput";

export class Sandbox {
  private readonly context = vm.createContext(
    {},
    { name: "Active Driver breakpoint conditions", codeGeneration: { strings: false, wasm: false }, microtaskMode: "afterEvaluate" },
  );
  /** Compiled functions by source: their index in the context's list, or the compile error. */
  private readonly compiled = new Map<string, { id: number } | { error: string }>();
  private readonly call = new vm.Script(`${HELPERS}.invoke(globalThis.${INPUT})`);

  constructor() {
    // The helpers are made inside the context; this side keeps no reference to them.
    new vm.Script(
      `Object.defineProperty(globalThis, "${HELPERS}", { value: ${prelude}, writable: false, configurable: false, enumerable: false }); undefined`,
    ).runInContext(this.context);
  }

  /** Evaluates a condition to true or false. */
  condition(expression: string, facts: () => MessageFacts): Outcome {
    return this.run(conditionSource(expression), facts, false);
  }

  /** The logpoint's line: literal text with each `{expr}` replaced by its value (or `<error>`). */
  logMessage(message: string, facts: () => MessageFacts): Outcome {
    return this.run(logSource(splitLogMessage(message), `${HELPERS}.show`), facts, true);
  }

  private run(source: string, facts: () => MessageFacts, asText: boolean): Outcome {
    const fn = this.compile(source);
    if ("error" in fn) return { ok: false, error: fn.error, timedOut: false };
    const { payload, ...plainFacts } = facts();
    let input: string;
    try {
      input = JSON.stringify([fn.id, asText, plainFacts, encodeForSandbox(payload)]);
    } catch (error) {
      return { ok: false, error: `failed: the message cannot be copied (${String(error)})`, timedOut: false };
    }
    const first = this.attempt(input, EVALUATION_BUDGET_MS);
    return first.ok || !first.timedOut ? first : this.attempt(input, CONFIRM_BUDGET_MS);
  }

  private attempt(input: string, budget: number): Outcome {
    try {
      // A data property, defined (not assigned): no setter the expression may have put there runs.
      Object.defineProperty(this.context, INPUT, { value: input, writable: true, configurable: true, enumerable: false });
      const result: unknown = this.call.runInContext(this.context, { timeout: budget });
      if (typeof result !== "string") return { ok: false, error: "failed: the sandbox's helpers were changed", timedOut: false };
      if (result.startsWith("!")) return { ok: false, error: result.slice(1), timedOut: false };
      return { ok: true, value: result.startsWith("=") ? result.slice(1) : result === "1" };
    } catch (error) {
      // The watchdog, or a context whose globals the expression made unusable.
      const own = errorFacts(error);
      const timedOut = own?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
      return { ok: false, error: timedOut ? `took longer than ${budget} ms` : `failed: ${own?.message ?? "the sandbox was changed"}`, timedOut };
    }
  }

  private compile(source: string): { id: number } | { error: string } {
    let fn = this.compiled.get(source);
    if (fn === undefined) {
      try {
        // Only makes the function, unless the text closes the wrapper and runs code of its own: watched too.
        const id: unknown = new vm.Script(`${HELPERS}.fns.push(${source}) - 1`, { filename: "breakpoint condition" }).runInContext(this.context, {
          timeout: CONFIRM_BUDGET_MS,
        });
        fn = typeof id === "number" ? { id } : { error: "does not compile: it is not an expression" };
      } catch (error) {
        const own = errorFacts(error);
        fn = { error: `does not compile: ${own !== undefined ? `${own.name}: ${own.message}` : "the text runs code that throws"}` };
      }
      this.compiled.set(source, fn);
    }
    return fn;
  }
}

/**
 * Name, message and code of an error thrown while compiling or running in the context (vm's timeout
 * is made in the context too), read from data properties only: no getter the expression may have
 * defined runs here, where no watchdog does. Undefined for anything but a plain native error.
 */
function errorFacts(error: unknown): { name: string; message: string; code: string | undefined } | undefined {
  if (!types.isNativeError(error) || types.isProxy(error)) return undefined;
  const own = (o: object, key: string): string | undefined => {
    const d = Object.getOwnPropertyDescriptor(o, key);
    return d !== undefined && "value" in d && typeof d.value === "string" ? d.value : undefined;
  };
  let name: string | undefined;
  for (
    let proto: unknown = error;
    name === undefined && proto !== null && typeof proto === "object" && !types.isProxy(proto);
    proto = Object.getPrototypeOf(proto)
  )
    name = own(proto, "name");
  return { name: name ?? "Error", message: own(error, "message") ?? "", code: own(error, "code") };
}
