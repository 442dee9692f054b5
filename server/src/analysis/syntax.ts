// Small helpers over TypeScript syntax nodes, tolerant of partial code (missing nodes are fine).
import ts from "typescript";

const SK = ts.SyntaxKind;

/** Strips parentheses, type assertions, `!`, `satisfies`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  for (;;) {
    switch (expr.kind) {
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.NonNullExpression:
      case SK.SatisfiesExpression:
      case SK.TypeAssertionExpression:
        expr = (expr as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return expr;
    }
  }
}

/** Strips `await` as well. */
export function unwrapAwait(expr: ts.Expression): ts.Expression {
  for (;;) {
    const inner = unwrap(expr);
    if (ts.isAwaitExpression(inner)) expr = inner.expression;
    else return inner;
  }
}

/** The static text of a property name or literal key, if it has one. */
export function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = unwrap(name.expression);
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

/** `x.name` or `x["name"]`: the member name and the object. */
export function memberAccess(expr: ts.Expression): { object: ts.Expression; name: string; nameNode: ts.Node } | undefined {
  if (expr.kind === SK.PropertyAccessExpression) {
    const pa = expr as ts.PropertyAccessExpression;
    return { object: pa.expression, name: pa.name.text, nameNode: pa.name };
  }
  if (expr.kind === SK.ElementAccessExpression) {
    const ea = expr as ts.ElementAccessExpression;
    const arg = unwrap(ea.argumentExpression);
    if (ts.isStringLiteralLike(arg)) return { object: ea.expression, name: arg.text, nameNode: arg };
  }
  return undefined;
}

/** A function the interpreter can run: a function, an arrow, a method or a constructor. */
export type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration | ts.ConstructorDeclaration;

/** A call the interpreter follows into a function: a call, or a `new` that runs a constructor. */
export type CallSite = ts.CallExpression | ts.NewExpression;

export function isFunctionNode(node: ts.Node): node is FunctionNode {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);
}

export function isAsync(fn: ts.FunctionLikeDeclaration): boolean {
  return (ts.getCombinedModifierFlags(fn as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Callee name of `f(...)` / `ns.f(...)`: `f`. */
export function calleeName(call: ts.CallExpression): string | undefined {
  const callee = unwrap(call.expression);
  if (ts.isIdentifier(callee)) return callee.text;
  return memberAccess(callee)?.name;
}

/** True for `=`, `+=`, `||=`, ... */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Node kinds that start a new function body (code in them does not run where it is written). */
export function isFunctionBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isClassLike(node);
}

/** The closest enclosing function-like node. */
export function enclosingFunction(node: ts.Node): ts.SignatureDeclaration | undefined {
  for (let n = node.parent; n !== undefined; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

/** Loop statements. */
export type LoopStatement = ts.WhileStatement | ts.DoStatement | ts.ForStatement | ts.ForOfStatement | ts.ForInStatement;

export function isLoop(node: ts.Node): node is LoopStatement {
  return ts.isWhileStatement(node) || ts.isDoStatement(node) || ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node);
}

/** Equality operators and whether they are negated. */
export function equalityOf(kind: ts.SyntaxKind): "eq" | "ne" | undefined {
  switch (kind) {
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken:
      return "eq";
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken:
      return "ne";
    default:
      return undefined;
  }
}

/** True when the node is part of an if/loop/switch/case/ternary condition. */
export function isConditionPosition(node: ts.Node): boolean {
  let child: ts.Node = node;
  for (let n = node.parent; n !== undefined; child = n, n = n.parent) {
    if (ts.isIfStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isSwitchStatement(n)) return child === n.expression;
    if (ts.isForStatement(n)) return child === n.condition;
    if (ts.isConditionalExpression(n)) return child === n.condition;
    if (ts.isCaseClause(n)) return child === n.expression;
    if (ts.isStatement(n) || ts.isFunctionLike(n)) return false;
  }
  return false;
}
