// Evaluates breakpoint conditions and logpoint parts in the worker, in a separate V8 context:
// - the expression sees a copy of the message made inside that context (never the driver's own
//   objects, so it cannot change the run, which replays rely on, and no object leads back to this
//   realm's `process` or `require`);
// - each evaluation runs under a watchdog (vm's `timeout`, microtasks included), so a condition that
//   loops ends with an error instead of hanging the run; code generation from strings is off
//   (the watchdog measures wall-clock time, and a busy machine or a GC pause can stall a worker for
//   more than a short budget: a timeout is confirmed with a longer one before the condition fails);
// - errors come back as text. vm is no security boundary: this keeps mistakes harmless, it is not
//   meant to contain hostile code (the user's own expressions, in their own debugger).
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
 * In-context helpers: `scope` copies the host payload into this context (own data properties only:
 * no getter of the driver runs; typed arrays and buffers are copied, never shared), `show` formats a
 * logpoint value, `invoke` runs one evaluation. Depth and size are bounded.
 */
const prelude = String.raw`(() => {
  "use strict";
  const MAX_DEPTH = 8, MAX_ITEMS = 10000, toTag = (v) => Object.prototype.toString.call(v).slice(8, -1);
  const copy = (v, depth) => {
    if (v === null || typeof v !== "object") return typeof v === "function" ? undefined : v;
    if (depth > MAX_DEPTH) return undefined;
    const tag = toTag(v);
    if (ArrayBuffer.isView(v)) {
      const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
      return typeof globalThis[tag] === "function" && tag !== "DataView" ? new globalThis[tag](v) : new DataView(bytes.buffer);
    }
    if (tag === "ArrayBuffer" || tag === "SharedArrayBuffer") return new Uint8Array(v).slice().buffer;
    if (Array.isArray(v)) { const out = []; for (let i = 0; i < v.length && i < MAX_ITEMS; i++) out.push(copy(v[i], depth + 1)); return out; }
    if (tag === "Map") { const out = new Map(); for (const [k, x] of v) { if (out.size >= MAX_ITEMS) break; out.set(copy(k, depth + 1), copy(x, depth + 1)); } return out; }
    if (tag === "Set") { const out = new Set(); for (const x of v) { if (out.size >= MAX_ITEMS) break; out.add(copy(x, depth + 1)); } return out; }
    if (tag === "Date") return new Date(Date.prototype.getTime.call(v));
    if (tag === "Error") return { name: String(v.name), message: String(v.message) };
    const out = {};
    for (const key of Object.keys(v).slice(0, MAX_ITEMS)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d !== undefined && "value" in d) out[key] = copy(d.value, depth + 1);
    }
    return out;
  };
  const scope = (facts, payload) => {
    const msg = copy(payload, 0);
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
  // Runs the pending evaluation: everything that touches the user's values happens here, under the watchdog.
  const self = { pending: undefined, show, invoke: () => {
    const { fn, facts, payload, asText } = self.pending;
    self.pending = undefined;
    try {
      const value = fn(scope(facts, payload));
      return { ok: true, value: asText ? String(value) : Boolean(value) };
    } catch (e) {
      return { ok: false, error: "threw " + describe(e) };
    }
  } };
  return self;
})()`;

interface Helpers {
  pending: { fn: unknown; facts: MessageFacts; payload: unknown; asText: boolean } | undefined;
}

const HELPERS = "__activeDriver";

export class Sandbox {
  private readonly context = vm.createContext({}, { name: "Active Driver breakpoint conditions", codeGeneration: { strings: false, wasm: false }, microtaskMode: "afterEvaluate" });
  private readonly helpers: Helpers;
  /** Compiled functions by source (a function in the context, or the compile error). */
  private readonly compiled = new Map<string, { fn: unknown } | { error: string }>();
  private readonly call = new vm.Script(`${HELPERS}.invoke()`);

  constructor() {
    this.helpers = vm.runInContext(prelude, this.context) as Helpers;
    Object.defineProperty(this.context, HELPERS, { value: this.helpers, writable: false, configurable: false, enumerable: false });
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
    const f = facts();
    const first = this.attempt(fn.fn, f, asText, EVALUATION_BUDGET_MS);
    return first.ok || !first.timedOut ? first : this.attempt(fn.fn, f, asText, CONFIRM_BUDGET_MS);
  }

  private attempt(fn: unknown, facts: MessageFacts, asText: boolean, budget: number): Outcome {
    this.helpers.pending = { fn, facts, payload: facts.payload, asText };
    try {
      const result = this.call.runInContext(this.context, { timeout: budget }) as { ok: boolean; value?: unknown; error?: unknown };
      return result.ok ? { ok: true, value: result.value } : { ok: false, error: String(result.error), timedOut: false };
    } catch (error) {
      // Only the watchdog gets here: invoke() catches what the expression throws.
      const timedOut = (error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
      return { ok: false, error: timedOut ? `took longer than ${budget} ms` : `failed: ${String(error)}`, timedOut };
    } finally {
      this.helpers.pending = undefined;
    }
  }

  private compile(source: string): { fn: unknown } | { error: string } {
    let fn = this.compiled.get(source);
    if (fn === undefined) {
      try {
        // Only makes the function, unless the text closes the wrapper and runs code of its own: watched too.
        fn = { fn: new vm.Script(source, { filename: "breakpoint condition" }).runInContext(this.context, { timeout: CONFIRM_BUDGET_MS }) };
      } catch (error) {
        fn = { error: `does not compile: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
      }
      this.compiled.set(source, fn);
    }
    return fn;
  }
}
