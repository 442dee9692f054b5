// Calls: the protocol semantics of wait and send, sleep as an inner wait, spawn, and helper
// functions inlined with the caller's abstract states. A call the analysis cannot follow that
// receives the driver's context makes the protocol state unknown (and the analysis silent there).
import ts from "typescript";
import { isDriverCapability, mailboxKey } from "./denotation";
import { ev, evSequence, withValue, bindName } from "./evaluate";
import { runBody } from "./interpreter";
import type { Machine, Pair } from "./machine";
import { Records, type WaitArgument, type WaitRecord } from "./sites";
import { UNKNOWN, owedWith, owedWithout, type State } from "./state";
import { isAsync, isFunctionNode, memberAccess, unwrap, unwrapAwait, type FunctionNode } from "./syntax";
import type { Value } from "./values";

const MAX_INLINE_DEPTH = 12;

export function evCall(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const callee = unwrap(call.expression);
  const den = m.den.of(callee);
  switch (den) {
    case "fn:wait":
      return handleWait(m, call, states);
    case "fn:sleep":
      return handleSleep(m, call, evSequence(m, call.arguments, states));
    case "fn:send":
      return withValue(handleSend(m, call, evSequence(m, call.arguments.slice(1), states)), undefined);
    case "fn:spawn":
      handleSpawn(m, call, states);
      return withValue(states, undefined);
    default:
      break;
  }
  if (den !== undefined) return withValue(evSequence(m, call.arguments, states), undefined);
  const fn = m.den.functionOf(callee);
  if (fn && shouldInline(m, fn, call)) return inline(m, fn, call, states);
  const access = memberAccess(callee);
  let after = evSequence(m, [access ? access.object : undefined, ...call.arguments], states);
  if (m.protocol && passesCapability(m, call)) after = after.map((s) => s.withPs(UNKNOWN).withOwed(UNKNOWN));
  return withValue(after, undefined);
}

const usesDriverCache = new WeakMap<Machine, Map<ts.Node, boolean>>();

/** True when a function's body names the driver's context, mailboxes or functions. */
function usesDriver(m: Machine, fn: FunctionNode): boolean {
  let cache = usesDriverCache.get(m);
  if (!cache) usesDriverCache.set(m, (cache = new Map()));
  const known = cache.get(fn);
  if (known !== undefined) return known;
  cache.set(fn, false);
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
      const den = m.den.of(n);
      if (den !== undefined && (isDriverCapability(den) || den.startsWith("mbx:") || den === "dev")) found = true;
      else if (ts.isCallExpression(n.parent) && n.parent.expression === n) {
        const callee = m.den.functionOf(n);
        if (callee && callee !== fn && usesDriver(m, callee)) found = true;
      }
      return;
    }
    ts.forEachChild(n, walk);
  };
  if (fn.body) walk(fn.body);
  cache.set(fn, found);
  return found;
}

/** An expression through which driver code can run: a capability, or a function (or a record or
 * object built from them) that uses the driver. */
function carriesCapability(m: Machine, expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  if (isFunctionNode(e)) return usesDriver(m, e);
  if (isDriverCapability(m.den.of(e))) return true;
  if (depth > 2) return false;
  if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => (ts.isPropertyAssignment(p) ? carriesCapability(m, p.initializer, depth + 1) : isFunctionNode(p) ? usesDriver(m, p) : false));
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => carriesCapability(m, x, depth + 1));
  if (ts.isNewExpression(e)) return (e.arguments ?? []).some((x) => carriesCapability(m, x, depth + 1));
  if (ts.isIdentifier(e)) {
    const decl = m.variableOf(e);
    return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && carriesCapability(m, decl.initializer, depth + 1);
  }
  return false;
}

/** A call the analysis cannot follow that can reach driver code: through its arguments, or a receiver or callee built with the driver (`nic.open()` where `nic = new Nic(d)`, `handlers[name]()`). */
export function passesCapability(m: Machine, call: ts.CallExpression): boolean {
  if (call.arguments.some((a) => carriesCapability(m, a))) return true;
  let callee = unwrap(call.expression);
  while (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) callee = unwrap(callee.expression);
  return ts.isIdentifier(callee) && carriesCapability(m, callee);
}

function isAwaited(call: ts.CallExpression): boolean {
  let n: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n)) n = n.parent;
  return ts.isAwaitExpression(n);
}

