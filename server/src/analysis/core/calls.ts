// Calls: the driver's own functions (effects.ts), and the code the driver calls: helper functions,
// methods of objects it made with `new` or wrote as literals, handler tables indexed by a message
// name (`handlers[r.name](r)`: the entry for each name a path holds), constructors, and any of these
// through `.call`/`.apply` (an array literal of arguments) or made by `.bind`. A target that can be
// told is run with the caller's abstract states; a call the analysis cannot follow that can reach
// driver code makes the protocol state unknown (and the analysis silent there).
import ts from "typescript";
import { passesCapability, usesDriver } from "../capability";
import { handleSend, handleSleep, handleSpawn, handleWait } from "./effects";
import { bindName, ev, evSequence, evStates, withValue } from "./evaluate";
import { driverApi, isObjectLiteral } from "../denotation";
import { isInstance, type CallTarget } from "../instances";
import { runBody } from "./interpreter";
import type { Machine, Pair } from "../machine";
import { UNKNOWN, type State } from "../state";
import { isAsync, isFunctionNode, memberAccess, unwrap, type CallSite } from "../syntax";
import { stringValue, UNDEFINED, type Value } from "../values";
import { defined } from "../../../../runtime/src/defined";

const MAX_INLINE_DEPTH = 12;

export function evCall(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const callee = unwrap(call.expression);
  const den = m.den.of(callee);
  switch (den) {
    case driverApi.wait:
      return handleWait(m, call, states);
    case driverApi.sleep:
      return handleSleep(m, call, evSequence(m, call.arguments, states));
    case driverApi.send:
      return withValue(handleSend(m, call, evSequence(m, call.arguments.slice(1), states)), undefined);
    case driverApi.spawn:
      handleSpawn(m, call, states);
      return withValue(states, undefined);
    default:
      break;
  }
  if (den !== undefined) return withValue(evSequence(m, call.arguments, states), undefined);
  const viaCallOrApply = callOrApply(m, call, callee, states);
  if (viaCallOrApply) return viaCallOrApply;
  // `f.bind(...)` of a function the analysis knows runs nothing: the call of what it makes does.
  const bindOf = memberAccess(callee);
  if (bindOf?.name === "bind" && m.den.callTarget(bindOf.object) !== undefined)
    return withValue(evSequence(m, [bindOf.object, ...call.arguments], states), undefined);
  const target = m.den.callTarget(callee);
  if (target) {
    // The receiver first (`new Driver(d).run()` makes the object, and sets its fields, here).
    const access = memberAccess(callee);
    return follow(m, target, call, access ? evStates(m, access.object, states) : states);
  }
  if (ts.isElementAccessExpression(callee)) {
    const dispatched = dispatch(m, call, callee, states);
    if (dispatched) return dispatched;
  }
  return opaque(m, call, states);
}

/**
 * `f.call(self, a, b)` and `f.apply(self, [a, b])`: a call of `f` with those arguments (and `self` as
 * `this` when `f` is a method). `apply` with anything but an array literal is left to opaque().
 */
function callOrApply(m: Machine, call: ts.CallExpression, callee: ts.Expression, states: readonly State[]): Pair[] | undefined {
  const target = m.den.calledThrough(callee);
  const access = memberAccess(callee);
  if (target === undefined || access === undefined) return undefined;
  const [selfArg, ...rest] = call.arguments;
  let args: readonly ts.Expression[] = rest;
  if (access.name === "apply") {
    const list = rest[0] === undefined ? undefined : unwrap(rest[0]);
    if (list !== undefined && !(ts.isArrayLiteralExpression(list) && !list.elements.some(ts.isSpreadElement))) return undefined;
    args = list === undefined ? [] : list.elements;
  }
  if (selfArg !== undefined && ts.isSpreadElement(selfArg)) return undefined;
  // `this` is the first argument for a method, unless `.bind` fixed it already.
  const rebinds = target.owner !== undefined && target.bound === undefined;
  const self = rebinds && selfArg !== undefined ? m.den.of(selfArg) : undefined;
  const called: CallTarget = rebinds ? { fn: target.fn, owner: target.owner, ...defined({ self }) } : target;
  // The function's own expression (`obj.method` in `obj.method.call(x)`), then `self`, then the call.
  const before = evSequence(m, selfArg === undefined ? [access.object] : [access.object, selfArg], states);
  return follow(m, called, call, before, args);
}

/** `new C(...)`: the object's tracked fields start as the class writes them, then its constructor runs. */
export function evNew(m: Machine, e: ts.NewExpression, states: readonly State[]): Pair[] {
  const den = m.den.of(e);
  if (!isInstance(den)) return withValue(evSequence(m, e.arguments ?? [], states), undefined);
  const start = m.initialFields(den);
  const fresh = (s: State): State => start.reduce((t, [id, v]) => t.set(id, v), s);
  const ctor = m.den.instances.constructorTarget(den);
  if (ctor && shouldInline(m, ctor, e)) return inline(m, ctor, e, states.map(fresh)).map((p) => ({ s: p.s, v: undefined }));
  let after = evSequence(m, e.arguments ?? [], states).map(fresh);
  if (ctor && blocked(m, ctor) && usesDriver(m, ctor)) {
    const fields = m.tracking.fieldsOf(den);
    after = after.map((s) => (m.protocol ? s.withPs(UNKNOWN).withOwed(UNKNOWN) : s).drop(fields));
  }
  return withValue(after, undefined);
}

