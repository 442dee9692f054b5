// Reads a `defineProtocol({ name, messages, initial, states })` call into a Protocol: messages with
// direction and reply, the state table, and where each piece is written (for diagnostics and hovers).
import ts from "typescript";
import { calleeName, propertyNameText, unwrap } from "./syntax";
import { rangeOf } from "./text";
import type { ProtocolModel } from "./types";
import { defined } from "../../../runtime/src/defined";

export interface MessageSpec {
  name: string;
  direction: "in" | "out" | "unknown";
  reply?: string;
  /** The `reply: "x"` property. */
  replyNode?: ts.Node;
  payloadType?: string;
  payloadTypeNode?: ts.TypeNode;
  nameNode: ts.Node;
  node: ts.Node;
}

export interface TransitionSpec {
  message: string;
  /** Undefined when the target is not a literal. */
  target?: string;
  node: ts.Node;
}

export interface StateSpec {
  name: string;
  nameNode: ts.Node;
  node: ts.Node;
  transitions: Map<string, TransitionSpec>;
}

export class Protocol {
  name?: string;
  initial?: string;
  initialNode?: ts.Node;
  statesNode?: ts.Node;
  readonly messages = new Map<string, MessageSpec>();
  readonly states = new Map<string, StateSpec>();
  /** False when something is not literal: coverage rules stay silent. */
  complete = true;
  private readonly enabledCache = new Map<string, string[]>();
  private readonly enabledSetCache = new Map<string, ReadonlySet<string>>();
  private reachableCache?: Set<string>;
  private model?: ProtocolModel;
  /** The text of the file the model's positions were read in (not the tree: an edited file's old trees go). */
  private modelText?: string;

  constructor(
    readonly call: ts.CallExpression,
    readonly file: string,
  ) {}

  isIncoming(message: string): boolean {
    return this.messages.get(message)?.direction === "in";
  }

  isOutgoing(message: string): boolean {
    return this.messages.get(message)?.direction === "out";
  }

  /** Incoming messages the state's row names. */
  enabledIn(state: string): string[] {
    let found = this.enabledCache.get(state);
    if (found === undefined) {
      const row = this.states.get(state);
      found = row ? [...row.transitions.keys()].filter((m) => this.isIncoming(m)) : [];
      this.enabledCache.set(state, found);
    }
    return found;
  }

  /** `enabledIn` as a set. */
  enabledSetIn(state: string): ReadonlySet<string> {
    let found = this.enabledSetCache.get(state);
    if (found === undefined) this.enabledSetCache.set(state, (found = new Set(this.enabledIn(state))));
    return found;
  }

  /** The next state on `message` in `state`: undefined when not allowed, `null` when the target is not a known state. */
  next(state: string, message: string): string | null | undefined {
    const t = this.states.get(state)?.transitions.get(message);
    if (t === undefined) return undefined;
    return t.target !== undefined && this.states.has(t.target) ? t.target : null;
  }

  /** States whose row names `message`. */
  statesAllowing(message: string): string[] {
    return [...this.states.values()].filter((s) => s.transitions.has(message)).map((s) => s.name);
  }

  /** Requests whose reply is `reply`. */
  requestsOf(reply: string): string[] {
    return [...this.messages.values()].filter((m) => m.reply === reply).map((m) => m.name);
  }

  /** States reachable from the initial state. */
  reachable(): Set<string> {
    if (this.reachableCache) return this.reachableCache;
    const seen = new Set<string>();
    const todo = this.initial !== undefined && this.states.has(this.initial) ? [this.initial] : [];
    while (todo.length > 0) {
      const s = todo.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      for (const t of this.states.get(s)!.transitions.values()) if (t.target !== undefined && this.states.has(t.target)) todo.push(t.target);
    }
    this.reachableCache = seen;
    return seen;
  }

  /** True when the spec is complete enough to check a driver against it. */
  get usable(): boolean {
    return this.complete && this.initial !== undefined && this.states.has(this.initial);
  }

  /** Message names in declaration order. */
  messageNames(): string[] {
    return [...this.messages.keys()];
  }

  /**
   * The model, shared by every result that uses it (read-only). Its positions depend only on the
   * text up to the end of the call: after an edit further down the file it stays as it is.
   */
  toModel(): ProtocolModel {
    const text = this.call.getSourceFile().text;
    if (this.model === undefined || this.modelText === undefined || (this.modelText !== text && !sameTextUpTo(this.modelText, text, this.call.end))) {
      this.model = this.computeModel();
      this.modelText = text;
    }
    return this.model;
  }

  private computeModel(): ProtocolModel {
    const sf = this.call.getSourceFile();
    const reachable = this.reachable();
    return {
      ...defined({ name: this.name }),
      file: this.file,
      range: rangeOf(this.call, sf),
      messages: [...this.messages.values()].map((m) => ({
        name: m.name,
        direction: m.direction,
        ...defined({ reply: m.reply }),
        ...defined({ payloadType: m.payloadType }),
        nameRange: rangeOf(m.nameNode, sf),
        range: rangeOf(m.node, sf),
      })),
      states: [...this.states.values()].map((s) => ({
        name: s.name,
        nameRange: rangeOf(s.nameNode, sf),
        range: rangeOf(s.node, sf),
        reachable: reachable.has(s.name),
        transitions: [...s.transitions.values()].map((t) => ({ message: t.message, target: t.target ?? "", range: rangeOf(t.node, sf) })),
      })),
      ...defined({ initial: this.initial }),
      ...(this.initialNode ? { initialRange: rangeOf(this.initialNode, sf) } : {}),
      complete: this.complete,
    };
  }
}