function shouldInline(m: Machine, fn: FunctionNode, call: ts.CallExpression): boolean {
  if (m.stack.length >= MAX_INLINE_DEPTH || m.stack.some((f) => f.fn === fn)) return false;
  if (isAwaited(call) || isAsync(fn)) return true;
  for (const a of call.arguments) {
    const e = unwrap(a);
    if (isFunctionNode(e)) {
      if (usesDriver(m, e)) return true;
      continue;
    }
    const den = m.den.of(e);
    if (den !== undefined) return true;
  }
  return usesDriver(m, fn);
}

function inline(m: Machine, fn: FunctionNode, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const params = fn.parameters;
  const args = call.arguments;
  let paths: Array<{ s: State; vals: Array<Value | undefined> }> = states.map((s) => ({ s, vals: [] }));
  for (const a of args) {
    const next: typeof paths = [];
    for (const p of paths) for (const q of ev(m, a, [p.s])) next.push({ s: q.s, vals: [...p.vals, q.v] });
    paths = next;
  }
  const saved = params.map((p, i) => {
    const arg = args[i];
    return m.den.bindParameter(p, arg && !ts.isSpreadElement(arg) ? m.den.of(arg) : undefined);
  });
  const savedFunctions = params.map((p, i) => {
    const arg = args[i];
    return m.den.bindFunctionParameter(p, arg && !ts.isSpreadElement(arg) ? m.den.functionOf(arg) : undefined);
  });
  const entry = paths.map((path) => {
    let s = path.s;
    params.forEach((p, i) => {
      const v = i < args.length ? path.vals[i] : p.initializer ? m.values.of(p.initializer) : "u";
      s = bindName(m, p.name, p, [{ s, v }])[0] ?? s;
    });
    return s;
  });
  m.stack.push({ fn, call });
  let result: Pair[];
  try {
    result = runBody(m, fn, entry).values;
  } finally {
    m.stack.pop();
    params.forEach((p, i) => {
      m.den.restoreParameter(p, saved[i]);
      m.den.restoreFunctionParameter(p, savedFunctions[i]);
    });
  }
  const locals = m.tracking.functionLocals(fn);
  return result.map((p) => ({ s: p.s.drop(locals).withRet(undefined), v: p.v }));
}

function noteAnchors(m: Machine, node: ts.Node, anchors: Set<ts.CallExpression>): void {
  for (const a of m.anchorsFor(node)) anchors.add(a);
}

/** The state after the owed replies are sent (recovery past AD003). */
function recover(m: Machine, s: State): State {
  let ps = s.ps;
  if (m.usable && ps !== UNKNOWN) {
    for (const reply of s.owedList()) {
      if (ps === UNKNOWN) break;
      const next = m.protocol!.next(ps, reply);
      if (next !== undefined) ps = next ?? UNKNOWN;
    }
  }
  return s.withPs(ps).withOwed("");
}

/** Protocol messages a wait's arguments name (`p:open` -> `open`), kept per argument list. */
const protocolMessages = new WeakMap<readonly WaitArgument[], Set<string>>();

function protocolMessagesOf(args: readonly WaitArgument[]): Set<string> {
  let names = protocolMessages.get(args);
  if (names === undefined) {
    names = new Set();
    for (const a of args) if (a.key !== undefined && a.key.startsWith("p:")) names.add(a.key.slice(2));
    protocolMessages.set(args, names);
  }
  return names;
}

function noteState(m: Machine, rec: WaitRecord, s: State, args: readonly WaitArgument[], coverage: boolean): void {
  if (s.ps === UNKNOWN || !m.usable) {
    rec.stateUnknown = true;
    return;
  }
  rec.states.add(s.ps);
  if (!coverage) return;
  const enabled = m.protocol!.enabledIn(s.ps);
  const enabledSet = m.protocol!.enabledSetIn(s.ps);
  for (const e of enabled) rec.enabled.add(e);
  args.forEach((a, i) => {
    if (a.key !== undefined && a.key.startsWith("p:") && enabledSet.has(a.key.slice(2))) rec.liveArgs.add(i);
  });
  if (s.vague || rec.dynamic) return;
  let waited: Set<string> | undefined;
  for (const msg of enabled) {
    if (m.thread.others.ins.has(msg)) continue;
    waited ??= protocolMessagesOf(args);
    if (waited.has(msg)) continue;
    Records.note(rec.missing, s.ps, msg);
  }
}

