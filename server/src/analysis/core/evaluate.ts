// Expressions over sets of abstract states: each evaluation yields (state, value) pairs, forking
// where a wait delivers one of several messages. Conditions split states into those where the
// condition holds and those where it does not, refining on wait results and tracked variables.
import ts from "typescript";
import { isDriverCapability } from "../denotation";
import { evCall, evNew } from "./calls";
import type { Machine, Pair } from "../machine";
import type { Declaration } from "../scope";
import type { State } from "../state";
import { memberAccess, propertyNameText, unwrap } from "../syntax";
import { identifiersIn } from "../tracking";
import { boolValue, truthiness, valuesEqual, waitResultMember, type Value } from "../values";

const SK = ts.SyntaxKind;

export function withValue(states: readonly State[], v: Value | undefined): Pair[] {
  return states.map((s) => ({ s, v }));
}

export function statesOf(pairs: readonly Pair[]): State[] {
  return pairs.map((p) => p.s);
}

/** Evaluates for effects only. */
export function evStates(m: Machine, expr: ts.Expression | undefined, states: readonly State[]): State[] {
  if (!expr || !m.hasEffects(expr)) return states as State[];
  return statesOf(ev(m, expr, states));
}

/** Evaluates expressions left to right for their effects. */
export function evSequence(m: Machine, exprs: readonly (ts.Expression | undefined)[], states: readonly State[]): State[] {
  let current = states as State[];
  for (const e of exprs) current = evStates(m, e, current);
  return current;
}

export function ev(m: Machine, expr: ts.Expression, states: readonly State[]): Pair[] {
  if (states.length === 0) return [];
  if (!m.hasEffects(expr)) return states.map((s) => ({ s, v: m.valueOf(expr, s) }));
  m.tick();
  const e = unwrap(expr);
  if (ts.isAwaitExpression(e)) {
    m.hooks.onAwait(m, e);
    return ev(m, e.expression, states);
  }
  if (ts.isCallExpression(e)) return evCall(m, e, states);
  if (ts.isNewExpression(e)) return evNew(m, e, states);
  if (ts.isBinaryExpression(e)) return evBinary(m, e, states);
  if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) {
    if (e.operator === SK.PlusPlusToken || e.operator === SK.MinusMinusToken) {
      return assignTo(m, e.operand, withValue(evStates(m, e.operand, states), undefined)).map((p) => ({ s: p.s, v: undefined }));
    }
    const pairs = ev(m, e.operand, states);
    if (e.operator !== SK.ExclamationToken) return withValue(statesOf(pairs), undefined);
    return pairs.map((p) => {
      const t = truthiness(p.v);
      return { s: p.s, v: t === undefined ? undefined : boolValue(!t) };
    });
  }
  if (ts.isConditionalExpression(e)) {
    const { t, f } = split(m, e.condition, states);
    return [...ev(m, e.whenTrue, t), ...ev(m, e.whenFalse, f)];
  }
  if (ts.isPropertyAccessExpression(e)) {
    return ev(m, e.expression, states).map((p) => ({ s: p.s, v: waitResultMember(p.v, e.name.text) }));
  }
  if (ts.isElementAccessExpression(e)) {
    const pairs = ev(m, e.expression, states);
    const arg = unwrap(e.argumentExpression);
    const name = ts.isStringLiteralLike(arg) ? arg.text : undefined;
    return pairs.flatMap((p) => withValue(evStates(m, e.argumentExpression, [p.s]), waitResultMember(p.v, name)));
  }
  if (ts.isObjectLiteralExpression(e)) {
    const parts = e.properties.map((p) => (ts.isPropertyAssignment(p) ? p.initializer : ts.isSpreadAssignment(p) ? p.expression : undefined));
    return withValue(evSequence(m, parts, states), undefined);
  }
  if (ts.isArrayLiteralExpression(e)) return withValue(evSequence(m, e.elements, states), undefined);
  if (ts.isTemplateExpression(e))
    return withValue(
      evSequence(
        m,
        e.templateSpans.map((s) => s.expression),
        states,
      ),
      undefined,
    );
  if (ts.isTaggedTemplateExpression(e)) {
    const spans = ts.isTemplateExpression(e.template) ? e.template.templateSpans.map((s) => s.expression) : [];
    return withValue(evSequence(m, [e.tag, ...spans], states), undefined);
  }
  if (ts.isSpreadElement(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e) || ts.isDeleteExpression(e)) {
    return withValue(evStates(m, e.expression, states), undefined);
  }
  if (ts.isYieldExpression(e)) return withValue(evStates(m, e.expression, states), undefined);
  return withValue(states, undefined);
}

function isEquality(op: ts.SyntaxKind): boolean {
  return op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken;
}