function sameTextUpTo(a: string, b: string, end: number): boolean {
  return a.length >= end && b.length >= end && a.slice(0, end) === b.slice(0, end);
}

/**
 * Per call, across analyses: what a protocol says is read from the call's own subtree, which an
 * incrementally parsed tree reuses while the edit is elsewhere (its positions: see `toModel`).
 */
const protocolCache = new WeakMap<ts.CallExpression, Protocol>();

/** True for `defineProtocol(...)` / `ns.defineProtocol(...)`. */
export function isDefineProtocolCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && calleeName(node) === "defineProtocol";
}

function stringValue(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  const e = unwrap(expr);
  return ts.isStringLiteralLike(e) ? e.text : undefined;
}

/** Properties of an object literal with a static name; flags `complete = false` otherwise. */
function properties(obj: ts.ObjectLiteralExpression, protocol: Protocol): Array<{ name: string; prop: ts.ObjectLiteralElementLike; value?: ts.Expression }> {
  const out: Array<{ name: string; prop: ts.ObjectLiteralElementLike; value?: ts.Expression }> = [];
  for (const prop of obj.properties) {
    const name = propertyNameText(prop.name);
    if (name === undefined || ts.isSpreadAssignment(prop)) {
      protocol.complete = false;
      continue;
    }
    if (ts.isPropertyAssignment(prop)) out.push({ name, prop, value: prop.initializer });
    else if (ts.isShorthandPropertyAssignment(prop)) out.push({ name, prop, value: prop.name });
    else {
      protocol.complete = false;
      out.push({ name, prop });
    }
  }
  return out;
}

function readMessage(name: string, prop: ts.ObjectLiteralElementLike, value: ts.Expression | undefined, protocol: Protocol): MessageSpec {
  const spec: MessageSpec = { name, direction: "unknown", nameNode: prop.name ?? prop, node: prop };
  const call = value ? unwrap(value) : undefined;
  if (!call || !ts.isCallExpression(call) || !ts.isPropertyAccessExpression(call.expression)) {
    protocol.complete = false;
    return spec;
  }
  const kind = call.expression.name.text;
  if (kind === "in" || kind === "out") spec.direction = kind;
  else protocol.complete = false;
  const typeArg = call.typeArguments?.[0];
  if (typeArg) {
    spec.payloadType = typeArg.getText();
    spec.payloadTypeNode = typeArg;
  }
  const opts = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (opts && ts.isObjectLiteralExpression(opts)) {
    for (const p of properties(opts, protocol)) {
      if (p.name !== "reply") continue;
      const reply = stringValue(p.value);
      if (reply === undefined) protocol.complete = false;
      else {
        spec.reply = reply;
        spec.replyNode = p.prop;
      }
    }
  }
  return spec;
}

/** Reads a `defineProtocol(...)` call (cached per node). Never throws on partial code. */
export function readProtocol(call: ts.CallExpression): Protocol {
  const cached = protocolCache.get(call);
  if (cached) return cached;
  const sf = call.getSourceFile();
  const protocol = new Protocol(call, sf.fileName);
  protocolCache.set(call, protocol);
  const arg = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (!arg || !ts.isObjectLiteralExpression(arg)) {
    protocol.complete = false;
    return protocol;
  }
  for (const { name, prop, value } of properties(arg, protocol)) {
    const obj = value ? unwrap(value) : undefined;
    if (name === "name") protocol.name = stringValue(value);
    else if (name === "initial") {
      protocol.initial = stringValue(value);
      protocol.initialNode = prop;
      if (protocol.initial === undefined) protocol.complete = false;
    } else if (name === "messages") {
      if (!obj || !ts.isObjectLiteralExpression(obj)) protocol.complete = false;
      else for (const m of properties(obj, protocol)) protocol.messages.set(m.name, readMessage(m.name, m.prop, m.value, protocol));
    } else if (name === "states") {
      protocol.statesNode = prop;
      if (!obj || !ts.isObjectLiteralExpression(obj)) protocol.complete = false;
      else for (const s of properties(obj, protocol)) protocol.states.set(s.name, readState(s.name, s.prop, s.value, protocol));
    }
  }
  return protocol;
}

function readState(name: string, prop: ts.ObjectLiteralElementLike, value: ts.Expression | undefined, protocol: Protocol): StateSpec {
  const state: StateSpec = { name, nameNode: prop.name ?? prop, node: prop, transitions: new Map() };
  const row = value ? unwrap(value) : undefined;
  if (!row || !ts.isObjectLiteralExpression(row)) {
    protocol.complete = false;
    return state;
  }
  for (const t of properties(row, protocol)) {
    const target = stringValue(t.value);
    if (target === undefined) protocol.complete = false;
    state.transitions.set(t.name, { message: t.name, ...defined({ target }), node: t.prop });
  }
  return state;
}