function handleWait(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const rec = m.records.wait(call, m.thread.name, false);
  noteAnchors(m, call, rec.anchors);
  const protocol = m.protocol;
  const args: WaitArgument[] = call.arguments.map((a) => ({ node: a, key: ts.isSpreadElement(a) ? undefined : mailboxKey(m.den.of(a)) }));
  rec.args = args;
  if (args.length === 0 || args.some((a) => a.key === undefined || a.key === "u")) rec.dynamic = true;
  const isProtocolWait = args.some((a) => a.key !== undefined && a.key.startsWith("p:"));
  rec.protocol ||= isProtocolWait;
  for (const a of args) {
    if (a.key === undefined) continue;
    m.thread.waitsOn.add(a.key);
    if (a.key.startsWith("p:") && protocol?.isIncoming(a.key.slice(2))) m.thread.ins.add(a.key.slice(2));
  }
  const out: Pair[] = [];
  for (const s0 of states) {
    m.tick();
    for (const s of m.closure(s0)) {
      let r = s;
      if (isProtocolWait) {
        if (r.owed !== "" && r.owed !== UNKNOWN) {
          for (const reply of r.owedList()) {
            rec.owedAny.add(reply);
            if (!r.vague) Records.note(rec.owed, reply, r.ps);
          }
          r = recover(m, r).withVague(); // one mistake, one diagnostic: the recovered path stays silent
        }
        if (m.flagBitIds.length > 0) r = r.drop(m.flagBitIds);
      }
      noteState(m, rec, r, args, isProtocolWait);
      for (const a of args) {
        const key = a.key;
        if (key === undefined || key === "u") {
          out.push({ s: protocol ? r.withPs(UNKNOWN).withOwed(UNKNOWN) : r, v: undefined });
          continue;
        }
        if (!key.startsWith("p:") || !protocol) {
          out.push({ s: r, v: `r:${key}` });
          continue;
        }
        const name = key.slice(2);
        if (!protocol.isIncoming(name)) continue; // an outgoing mailbox never delivers
        let next: State;
        if (r.ps === UNKNOWN || !m.usable) next = r.withPs(UNKNOWN);
        else {
          const target = protocol.next(r.ps, name);
          if (target === undefined) continue; // not enabled here: this path cannot happen
          next = r.withPs(target ?? UNKNOWN);
        }
        const reply = protocol.messages.get(name)?.reply;
        if (reply !== undefined && protocol.isOutgoing(reply) && !m.thread.others.outs.has(reply)) next = next.withOwed(owedWith(next.owed, reply));
        out.push({ s: next, v: `r:${key}` });
      }
    }
  }
  return out;
}

function handleSleep(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const rec = m.records.wait(call, m.thread.name, true);
  noteAnchors(m, call, rec.anchors);
  const out: Pair[] = [];
  for (const s0 of states) {
    for (const s of m.closure(s0)) {
      noteState(m, rec, s, [], false);
      out.push({ s, v: "u" });
    }
  }
  return out;
}

function handleSend(m: Machine, call: ts.CallExpression, states: readonly State[]): State[] {
  const rec = m.records.send(call, m.thread.name);
  noteAnchors(m, call, rec.anchors);
  const arg = call.arguments[0];
  const key = arg && !ts.isSpreadElement(arg) ? mailboxKey(m.den.of(arg)) : undefined;
  rec.key = key;
  const protocol = m.protocol;
  // A mailbox the analysis cannot tell may be a protocol one: the protocol state becomes unknown.
  if ((key === undefined || key === "u") && protocol) return states.map((s) => s.withPs(UNKNOWN).withOwed(UNKNOWN));
  if (key === undefined || !key.startsWith("p:") || !protocol) return states as State[];
  const name = key.slice(2);
  if (!protocol.isOutgoing(name)) return states as State[];
  m.thread.outs.add(name);
  return states.map((s) => {
    if (s.ps === UNKNOWN || !m.usable) return s.withOwed(owedWithout(s.owed, name));
    rec.states.add(s.ps);
    const next = protocol.next(s.ps, name);
    if (next === undefined) {
      if (!s.vague) rec.illegal.add(s.ps);
      return s.withVague(); // recovery: as if the send had not happened, and silent from here
    }
    return s.withPs(next ?? UNKNOWN).withOwed(owedWithout(s.owed, name));
  });
}

function handleSpawn(m: Machine, call: ts.CallExpression, states: readonly State[]): void {
  const nameArg = call.arguments[0];
  const nameValue = nameArg ? m.values.of(nameArg) : undefined;
  const name = nameValue !== undefined && nameValue.startsWith("s:") ? nameValue.slice(2) : "thread";
  const fnArg = call.arguments[1];
  const fn = fnArg ? m.den.functionOf(unwrapAwait(fnArg)) : undefined;
  if (!fn) {
    m.unknownThread = true;
    return;
  }
  m.onSpawn({ call, name, fn, states: [...states] });
}
