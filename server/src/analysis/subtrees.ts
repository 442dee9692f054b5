// Syntactic facts about a subtree that the interpreter asks again and again: whether evaluating
// it can change an abstract state, and the names and member reads in a condition. Kept across
// analyses, per node: an incrementally parsed tree reuses unchanged subtrees (the same nodes).
import ts from "typescript";
import { isFunctionBoundary, unwrap } from "./syntax";
import { identifiersIn } from "./tracking";

const SK = ts.SyntaxKind;

/** Node kinds whose evaluation itself can change a state. */
function isEffectful(node: ts.Node): boolean {
  switch (node.kind) {
    case SK.CallExpression:
    case SK.NewExpression:
    case SK.AwaitExpression:
    case SK.PostfixUnaryExpression:
    case SK.DeleteExpression:
    case SK.YieldExpression:
    case SK.TaggedTemplateExpression:
      return true;
    case SK.PrefixUnaryExpression: {
      const op = (node as ts.PrefixUnaryExpression).operator;
      return op === SK.PlusPlusToken || op === SK.MinusMinusToken;
    }
    case SK.BinaryExpression: {
      const op = (node as ts.BinaryExpression).operatorToken.kind;
      return op >= SK.FirstAssignment && op <= SK.LastAssignment;
    }
    default:
      return false;
  }
}

function childHasEffects(child: ts.Node): true | undefined {
  return isEffectful(child) || (!isFunctionBoundary(child) && subtreeHasEffects(child)) ? true : undefined;
}

/** True when some node below `node` (not inside a nested function) is effectful. */
function subtreeHasEffects(node: ts.Node): boolean {
  return ts.forEachChild(node, childHasEffects) === true;
}

/**
 * Syntactic facts about a subtree, kept across analyses: an incrementally parsed tree reuses
 * unchanged subtrees (the same nodes), so these are computed once per edit of the code they cover.
 */
const effectsOfSubtree = new WeakMap<ts.Node, boolean>();
const identifiersOfCondition = new WeakMap<ts.Node, ts.Identifier[]>();
const fieldsOfCondition = new WeakMap<ts.Node, ts.PropertyAccessExpression[]>();

/** Identifiers of a condition. */
export function conditionIdentifiers(expr: ts.Node): ts.Identifier[] {
  let ids = identifiersOfCondition.get(expr);
  if (!ids) identifiersOfCondition.set(expr, (ids = identifiersIn(expr)));
  return ids;
}

/** `x.y` reads of a condition: candidates for tracked fields. */
export function conditionPropertyAccesses(expr: ts.Node): ts.PropertyAccessExpression[] {
  let found = fieldsOfCondition.get(expr);
  if (!found) fieldsOfCondition.set(expr, (found = propertyAccessesIn(expr)));
  return found;
}

/** `x.y` inside an expression (not inside nested functions). */
function propertyAccessesIn(expr: ts.Node): ts.PropertyAccessExpression[] {
  const out: ts.PropertyAccessExpression[] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n)) out.push(n);
    if (!isFunctionBoundary(n)) ts.forEachChild(n, walk);
  };
  walk(expr);
  return out;
}

/** `3`, `-1`. */
export function isNumericLiteral(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isNumericLiteral(u) || (ts.isPrefixUnaryExpression(u) && ts.isNumericLiteral(unwrap(u.operand)));
}

/** True when evaluating the expression can change a state (calls, awaits, assignments). */
export function hasEffects(node: ts.Node): boolean {
  if (isEffectful(node)) return true;
  if (node.kind === SK.Identifier || node.kind === SK.NumericLiteral || node.kind === SK.StringLiteral) return false;
  let found = effectsOfSubtree.get(node);
  if (found === undefined) effectsOfSubtree.set(node, (found = !isFunctionBoundary(node) && subtreeHasEffects(node)));
  return found;
}
