// Classes without a type checker: the class a `new` (or `extends`) names, its constructor, the
// method a member name finds, the node a `this` belongs to, and per-class facts about the fields
// (`this.x`): where they are declared, assigned, counted and tested. The interpreter follows method
// calls and tracks some fields like local variables; these facts decide which and how.
import ts from "typescript";
import type { Modules, Target } from "./modules";
import { hasModifier, isConditionPosition, memberAccess, propertyNameText, unwrap, type FunctionNode } from "./syntax";

const SK = ts.SyntaxKind;

export type ClassNode = ts.ClassDeclaration | ts.ClassExpression;

/** The class an expression names (`Hw`, `nic.Hw`, `class {...}`, a const alias), across relative imports. */
export function classOf(expr: ts.Expression, modules: Modules, depth = 0): ClassNode | undefined {
  if (depth > 8) return undefined;
  const e = unwrap(expr);
  if (ts.isClassExpression(e)) return e;
  if (ts.isIdentifier(e)) return classOfTarget(modules.resolve(e), modules, depth);
  const access = memberAccess(e);
  if (access && ts.isIdentifier(unwrap(access.object))) {
    const ns = modules.resolve(unwrap(access.object) as ts.Identifier);
    return classOfTarget(modules.member(ns, access.name), modules, depth);
  }
  return undefined;
}

function classOfTarget(target: Target | undefined, modules: Modules, depth: number): ClassNode | undefined {
  if (target === undefined || ts.isSourceFile(target)) return undefined;
  if (ts.isClassDeclaration(target)) return target;
  if (ts.isExportAssignment(target)) return classOf(target.expression, modules, depth + 1);
  if (ts.isVariableDeclaration(target) && target.initializer && ts.isIdentifier(target.name) && (target.parent.flags & ts.NodeFlags.Const) !== 0) {
    return classOf(target.initializer, modules, depth + 1);
  }
  return undefined;
}

/** The class named in `extends`, when it can be found. */
export function baseClassOf(cls: ClassNode, modules: Modules): ClassNode | undefined {
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== SK.ExtendsKeyword) continue;
    const base = clause.types[0];
    return base ? classOf(base.expression, modules) : undefined;
  }
  return undefined;
}

/** True when the class extends something (found or not). */
export function hasBaseClass(cls: ClassNode): boolean {
  return (cls.heritageClauses ?? []).some((c) => c.token === SK.ExtendsKeyword);
}

export function constructorOf(cls: ClassNode): ts.ConstructorDeclaration | undefined {
  for (const m of cls.members) if (ts.isConstructorDeclaration(m) && m.body) return m;
  return undefined;
}

/** `super(...)` as a statement of the constructor's own body. */
export function superCallOf(ctor: ts.ConstructorDeclaration): ts.CallExpression | undefined {
  for (const s of ctor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(s)) continue;
    const e = unwrap(s.expression);
    if (ts.isCallExpression(e) && e.expression.kind === SK.SuperKeyword) return e;
  }
  return undefined;
}

/** Members of a class by name and staticness (`s:name`, `i:name`): kept per class node, its own subtree's fact. */
const membersByName = new WeakMap<ClassNode, Map<string, ts.ClassElement>>();

