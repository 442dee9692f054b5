// What a call runs, without running it: a function (named, imported, an arrow), a method of an
// object literal or of an object made with `new` (with the object as `this`), `super(...)` and
// `super.name(...)`, a class's static method, a `const` made with `.bind`; and the object a factory
// (`Driver.create(d)`) returns.
// A table of handlers is looked up only while no code reassigns its members.
import ts from "typescript";
import { baseClassOf, classOf, classOfOwner, constructorOf, ownMethod, thisOwner } from "./classes";
import { objectLiteralDen, objectLiteralIdOf, type Denotation, type Denotations } from "./denotation";
import { fileIndex, resolveLocal } from "./fileIndex";
import { isInstance, type CallTarget } from "./instances";
import type { Modules, Target } from "./modules";
import { isAsync, isFunctionNode, memberAccess, propertyNameText, unwrap, type FunctionNode } from "./syntax";
import { defined } from "../../../runtime/src/defined";

const SK = ts.SyntaxKind;

export class Callees {
  /** Object literals whose members nothing reassigns, by `obj:` id. */
  private readonly fixedObjects = new Map<number, boolean>();
  /** Factories being looked into. */
  private readonly making = new Set<ts.Node>();

  constructor(
    private readonly den: Denotations,
    private readonly modules: Modules,
  ) {}

  /**
   * What a call runs: a function, or a method of an object literal or of an object made with
   * `new` (with the object as `this`), `super(...)` and `super.name(...)`, a class's static method.
   */
  callTarget(expr: ts.Expression): CallTarget | undefined {
    const e = unwrap(expr);
    const fn = this.plainFunctionOf(e, 0);
    if (fn) return { fn };
    if (ts.isIdentifier(e)) return this.boundTarget(e);
    if (e.kind === SK.SuperKeyword) return this.superTarget(e, undefined);
    const access = memberAccess(e);
    if (!access) return undefined;
    const object = unwrap(access.object);
    if (object.kind === SK.SuperKeyword) return this.superTarget(object, access.name);
    const base = this.den.of(object);
    if (base !== undefined) return this.memberFunction(base, access.name);
    const cls = ts.isIdentifier(object) ? classOf(object, this.modules) : undefined;
    const method = cls ? ownMethod(cls, access.name, true) : undefined;
    return method ? { fn: method } : undefined;
  }

  /**
   * A `const` made by `f.bind(self, a, b)`: what `f` runs, with `a, b` before the call's own
   * arguments (`self` as `this` when `f` is a method). Only a `const`: another binding may change.
   */
  private boundTarget(id: ts.Identifier): CallTarget | undefined {
    const decl = this.modules.resolve(id);
    if (decl === undefined || !ts.isVariableDeclaration(decl) || decl.initializer === undefined || (decl.parent.flags & ts.NodeFlags.Const) === 0)
      return undefined;
    const init = unwrap(decl.initializer);
    const access = ts.isCallExpression(init) ? memberAccess(unwrap(init.expression)) : undefined;
    if (!ts.isCallExpression(init) || access === undefined || access.name !== "bind" || init.arguments.some(ts.isSpreadElement) || this.making.has(init))
      return undefined;
    this.making.add(init); // `const f = f.bind(...)` and friends name nothing
    try {
      const target = this.callTarget(access.object);
      if (target === undefined || target.bound !== undefined) return undefined;
      const [selfArg, ...bound] = init.arguments;
      const self = target.owner !== undefined && selfArg !== undefined ? this.den.of(selfArg) : undefined;
      return { fn: target.fn, ...defined({ owner: target.owner }), ...defined({ self }), bound };
    } finally {
      this.making.delete(init);
    }
  }

  /** `f.call` and `f.apply` (the callee of `f.call(self, ...)`): what `f` runs, or undefined. */
  calledThrough(expr: ts.Expression): CallTarget | undefined {
    const access = memberAccess(unwrap(expr));
    if (access === undefined || (access.name !== "call" && access.name !== "apply")) return undefined;
    return this.callTarget(access.object);
  }

  /** `obj.name` or `inst.name` as a function to run, or undefined (not a function, or a table something reassigns). */
  memberFunction(base: Denotation, name: string): CallTarget | undefined {
    if (isInstance(base)) return this.den.instances.method(base, name);
    const id = objectLiteralIdOf(base);
    if (id === undefined) return undefined;
    const obj = this.den.objectLiteral(base);
    const prop = obj?.properties.find((p) => propertyNameText(p.name) === name);
    if (prop === undefined || !this.isFixedObject(id)) return undefined;
    if (ts.isMethodDeclaration(prop)) return prop.body ? { fn: prop, self: base, owner: prop } : undefined;
    const init = ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : ts.isShorthandPropertyAssignment(prop) ? prop.name : undefined;
    if (init === undefined) return undefined;
    if (ts.isFunctionExpression(init)) return init.body ? { fn: init, self: base, owner: init } : undefined;
    const fn = this.plainFunctionOf(init, 0);
    return fn ? { fn } : undefined;
  }

