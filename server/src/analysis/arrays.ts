// Arrays of mailboxes written once and only spread or iterated: `const openSet = [close, xmit];
// await d.wait(...openSet)` waits on close and xmit. Any other use of the array (a push, an index
// assignment, handing it to a function) may change it, and then its elements cannot be told.
import ts from "typescript";
import { resolveLocal } from "./fileIndex";
import { unwrap } from "./syntax";

/** Arrays nested in arrays looked into at most. */
const MAX_DEPTH = 4;

const onlyReadWhole = new WeakMap<ts.VariableDeclaration, boolean>();

/** True when every use of the array is a spread (`...a`) or the iterable of a `for...of`. */
function neverChanged(decl: ts.VariableDeclaration): boolean {
  let known = onlyReadWhole.get(decl);
  if (known !== undefined) return known;
  known = true;
  const name = decl.name as ts.Identifier;
  const walk = (n: ts.Node): void => {
    if (!known) return;
    if (ts.isIdentifier(n) && n !== name && n.text === name.text && resolveLocal(n) === decl) {
      let use: ts.Node = n;
      while (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent) || ts.isNonNullExpression(use.parent)) use = use.parent;
      const parent = use.parent;
      if (!(ts.isSpreadElement(parent) || (ts.isForOfStatement(parent) && parent.expression === use))) known = false;
    }
    ts.forEachChild(n, walk);
  };
  walk(decl.getSourceFile());
  onlyReadWhole.set(decl, known);
  return known;
}

/** The elements `...expr` spreads, when `expr` is such an array (spreads inside it expanded too). */
export function spreadElements(expr: ts.Expression, depth = 0): ts.Expression[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const e = unwrap(expr);
  let literal: ts.ArrayLiteralExpression | undefined;
  if (ts.isArrayLiteralExpression(e)) literal = e;
  else if (ts.isIdentifier(e)) {
    const decl = resolveLocal(e);
    if (decl === undefined || !ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name) || (decl.parent.flags & ts.NodeFlags.Const) === 0)
      return undefined;
    const init = decl.initializer === undefined ? undefined : unwrap(decl.initializer);
    if (init === undefined || !ts.isArrayLiteralExpression(init) || !neverChanged(decl)) return undefined;
    literal = init;
  }
  if (literal === undefined) return undefined;
  const out: ts.Expression[] = [];
  for (const element of literal.elements) {
    if (ts.isOmittedExpression(element)) return undefined;
    if (ts.isSpreadElement(element)) {
      const inner = spreadElements(element.expression, depth + 1);
      if (inner === undefined) return undefined;
      out.push(...inner);
    } else out.push(element);
  }
  return out;
}
