// Whether code can reach the driver: a function that names the driver's context, mailboxes or
// device (directly, through the fields of its `this`, or through the functions and methods it
// calls) must be followed; values that carry the driver (the context, an object built with it, a
// table of such functions) make a call the analysis cannot follow a possible protocol step.
import ts from "typescript";
import { DEVICE, isDriverCapability, isMailbox, isObjectLiteral, type Denotation } from "./denotation";
import { isInstance, type CallTarget } from "./instances";
import type { Machine } from "./machine";
import { fieldFacts } from "./classes";
import { isReference } from "./fileIndex";
import { enclosingFunction, isFunctionNode, memberAccess, unwrap } from "./syntax";

const SK = ts.SyntaxKind;

const usesDriverCache = new WeakMap<Machine, Map<ts.Node, Map<string, boolean>>>();

const carriesCache = new WeakMap<Machine, Map<string, boolean>>();
const capturesCache = new WeakMap<Machine, Map<ts.Node, boolean>>();

/** What a use of the driver is: its context, functions, mailboxes or device. */
function isVocabulary(den: Denotation | undefined): boolean {
  return den !== undefined && (isDriverCapability(den) || isMailbox(den) || den === DEVICE);
}

/**
 * True when running the function can touch the driver (its context, mailboxes or device) or a
 * tracked field of an object: such a call is followed, or its effects are taken as unknown.
 * Computed once per function and `this`.
 */
export function usesDriver(m: Machine, target: CallTarget): boolean {
  const { fn } = target;
  let cache = usesDriverCache.get(m);
  if (!cache) usesDriverCache.set(m, (cache = new Map()));
  let bySelf = cache.get(fn);
  if (!bySelf) cache.set(fn, (bySelf = new Map()));
  const self = target.self ?? "";
  const known = bySelf.get(self);
  if (known !== undefined) return known;
  bySelf.set(self, false); // a recursive call adds nothing
  let found = false;
  // An object given the driver after construction: any of its fields may be the driver.
  const selfObject = m.den.instances.get(target.self);
  const holder = selfObject !== undefined && m.den.instances.holdsDriver(selfObject);
  const writesField = (target: ts.Expression): boolean => {
    const access = memberAccess(unwrap(target));
    return access !== undefined && m.fieldId(m.den.of(access.object), access.name) !== undefined;
  };
  const walk = (n: ts.Node): void => {
    if (found) return;
    switch (n.kind) {
      case SK.Identifier:
        if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && isVocabulary(m.den.of(n as ts.Identifier))) found = true;
        return;
      case SK.PropertyAccessExpression:
        if (unwrap((n as ts.PropertyAccessExpression).expression).kind === SK.ThisKeyword) {
          const den = m.den.of(n as ts.PropertyAccessExpression);
          if (isVocabulary(den) || (holder && den === undefined)) found = true;
        }
        break;
      case SK.CallExpression: {
        const expr = (n as ts.CallExpression).expression;
        const callee = m.den.callTarget(expr) ?? m.den.calledThrough(expr);
        if (callee && callee.fn !== fn && usesDriver(m, callee)) found = true;
        break;
      }
      case SK.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        if (b.operatorToken.kind >= SK.FirstAssignment && b.operatorToken.kind <= SK.LastAssignment && m.den.instances.count > 0 && writesField(b.left))
          found = true;
        break;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = n as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if ((u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) && m.den.instances.count > 0 && writesField(u.operand)) found = true;
        break;
      }
      default:
        break;
    }
    ts.forEachChild(n, walk);
  };
  const run = (): void => {
    if (fn.body) walk(fn.body);
  };
  if (target.owner !== undefined && target.self !== undefined) m.den.within([], [[target.owner, target.self]], run);
  else run();
  bySelf.set(self, found);
  return found;
}

/**
 * An object (literal or made with `new`) through which a protocol step can be taken: built with
 * the driver, holding it in a field, or of a class whose code names it from outside (code the
 * analysis cannot see may call its methods). Once per object and analysis run.
 */