/** Runs a call's target (its receiver already evaluated), or (nested too deep, recursive, or touching nothing) treats it as opaque. */
function follow(m: Machine, target: CallTarget, call: ts.CallExpression, states: readonly State[], own: readonly ts.Expression[] = call.arguments): Pair[] {
  const args = target.bound !== undefined ? [...target.bound, ...own] : own;
  if (shouldInline(m, target, call, args)) return inline(m, target, call, states, args);
  // A known target that is not blocked and not followed touches neither the driver nor a tracked
  // field itself: only what the arguments carry can reach driver code.
  const pairs = opaque(m, call, states, false, true);
  if (!blocked(m, target) || !usesDriver(m, target)) return pairs;
  // Not followed although it can wait, send or change a tracked field: all of it becomes unknown.
  const fields = target.self !== undefined ? m.tracking.fieldsOf(target.self) : [];
  return pairs.map((p) => ({ s: (m.protocol ? p.s.withPs(UNKNOWN).withOwed(UNKNOWN) : p.s).drop(fields), v: undefined }));
}

/**
 * A call the analysis cannot follow: its receiver and arguments are evaluated; when it can reach
 * driver code the protocol state becomes unknown, and the tracked fields of objects handed to it
 * (as receiver or argument) are forgotten.
 */
function opaque(m: Machine, call: ts.CallExpression, states: readonly State[], unknownTarget = true, receiverDone = false): Pair[] {
  const access = memberAccess(unwrap(call.expression));
  let after = evSequence(m, [access && !receiverDone ? access.object : undefined, ...call.arguments], states);
  if (m.protocol && passesCapability(m, call, unknownTarget)) after = after.map((s) => s.withPs(UNKNOWN).withOwed(UNKNOWN));
  if (unknownTarget && m.den.instances.count > 0) {
    const handed = [access ? access.object : undefined, ...call.arguments].flatMap((x) => (x === undefined ? [] : m.tracking.fieldsOf(m.den.of(x))));
    if (handed.length > 0) after = after.map((s) => s.drop(handed));
  }
  return withValue(after, undefined);
}

/**
 * `table[key](...)` where the table is an object literal (or object) whose members nothing
 * reassigns: on each path the key's value picks the entry that runs. A missing entry called with
 * `?.(` does nothing; a key that cannot be told, or a missing entry called plainly, is opaque.
 */
function dispatch(m: Machine, call: ts.CallExpression, callee: ts.ElementAccessExpression, states: readonly State[]): Pair[] | undefined {
  const base = m.den.of(callee.expression);
  if (!(isObjectLiteral(base) || isInstance(base))) return undefined;
  const groups = new Map<ts.Node | "none" | "opaque", { target?: CallTarget; states: State[] }>();
  const add = (key: ts.Node | "none" | "opaque", s: State, target?: CallTarget): void => {
    const group = groups.get(key);
    if (group) group.states.push(s);
    else groups.set(key, { ...(target ? { target } : {}), states: [s] });
  };
  for (const p of ev(m, callee.argumentExpression, evStates(m, callee.expression, states))) {
    const name = stringValue(p.v);
    if (name === undefined || name in Object.prototype) {
      add("opaque", p.s);
      continue;
    }
    const target = m.den.memberFunction(base, name);
    if (target) add(target.fn, p.s, target);
    else add(call.questionDotToken !== undefined && m.den.hasMember(base, name) === false ? "none" : "opaque", p.s);
  }
  const out: Pair[] = [];
  for (const [key, group] of groups) {
    if (group.target) out.push(...follow(m, group.target, call, group.states));
    else if (key === "none") out.push(...withValue(group.states, UNDEFINED));
    else out.push(...opaque(m, call, group.states));
  }
  return out;
}

function isAwaited(call: CallSite): boolean {
  let n: ts.Node = call.parent;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isNonNullExpression(n)) n = n.parent;
  return ts.isAwaitExpression(n);
}

/** Too deep, or already running (recursion): not followed. */
function blocked(m: Machine, target: CallTarget): boolean {
  return m.stack.length >= MAX_INLINE_DEPTH || m.stack.some((f) => f.fn === target.fn);
}

function shouldInline(m: Machine, target: CallTarget, call: CallSite, args: readonly ts.Expression[] = call.arguments ?? []): boolean {
  if (blocked(m, target)) return false;
  if (isAwaited(call) || isAsync(target.fn)) return true;
  for (const a of args) {
    const e = unwrap(a);
    if (isFunctionNode(e)) {
      if (usesDriver(m, { fn: e })) return true;
      continue;
    }
    const den = m.den.of(e);
    if (den !== undefined) return true;
  }
  return usesDriver(m, target);
}

/** Runs the target's body with its parameters (and `this`) bound to the call's arguments (`args`: those of a `.call`/`.apply`). */
function inline(m: Machine, target: CallTarget, call: CallSite, states: readonly State[], args: readonly ts.Expression[] = call.arguments ?? []): Pair[] {
  const fn = target.fn;
  const params = fn.parameters;
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
  const bindsThis = target.owner !== undefined && target.self !== undefined;
  const savedThis = bindsThis ? m.den.bindThis(target.owner!, target.self) : undefined;
  const entry = paths.map((path) => {
    let s = path.s;
    params.forEach((p, i) => {
      const v = i < args.length ? path.vals[i] : p.initializer ? m.values.of(p.initializer) : UNDEFINED;
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
    if (bindsThis) m.den.restoreThis(target.owner!, savedThis);
  }
  const locals = m.tracking.functionLocals(fn);
  return result.map((p) => ({ s: p.s.drop(locals).withRet(undefined), v: p.v }));
}