  /**
   * The object a factory returns (`Driver.create(d)`, `makeNic(d)`): a function whose only return
   * is a `new`, seen with its parameters bound to the call's arguments.
   */
  madeBy(call: ts.CallExpression): Denotation | undefined {
    const target = this.callTarget(call.expression);
    const body = target?.fn.body;
    if (!target || !body || isAsync(target.fn) || this.making.has(target.fn)) return undefined;
    let made: ts.Expression | undefined;
    if (!ts.isBlock(body)) made = body;
    else {
      const last = body.statements.length === 1 ? body.statements[0] : undefined;
      made = last && ts.isReturnStatement(last) ? last.expression : undefined;
    }
    if (made === undefined || !ts.isNewExpression(unwrap(made))) return undefined;
    const args = call.arguments.map((a) => (ts.isSpreadElement(a) ? undefined : this.den.of(a)));
    this.making.add(target.fn); // a factory that calls itself makes nothing we can name
    try {
      return this.den.within(
        target.fn.parameters.map((p, i): [ts.Node, Denotation | undefined] => [p, args[i]]),
        target.owner !== undefined && target.self !== undefined ? [[target.owner, target.self]] : [],
        () => this.den.of(made),
      );
    } finally {
      this.making.delete(target.fn);
    }
  }

  /** True when the object literal has a member named so (`undefined`: it cannot be told). */
  hasMember(base: Denotation, name: string): boolean | undefined {
    if (isInstance(base)) return this.den.instances.method(base, name) !== undefined ? true : undefined;
    const id = objectLiteralIdOf(base);
    if (id === undefined) return undefined;
    const obj = this.den.objectLiteral(base);
    if (obj === undefined || !this.isFixedObject(id) || obj.properties.some((p) => !p.name || propertyNameText(p.name) === undefined)) return undefined;
    return obj.properties.some((p) => propertyNameText(p.name) === name);
  }

  /** `super(...)` (the base constructor) or `super.name(...)`, with the caller's `this`. */
  private superTarget(node: ts.Node, name: string | undefined): CallTarget | undefined {
    const self = this.den.thisOf(node);
    const owner = thisOwner(node);
    const cls = owner ? classOfOwner(owner) : undefined;
    let base = cls ? baseClassOf(cls, this.modules) : undefined;
    for (let i = 0; base !== undefined && i < 8; i++, base = baseClassOf(base, this.modules)) {
      const fn = name === undefined ? constructorOf(base) : ownMethod(base, name, false);
      if (fn) return { fn, ...defined({ self }), owner: ts.isArrowFunction(fn) ? base : fn };
    }
    return undefined;
  }

  /**
   * An object literal whose members stay as written: a literal used in place, or one bound to a
   * `const` whose members no code in its file assigns, deletes or `Object.assign`s.
   */
  private isFixedObject(id: number): boolean {
    let fixed = this.fixedObjects.get(id);
    if (fixed === undefined) this.fixedObjects.set(id, (fixed = computeFixed(this.den.objectLiteral(objectLiteralDen(id))!)));
    return fixed;
  }

  /** A function named directly: an arrow or function expression, a name, a namespace member. */
  plainFunctionOf(expr: ts.Expression, depth: number): FunctionNode | undefined {
    const e = unwrap(expr);
    if (depth > 8) return undefined;
    if ((ts.isArrowFunction(e) || ts.isFunctionExpression(e)) && e.body) return e;
    if (ts.isIdentifier(e)) return this.functionOfTarget(this.modules.resolve(e), depth);
    const access = memberAccess(e);
    if (access && ts.isIdentifier(unwrap(access.object))) {
      const ns = this.modules.resolve(unwrap(access.object) as ts.Identifier);
      return this.functionOfTarget(this.modules.member(ns, access.name), depth);
    }
    return undefined;
  }

  private functionOfTarget(target: Target | undefined, depth: number): FunctionNode | undefined {
    if (target === undefined || ts.isSourceFile(target)) return undefined;
    if (ts.isParameter(target)) return this.den.functionParameter(target);
    if (ts.isFunctionDeclaration(target) || ts.isFunctionExpression(target)) return target.body ? target : undefined;
    if (ts.isExportAssignment(target)) return this.plainFunctionOf(target.expression, depth + 1);
    if (ts.isVariableDeclaration(target) && target.initializer && ts.isIdentifier(target.name)) {
      const init = unwrap(target.initializer);
      if (isFunctionNode(init)) return init.body ? init : undefined;
      if (ts.isIdentifier(init)) return this.plainFunctionOf(init, depth + 1);
    }
    return undefined;
  }
}

/** See `Callees.isFixedObject`. */
function computeFixed(obj: ts.ObjectLiteralExpression): boolean {
  let node: ts.Node = obj;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  // A spread may bring (or override) any member.
  if (obj.properties.some((p) => ts.isSpreadAssignment(p))) return false;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) return true;
  if (!ts.isVariableDeclaration(parent) || !ts.isIdentifier(parent.name) || (parent.parent.flags & ts.NodeFlags.Const) === 0) return false;
  const name = parent.name.text;
  for (const ref of fileIndex(parent.getSourceFile()).references) {
    if (ref.text !== name || resolveLocal(ref) !== parent) continue;
    let use: ts.Node = ref;
    while (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent) || ts.isNonNullExpression(use.parent)) use = use.parent;
    const up = use.parent;
    if (ts.isCallExpression(up) && up.arguments[0] === use && /^Object\.(assign|defineProperty|defineProperties|setPrototypeOf)$/.test(up.expression.getText()))
      return false;
    if (!(ts.isPropertyAccessExpression(up) || ts.isElementAccessExpression(up)) || up.expression !== use) continue;
    const outer = up.parent;
    if (ts.isDeleteExpression(outer)) return false;
    if (ts.isBinaryExpression(outer) && outer.left === up && outer.operatorToken.kind >= SK.FirstAssignment && outer.operatorToken.kind <= SK.LastAssignment)
      return false;
  }
  return true;
}