function objectCarries(m: Machine, den: Denotation, depth: number): boolean {
  const literal = m.den.objectLiteral(den);
  if (literal) return carriesCapability(m, literal, depth + 1);
  const inst = m.den.instances.get(den);
  if (!inst) return false;
  if (m.den.instances.holdsDriver(inst)) return true;
  let cache = carriesCache.get(m);
  if (!cache) carriesCache.set(m, (cache = new Map()));
  const known = cache.get(den);
  if (known !== undefined) return known;
  cache.set(den, false);
  const carries = (d: Denotation | undefined): boolean => d !== undefined && (isDriverCapability(d) || (depth < 2 && objectCarries(m, d, depth + 1)));
  let found = false;
  for (const part of m.den.instances.chain(inst)) {
    const facts = fieldFacts(part.cls);
    const fields = [...facts.parameterProperties.keys(), ...facts.initializers.keys(), ...facts.writes.keys()];
    if (part.args.some(carries) || fields.some((name) => carries(m.den.instances.field(den, name))) || capturesDriver(m, part.cls)) {
      found = true;
      break;
    }
  }
  cache.set(den, found);
  return found;
}

/** A class whose code names a capability declared outside it (a class written inside the driver's function). */
function capturesDriver(m: Machine, cls: ts.Node): boolean {
  let cache = capturesCache.get(m);
  if (!cache) capturesCache.set(m, (cache = new Map()));
  let found = cache.get(cls);
  if (found !== undefined) return found;
  // A class at module level can name no driver context: that is a parameter of some function.
  found = false;
  if (enclosingFunction(cls) === undefined) {
    cache.set(cls, found);
    return found;
  }
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n)) {
      if (!isReference(n)) return;
      const decl = m.variableOf(n);
      if (decl !== undefined && !(decl.pos >= cls.pos && decl.end <= cls.end) && isDriverCapability(m.den.ofDeclaration(decl))) found = true;
      return;
    }
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(cls, walk);
  cache.set(cls, found);
  return found;
}

/** An expression through which driver code can run: a capability, or a function (or a record or
 * object built from them) that uses the driver. */
export function carriesCapability(m: Machine, expr: ts.Expression, depth = 0): boolean {
  const e = unwrap(expr);
  if (isFunctionNode(e)) return usesDriver(m, { fn: e });
  const den = m.den.of(e);
  if (isDriverCapability(den)) return true;
  if (depth > 2) return false;
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some((p) => {
      if (ts.isPropertyAssignment(p)) return carriesCapability(m, p.initializer, depth + 1);
      if (ts.isShorthandPropertyAssignment(p)) return carriesCapability(m, p.name, depth + 1);
      return isFunctionNode(p) && usesDriver(m, { fn: p });
    });
  }
  if (isInstance(den) || isObjectLiteral(den)) return objectCarries(m, den, depth);
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => carriesCapability(m, x, depth + 1));
  if (ts.isNewExpression(e)) return (e.arguments ?? []).some((x) => carriesCapability(m, x, depth + 1));
  if (ts.isIdentifier(e)) {
    const decl = m.variableOf(e);
    return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && carriesCapability(m, decl.initializer, depth + 1);
  }
  return false;
}

/** A call the analysis cannot follow that can reach driver code: through its arguments, or a receiver or callee built with the driver (`nic.open()` where `nic = new Nic(d)`, `handlers[name]()`, `this.emit()`). */
export function passesCapability(m: Machine, call: ts.CallExpression | ts.NewExpression, receiver = true): boolean {
  if ((call.arguments ?? []).some((a) => carriesCapability(m, a))) return true;
  if (!receiver) return false;
  let callee = unwrap(call.expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) callee = unwrap(callee.expression);
    else if (ts.isCallExpression(callee)) {
      // `make(d).serve()`: the receiver comes from a call that was handed the driver.
      if (callee.arguments.some((a) => carriesCapability(m, a))) return true;
      callee = unwrap(callee.expression);
    } else break;
  }
  return (ts.isIdentifier(callee) || callee.kind === SK.ThisKeyword) && carriesCapability(m, callee);
}