/** A method of the class itself: `name() {...}`, or a field holding a function (`name = async () => {...}`). */
export function ownMethod(cls: ClassNode, name: string, isStatic: boolean): FunctionNode | undefined {
  let members = membersByName.get(cls);
  if (members === undefined) {
    members = new Map();
    for (const m of cls.members) {
      const text = propertyNameText(m.name);
      const key = `${hasModifier(m, SK.StaticKeyword) ? "s" : "i"}:${text}`;
      if (text !== undefined && (ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && !members.has(key)) members.set(key, m);
    }
    membersByName.set(cls, members);
  }
  const m = members.get(`${isStatic ? "s" : "i"}:${name}`);
  if (m === undefined) return undefined;
  if (ts.isMethodDeclaration(m)) return m.body ? m : undefined;
  if (ts.isPropertyDeclaration(m) && m.initializer) {
    const init = unwrap(m.initializer);
    return (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.body ? init : undefined;
  }
  return undefined;
}

/**
 * The node whose `this` a `this` (or `super`) means: the nearest function that is not an arrow,
 * or the class for a field's initializer. Undefined at top level and in static members.
 */
export function thisOwner(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) {
    switch (n.kind) {
      case SK.FunctionDeclaration:
      case SK.FunctionExpression:
      case SK.MethodDeclaration:
      case SK.Constructor:
      case SK.GetAccessor:
      case SK.SetAccessor:
        return hasModifier(n, SK.StaticKeyword) ? undefined : n;
      case SK.PropertyDeclaration:
        return hasModifier(n, SK.StaticKeyword) ? undefined : n.parent;
      case SK.ClassStaticBlockDeclaration:
      case SK.SourceFile:
        return undefined;
      default:
        break;
    }
  }
  return undefined;
}

/** The class a `this`-owner belongs to (a method's, a constructor's, or the class itself). */
export function classOfOwner(owner: ts.Node): ClassNode | undefined {
  if (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) return owner;
  const parent = owner.parent;
  return parent !== undefined && (ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) ? parent : undefined;
}

/** What a class's own code does with `this.<name>`. */
export interface FieldFacts {
  /** Values given with `=` (and field initializers), by field. */
  values: Map<string, ts.Expression[]>;
  /** `this.x = ...` assignments anywhere in the class, by field. */
  writes: Map<string, ts.BinaryExpression[]>;
  /** Field initializers (`x = value;`). */
  initializers: Map<string, ts.Expression>;
  /** Parameter properties (`constructor(private d: D)`): field -> parameter index. */
  parameterProperties: Map<string, number>;
  /** Fields declared in the class body (with or without an initializer). */
  declared: Set<string>;
  /** Fields counted (`++`, `+=`, `x = x + 1`): their values only multiply states. */
  counters: Set<string>;
  /** Fields read in a condition or returned: their values can steer control flow. */
  tested: Set<string>;
  /** Names with a getter or setter: reading or writing them runs code, they are no plain fields. */
  accessors: Set<string>;
}

/** Facts depend on the class's own subtree only, so they are kept across analyses. */
const factsCache = new WeakMap<ClassNode, FieldFacts>();

export function fieldFacts(cls: ClassNode): FieldFacts {
  let facts = factsCache.get(cls);
  if (facts === undefined) factsCache.set(cls, (facts = collectFacts(cls)));
  return facts;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function collectFacts(cls: ClassNode): FieldFacts {
  const facts: FieldFacts = {
    values: new Map(),
    writes: new Map(),
    initializers: new Map(),
    parameterProperties: new Map(),
    declared: new Set(),
    counters: new Set(),
    tested: new Set(),
    accessors: new Set(),
  };
  const visit = (n: ts.Node): void => {
    // Nested non-arrow functions and classes have a `this` of their own.
    if (
      ts.isFunctionDeclaration(n) ||
      ts.isFunctionExpression(n) ||
      ts.isClassLike(n) ||
      ((ts.isMethodDeclaration(n) || ts.isAccessor(n)) && ts.isObjectLiteralExpression(n.parent))
    )
      return;
    if (ts.isPropertyAccessExpression(n) && unwrap(n.expression).kind === SK.ThisKeyword) noteAccess(n, n.name.text, facts);
    ts.forEachChild(n, visit);
  };
  for (const m of cls.members) {
    if (hasModifier(m, SK.StaticKeyword)) continue;
    if (ts.isPropertyDeclaration(m)) {
      const name = propertyNameText(m.name);
      if (name !== undefined) facts.declared.add(name);
      if (name !== undefined && m.initializer) {
        facts.initializers.set(name, m.initializer);
        push(facts.values, name, m.initializer);
      }
      if (m.initializer) visit(m.initializer);
    } else if (ts.isConstructorDeclaration(m)) {
      m.parameters.forEach((p, i) => {
        if (ts.isIdentifier(p.name) && ts.isParameterPropertyDeclaration(p, m)) facts.parameterProperties.set(p.name.text, i);
      });
      if (m.body) ts.forEachChild(m.body, visit);
    } else if ((ts.isMethodDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m)) && m.body) {
      const name = propertyNameText(m.name);
      if (name !== undefined && !ts.isMethodDeclaration(m)) facts.accessors.add(name);
      ts.forEachChild(m.body, visit);
    }
  }
  return facts;
}

function noteAccess(access: ts.PropertyAccessExpression, name: string, facts: FieldFacts): void {
  let node: ts.Node = access;
  while (ts.isParenthesizedExpression(node.parent) || ts.isNonNullExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (
    ts.isBinaryExpression(parent) &&
    parent.left === node &&
    parent.operatorToken.kind >= SK.FirstAssignment &&
    parent.operatorToken.kind <= SK.LastAssignment
  ) {
    if (parent.operatorToken.kind !== SK.EqualsToken || mentionsField(parent.right, name)) facts.counters.add(name);
    else {
      push(facts.writes, name, parent);
      push(facts.values, name, parent.right);
    }
    return;
  }
  if (
    (ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === SK.PlusPlusToken || parent.operator === SK.MinusMinusToken)
  ) {
    facts.counters.add(name);
    return;
  }
  if (ts.isReturnStatement(parent) || isConditionPosition(access)) facts.tested.add(name);
}

/** `this.x + 1` on the right of `this.x = ...`: arithmetic on the field itself. */
function mentionsField(value: ts.Expression, name: string): boolean {
  const e = unwrap(value);
  if (
    !ts.isBinaryExpression(e) ||
    e.operatorToken.kind === SK.AmpersandAmpersandToken ||
    e.operatorToken.kind === SK.BarBarToken ||
    e.operatorToken.kind === SK.QuestionQuestionToken
  )
    return false;
  const mentions = (x: ts.Expression): boolean => {
    const u = unwrap(x);
    if (ts.isPropertyAccessExpression(u)) return u.name.text === name && unwrap(u.expression).kind === SK.ThisKeyword;
    return ts.isBinaryExpression(u) && (mentions(u.left) || mentions(u.right));
  };
  return mentions(e);
}