function evBinary(m: Machine, e: ts.BinaryExpression, states: readonly State[]): Pair[] {
  const op = e.operatorToken.kind;
  if (op === SK.EqualsToken) {
    const access = m.den.instances.count > 0 ? memberAccess(unwrap(e.left)) : undefined;
    // `this.d = d` outside the constructor: the object now holds the driver (see capability.ts).
    if (access && isDriverCapability(m.den.of(e.right))) m.den.instances.noteHoldsDriver(m.den.of(access.object));
    return assignTo(m, e.left, ev(m, e.right, states));
  }
  if (op >= SK.FirstAssignment && op <= SK.LastAssignment) {
    return assignTo(m, e.left, withValue(evStates(m, e.right, states), undefined));
  }
  if (op === SK.CommaToken) return ev(m, e.right, evStates(m, e.left, states));
  if (op === SK.AmpersandAmpersandToken) {
    const a = split(m, e.left, states);
    return [...ev(m, e.right, a.t), ...withValue(a.f, undefined)];
  }
  if (op === SK.BarBarToken) {
    const a = split(m, e.left, states);
    return [...withValue(a.t, undefined), ...ev(m, e.right, a.f)];
  }
  const left = ev(m, e.left, states);
  const out: Pair[] = [];
  for (const p of left) {
    for (const q of ev(m, e.right, [p.s])) {
      let v: Value | undefined;
      if (isEquality(op)) {
        const loose = op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsToken;
        const eq = valuesEqual(p.v, q.v, loose);
        const negated = op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken;
        v = eq === undefined ? undefined : boolValue(eq !== negated);
      }
      out.push({ s: q.s, v });
    }
  }
  return out;
}

/** Splits states on a condition: where it holds (t) and where it does not (f). */
export function split(m: Machine, expr: ts.Expression, states: readonly State[]): { t: State[]; f: State[] } {
  if (states.length === 0) return { t: [], f: [] };
  const e = unwrap(expr);
  if (ts.isPrefixUnaryExpression(e) && e.operator === SK.ExclamationToken) {
    const r = split(m, e.operand, states);
    return { t: r.f, f: r.t };
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === SK.AmpersandAmpersandToken) {
      const a = split(m, e.left, states);
      const b = split(m, e.right, a.t);
      return { t: b.t, f: [...a.f, ...b.f] };
    }
    if (op === SK.BarBarToken) {
      const a = split(m, e.left, states);
      const b = split(m, e.right, a.f);
      return { t: [...a.t, ...b.t], f: b.f };
    }
  }
  const t: State[] = [];
  const f: State[] = [];
  if (!m.hasEffects(e)) {
    // No effects: no pairs to build.
    for (const s of states) {
      const truth = truthiness(m.valueOf(e, s));
      if (truth === true) t.push(s);
      else if (truth === false) f.push(s);
      else {
        const vague = m.dependsOnLostVariable(e, s) ? s.withVague() : s;
        t.push(vague);
        f.push(vague);
      }
    }
    return { t, f };
  }
  for (const p of ev(m, e, states)) {
    const truth = truthiness(p.v);
    if (truth === true) t.push(p.s);
    else if (truth === false) f.push(p.s);
    else {
      const s = m.dependsOnLostVariable(e, p.s) ? p.s.withVague() : p.s;
      t.push(s);
      f.push(s);
    }
  }
  return { t, f };
}

/** A statement-level test (if, loop, switch): notes flag reads, then splits. */
export function test(m: Machine, expr: ts.Expression, states: readonly State[]): { t: State[]; f: State[] } {
  m.hooks.onTest(m, expr, states);
  return split(m, expr, states);
}

/** Assigns values to a target; returns the pairs with the new states. */
export function assignTo(m: Machine, target: ts.Expression, pairs: Pair[]): Pair[] {
  const t = unwrap(target);
  if (ts.isIdentifier(t)) {
    const decl = m.variableOf(t);
    if (decl === undefined) return pairs;
    const id = m.tracking.idOf(decl);
    const ghost = m.ghosts.get(decl);
    if (id === undefined && ghost === undefined) return pairs;
    if (id !== undefined) m.thread.writes.add(id);
    return pairs.map((p) => {
      let s = p.s;
      if (id !== undefined) s = s.set(id, p.v);
      if (ghost !== undefined) s = s.set(ghost, boolValue(true));
      return { s, v: p.v };
    });
  }
  if (ts.isObjectLiteralExpression(t) || ts.isArrayLiteralExpression(t)) return forget(m, identifiersIn(t), pairs);
  const access = memberAccess(t);
  if (access === undefined || m.den.instances.count === 0) return pairs;
  // `this.state = ...`: a tracked field of an object made with `new`.
  const id = m.fieldId(m.den.of(access.object), access.name);
  if (id === undefined) return pairs;
  m.thread.writes.add(id);
  return pairs.map((p) => ({ s: p.s.set(id, p.v), v: p.v }));
}

function forget(m: Machine, ids: readonly ts.Identifier[], pairs: Pair[]): Pair[] {
  const vids: number[] = [];
  for (const id of ids) {
    const decl = m.variableOf(id);
    const vid = decl && m.tracking.idOf(decl);
    if (vid !== undefined) vids.push(vid);
  }
  return vids.length === 0 ? pairs : pairs.map((p) => ({ s: p.s.drop(vids), v: p.v }));
}

/** Binds a declared name (identifier or destructuring pattern) to values. */
export function bindName(m: Machine, name: ts.BindingName, decl: Declaration, pairs: Pair[]): State[] {
  if (ts.isIdentifier(name)) {
    const id = m.tracking.idOf(decl);
    return id === undefined ? statesOf(pairs) : pairs.map((p) => p.s.set(id, p.v));
  }
  if (ts.isArrayBindingPattern(name)) return statesOf(forget(m, identifiersIn(name), pairs));
  let out = pairs;
  for (const element of name.elements) {
    if (!ts.isIdentifier(element.name)) {
      out = forget(m, identifiersIn(element.name), out);
      continue;
    }
    const id = m.tracking.idOf(element);
    if (id === undefined) continue;
    const prop = element.dotDotDotToken ? undefined : propertyNameText(element.propertyName ?? element.name);
    out = out.map((p) => ({ s: p.s.set(id, waitResultMember(p.v, prop)), v: p.v }));
  }
  return statesOf(out);
}
