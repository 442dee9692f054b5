// AD030: a loop whose every exit depends only on device register reads (and constants), with no
// counter or timeout: an unplugged device reads all ones and the loop never ends.
import ts from "typescript";
import type { Machine } from "../machine";
import { fileIndex, resolveLocal } from "../fileIndex";
import { unwrap, type LoopStatement } from "../syntax";

const SK = ts.SyntaxKind;

export interface PollContext {
  isRead(call: ts.CallExpression): boolean;
  isConstant(expr: ts.Expression): boolean;
}

/** Records an AD030 finding for a loop the interpreter runs (verdict computed once). */
export function checkPollLoop(m: Machine, loop: LoopStatement): void {
  let verdict = m.loopVerdicts.get(loop);
  if (verdict === undefined) {
    verdict = isRegisterPoll(loop, {
      isRead: (call) => m.den.of(call.expression) === "fn:read",
      isConstant: (expr) => m.values.of(expr) !== undefined,
    });
    m.loopVerdicts.set(loop, verdict);
  }
  if (!verdict) return;
  let anchors = m.pollLoops.get(loop);
  if (!anchors) m.pollLoops.set(loop, (anchors = new Set()));
  for (const a of m.anchorsFor(loop)) anchors.add(a);
}

export function isRegisterPoll(loop: LoopStatement, ctx: PollContext): boolean {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return false;
  const exits = fileIndex(loop.getSourceFile()).loopExits.get(loop);
  if (!exits || exits.unconditional || exits.tests.length === 0) return false;
  const tests = exits.tests;
  let hasRead = false;
  const visiting = new Set<ts.Node>();

  const variableOnlyRegisters = (decl: ts.Node): boolean => {
    if (visiting.has(decl)) return true;
    visiting.add(decl);
    const insideLoop = decl.pos >= loop.pos && decl.end <= loop.end;
    if (insideLoop) {
      if (!ts.isVariableDeclaration(decl) || !decl.initializer || !only(decl.initializer)) return false;
    }
    let ok = true;
    const walk = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment) {
        const left = unwrap(n.left);
        if (ts.isIdentifier(left) && resolveLocal(left) === decl) ok = n.operatorToken.kind === SK.EqualsToken && only(n.right);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(unwrap(n.operand))) {
        if (resolveLocal(unwrap(n.operand) as ts.Identifier) === decl && (n.operator === SK.PlusPlusToken || n.operator === SK.MinusMinusToken)) ok = false;
      }
      ts.forEachChild(n, walk);
    };
    walk(loop);
    return ok;
  };

  const only = (expr: ts.Node): boolean => {
    if (ts.isCallExpression(expr)) {
      if (!ctx.isRead(expr)) return false;
      hasRead = true;
      return true;
    }
    if (ts.isIdentifier(expr)) {
      if (ctx.isConstant(expr)) return true;
      const decl = resolveLocal(expr);
      if (!decl) return false;
      return (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) && variableOnlyRegisters(decl);
    }
    if (ts.isPropertyAccessExpression(expr)) return only(expr.expression);
    if (
      ts.isNumericLiteral(expr) ||
      ts.isStringLiteralLike(expr) ||
      expr.kind === SK.TrueKeyword ||
      expr.kind === SK.FalseKeyword ||
      expr.kind === SK.NullKeyword
    ) {
      return true;
    }
    if (ts.isBinaryExpression(expr) || ts.isPrefixUnaryExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isConditionalExpression(expr) || ts.isElementAccessExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr)) {
      let ok = true;
      ts.forEachChild(expr, (c) => {
        if (ok && !isPunctuation(c) && !ts.isTypeNode(c)) ok = only(c);
      });
      return ok;
    }
    return false;
  };

  for (const t of tests) if (!only(t)) return false;
  return hasRead;
}

function isPunctuation(n: ts.Node): boolean {
  return n.kind >= SK.FirstPunctuation && n.kind <= SK.LastPunctuation;
}

/** The `while`/`do`/`for` keyword of a loop: [start, end) offsets. */
export function loopKeywordSpan(loop: ts.Node): [number, number] {
  const start = loop.getStart();
  const word = ts.isDoStatement(loop) ? 2 : ts.isWhileStatement(loop) ? 5 : 3;
  return [start, start + word];
}
