// Passive drivers written as classes: `definePassiveDriver(..., (k) => new Nic(k))`. The entry
// points are the instance's methods, the state lives in fields (`this.linkUp`), and the kernel is
// kept in a field (`constructor(private k: PassiveKernel)`, or `this.k = k`).
import ts from "typescript";
import { classOf, classOfOwner, constructorOf, ownMethod, thisOwner, type ClassNode } from "../classes";
import type { Denotations } from "../denotation";
import { resolveLocal } from "../fileIndex";
import { hasModifier, propertyNameText, unwrap, type FunctionNode } from "../syntax";

export interface PassiveClass {
  cls: ClassNode;
  /** Fields holding the kernel `k` the factory receives. */
  kernelFields: Set<string>;
}

/** The `new C(...)` a factory returns (an expression body, or its `return` statements). */
function returnedNew(factory: FunctionNode): ts.NewExpression | undefined {
  const body = factory.body;
  if (!body) return undefined;
  const fromExpr = (e: ts.Expression | undefined): ts.NewExpression | undefined => {
    const u = e === undefined ? undefined : unwrap(e);
    return u !== undefined && ts.isNewExpression(u) ? u : undefined;
  };
  if (!ts.isBlock(body)) return fromExpr(body);
  let found: ts.NewExpression | undefined;
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) found = fromExpr(n.expression) ?? found;
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(body, walk);
  return found;
}

/** The class a passive factory instantiates, and which of its fields keep the kernel. */
export function passiveClassOf(factory: FunctionNode, den: Denotations): PassiveClass | undefined {
  const created = returnedNew(factory);
  if (!created) return undefined;
  const cls = classOf(created.expression, den.modules);
  if (!cls) return undefined;
  const kernelFields = new Set<string>();
  const k = factory.parameters[0];
  const ctor = constructorOf(cls);
  if (k && ctor) {
    const kernelParams = new Set<ts.ParameterDeclaration>();
    (created.arguments ?? []).forEach((arg, i) => {
      const a = unwrap(arg);
      const param = ctor.parameters[i];
      if (param && ts.isIdentifier(a) && resolveLocal(a) === k) kernelParams.add(param);
    });
    for (const p of kernelParams) {
      if (ts.isIdentifier(p.name) && ts.isParameterPropertyDeclaration(p, ctor)) kernelFields.add(p.name.text);
    }
    const walk = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = unwrap(n.left);
        const right = unwrap(n.right);
        if (ts.isPropertyAccessExpression(left) && unwrap(left.expression).kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(right)) {
          const decl = resolveLocal(right);
          if (decl !== undefined && ts.isParameter(decl) && kernelParams.has(decl)) kernelFields.add(left.name.text);
        }
      }
      ts.forEachChild(n, walk);
    };
    if (ctor.body) ts.forEachChild(ctor.body, walk);
  }
  return { cls, kernelFields };
}

function isPrivate(member: ts.ClassElement): boolean {
  return (
    hasModifier(member, ts.SyntaxKind.PrivateKeyword) ||
    hasModifier(member, ts.SyntaxKind.ProtectedKeyword) ||
    (member.name !== undefined && ts.isPrivateIdentifier(member.name))
  );
}

/**
 * The entry points of a class driver: its public instance methods (or fields holding a function)
 * named after an incoming message or `irq`; every public method when the protocol is not known.
 */
export function classEntryPoints(pc: PassiveClass, den: Denotations): { name: string; nameNode: ts.Node; fn: FunctionNode }[] {
  const out: { name: string; nameNode: ts.Node; fn: FunctionNode }[] = [];
  const protocol = den.protocol;
  for (const member of pc.cls.members) {
    if (!(ts.isMethodDeclaration(member) || ts.isPropertyDeclaration(member)) || hasModifier(member, ts.SyntaxKind.StaticKeyword) || isPrivate(member))
      continue;
    const name = propertyNameText(member.name);
    if (name === undefined) continue;
    if (protocol !== undefined && protocol.messages.size > 0 && name !== "irq" && !protocol.isIncoming(name)) continue;
    const fn = ownMethod(pc.cls, name, false);
    if (fn) out.push({ name, nameNode: member.name, fn });
  }
  return out;
}

/** `this.name` inside the class's own methods (arrows included). */
export function ownField(pc: PassiveClass, expr: ts.Expression): string | undefined {
  const e = unwrap(expr);
  if (!ts.isPropertyAccessExpression(e) || unwrap(e.expression).kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const owner = thisOwner(e);
  return owner !== undefined && classOfOwner(owner) === pc.cls ? e.name.text : undefined;
}

/** Where a field is declared: its property declaration, or its constructor parameter property. */
export function fieldDeclaration(pc: PassiveClass, name: string): ts.Node | undefined {
  for (const member of pc.cls.members) {
    if (ts.isPropertyDeclaration(member) && !hasModifier(member, ts.SyntaxKind.StaticKeyword) && propertyNameText(member.name) === name) return member;
  }
  const ctor = constructorOf(pc.cls);
  return ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name && ts.isParameterPropertyDeclaration(p, ctor));
}

/** The method `this.name(...)` calls, for following an entry point into its helpers. */
export function ownMethodCalled(pc: PassiveClass, expr: ts.Expression): FunctionNode | undefined {
  const name = ownField(pc, expr);
  return name === undefined ? undefined : ownMethod(pc.cls, name, false);
}
