// AD013: an await in active driver code of something other than wait, sleep or an analysable
// driver helper (an async function, or one that returns such a promise).
import ts from "typescript";
import { passesCapability } from "../capability";
import { driverApi } from "../denotation";
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import type { Machine } from "../machine";
import { diagnostic, place } from "../report";
import { calleeName, isAsync, propertyNameText, unwrap, type CallSite, type FunctionNode } from "../syntax";
import { shortText } from "../text";

function listen({ machine: m }: ActiveContext): ActiveListener {
  const verdicts = new Map<ts.AwaitExpression, boolean>();
  /** Foreign awaits, with the analysed-file calls that reach them. */
  const found = new Map<ts.AwaitExpression, Set<CallSite>>();
  return {
    onAwait(m, node) {
      let foreign = verdicts.get(node);
      if (foreign === undefined) verdicts.set(node, (foreign = isForeignAwait(m, node)));
      if (!foreign) return;
      let anchors = found.get(node);
      if (!anchors) found.set(node, (anchors = new Set()));
      for (const a of m.anchorsFor(node)) anchors.add(a);
    },
    report() {
      return [...found].flatMap(([node, anchors]) => {
        const awaited = awaitedText(node.expression);
        return place(m.root, node, anchors, (at) => diagnostic(rule, at, foreignAwaitText(awaited), { data: { kind: "foreignAwait", awaited } }));
      });
    },
  };
}

function isForeignAwait(m: Machine, node: ts.AwaitExpression): boolean {
  return !isDriverAwaitable(m, node.expression, 0);
}

function isDriverAwaitable(m: Machine, expr: ts.Expression, depth: number): boolean {
  if (depth > 4) return true; // cannot tell: stay silent
  const e = unwrap(expr);
  if (ts.isCallExpression(e)) {
    const den = m.den.of(e.expression);
    if (den === driverApi.wait || den === driverApi.sleep) return true;
    if (den !== undefined) return false;
    const fn = m.den.callTarget(e.expression)?.fn;
    if (fn) return isAsync(fn) || returnsDriverPromises(m, fn, depth);
    if (tableOfHelpers(m, e.expression, depth)) return true;
    const name = calleeName(e);
    // A `wait`/`sleep`, or a call that hands the driver to code the analysis cannot follow: it
    // cannot tell, so it is not evidence of a foreign await.
    return name === "wait" || name === "sleep" || passesCapability(m, e);
  }
  if (ts.isIdentifier(e)) {
    const decl = m.variableOf(e);
    return decl !== undefined && ts.isVariableDeclaration(decl) && decl.initializer !== undefined && isDriverAwaitable(m, decl.initializer, depth + 1);
  }
  return false;
}

/** `handlers[r.name](...)` over a table whose every entry is an analysable helper (whichever runs). */
function tableOfHelpers(m: Machine, callee: ts.Expression, depth: number): boolean {
  const e = unwrap(callee);
  if (!ts.isElementAccessExpression(e)) return false;
  const base = m.den.of(e.expression);
  const literal = base === undefined ? undefined : m.den.objectLiteral(base);
  if (base === undefined || literal === undefined || literal.properties.length === 0) return false;
  return literal.properties.every((p) => {
    const name = p.name ? propertyNameText(p.name) : undefined;
    const fn = name === undefined ? undefined : m.den.memberFunction(base, name)?.fn;
    return fn !== undefined && (isAsync(fn) || returnsDriverPromises(m, fn, depth + 1));
  });
}

/** A non-async helper: fine when everything it returns is a driver promise or a plain value. */
function returnsDriverPromises(m: Machine, fn: FunctionNode, depth: number): boolean {
  const harmless = (expr: ts.Expression | undefined): boolean => {
    if (!expr) return true;
    const e = unwrap(expr);
    if (ts.isNewExpression(e)) return false;
    if (ts.isCallExpression(e)) return isDriverAwaitable(m, e, depth + 1);
    return true;
  };
  const body = fn.body;
  if (!body) return true;
  if (!ts.isBlock(body)) return harmless(body);
  let ok = true;
  const walk = (n: ts.Node): void => {
    if (!ok || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && !harmless(n.expression)) ok = false;
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(body, walk);
  return ok;
}

/** `new Promise(...)`, `fetch(...)`, `p`: what an await waits for, in a few words. */
function awaitedText(expr: ts.Expression): string {
  const e = unwrap(expr);
  if (ts.isCallExpression(e) || ts.isNewExpression(e)) return `${ts.isNewExpression(e) ? "new " : ""}${shortText(e.expression, 30)}(...)`;
  return shortText(e, 30);
}

export const rule: Rule = {
  code: "AD013",
  severity: "warning",
  name: "ForeignAwait",
  title: "Active driver code awaits something other than wait, sleep or an analysable driver helper.",
  help: "Only `wait` and `sleep` yield in a cooperative domain; awaiting a timer, an I/O promise or any other foreign promise lets other threads run in the middle of a handler. Use `d.sleep(ms)` or wait on a mailbox.",
  active: listen,
};

/** AD013. */
export function foreignAwaitText(awaited: string): string {
  return `awaiting '${awaited}' is not a wait, a sleep or an analysable driver helper: other threads of the domain can run in the middle of this handler`;
}
