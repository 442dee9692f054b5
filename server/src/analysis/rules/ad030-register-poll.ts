// AD030: a loop whose every exit depends only on device register reads (and constants), with no
// counter or timeout: an unplugged device reads all ones and the loop never ends. A loop that waits
// for a message on every iteration is not one: the OS bounds it. A read may be
// made through a helper function or method (`hw.resetPending()`, `this.isGone()`): a call counts
// as a register read when everything the helper returns is made of register reads and constants.
import ts from "typescript";
import { driverApi, type Denotation, type Denotations } from "../denotation";
import { diagnostic, place } from "../report";
import { spanRange } from "../text";
import type { ActiveContext, ActiveListener, PassiveContext, PassiveListener, Rule } from "../listeners";
import type { AnalysisDiagnostic } from "../types";
import { fileIndex, resolveLocal } from "../fileIndex";
import { isConstDeclaration } from "../scope";
import { isLoop, unwrap, type CallSite, type FunctionNode, type LoopStatement } from "../syntax";
import { forEachReachedNode } from "../passive/walker";
import type { StaticValues } from "../values";

const SK = ts.SyntaxKind;

/** A function a call (or a getter's property access) runs. */
type PollFunction = FunctionNode | ts.GetAccessorDeclaration;

/** A helper a call runs, with a way to look at it as that call binds it (parameters, `this`). */
export interface PollHelper {
  fn: PollFunction;
  within<T>(check: () => T): T;
}

export interface PollContext {
  isRead(call: ts.CallExpression): boolean;
  /** A mailbox wait (`d.wait(...)`): the OS, not the device, decides when it returns. */
  isWait?(call: ts.CallExpression): boolean;
  isConstant(expr: ts.Expression): boolean;
  helper?(call: ts.CallExpression): PollHelper | undefined;
  /** The getter `obj.name` runs, when `obj` is an object the analysis made (`get up() {...}`). */
  getter?(access: ts.PropertyAccessExpression): PollHelper | undefined;
}

/** Helpers nested in helpers looked into at most (deeper: not a read, so no finding). */
const MAX_HELPER_DEPTH = 4;

/** What the active and the passive analysis know: register reads, constants, and helpers through the denotations. */
function pollContext(den: Denotations, values: StaticValues): PollContext {
  return {
    isRead: (call) => den.of(call.expression) === driverApi.read,
    isWait: (call) => den.of(call.expression) === driverApi.wait,
    isConstant: (expr) => values.of(expr) !== undefined,
    helper: (call) => {
      const target = den.callTarget(call.expression);
      if (!target) return undefined;
      const params = target.fn.parameters.map((p, i): [ts.Node, Denotation | undefined] => {
        const arg = call.arguments[i];
        return [p, arg && !ts.isSpreadElement(arg) ? den.of(arg) : undefined];
      });
      const selves: Array<[ts.Node, Denotation | undefined]> = target.owner !== undefined && target.self !== undefined ? [[target.owner, target.self]] : [];
      return { fn: target.fn, within: (check) => den.within(params, selves, check) };
    },
    getter: (access) => {
      const base = den.of(access.expression);
      const target = base === undefined ? undefined : den.instances.getter(base, access.name.text);
      if (!target) return undefined;
      return { fn: target.fn, within: (check) => den.within([], [[target.fn, target.self]], check) };
    },
  };
}

/** Active drivers: each loop the interpreter runs (in the analysed file or in helpers), its verdict computed once. */
function listenActive({ machine: m }: ActiveContext): ActiveListener {
  const verdicts = new Map<ts.Node, boolean>();
  /** Register-polling loops, with the analysed-file calls that reach them. */
  const found = new Map<ts.Node, Set<CallSite>>();
  return {
    onLoop(m, loop) {
      let verdict = verdicts.get(loop);
      if (verdict === undefined) verdicts.set(loop, (verdict = isRegisterPoll(loop, pollContext(m.den, m.values))));
      if (!verdict) return;
      let anchors = found.get(loop);
      if (!anchors) found.set(loop, (anchors = new Set()));
      for (const a of m.anchorsFor(loop)) anchors.add(a);
    },
    report() {
      return [...found].flatMap(([loop, anchors]) => place(m.root, loop, anchors, (at) => pollLoopDiagnostic(loop, at)));
    },
  };
}

/** Passive drivers: each loop of an entry point's control flow, once however many entry points reach it. */
function listenPassive({ den, values }: PassiveContext): PassiveListener {
  const seen = new Set<ts.Node>();
  const out: AnalysisDiagnostic[] = [];
  const context = pollContext(den, values);
  return {
    onEntryPoint(entry) {
      forEachReachedNode(entry, (node) => {
        if (!isLoop(node) || seen.has(node)) return;
        seen.add(node);
        if (isRegisterPoll(node, context)) out.push(pollLoopDiagnostic(node, node));
      });
    },
    report: () => out,
  };
}

/** Where names are looked up: the loop, or a helper's body (with the call that reached it). */
interface Scope {
  /** A variable declared inside must be given register reads only. */
  node: ts.Node;
  /** A helper's parameters -> the call's arguments (read in the caller's scope). */
  args?: Map<ts.Node, ts.Expression | undefined>;
  caller?: Scope;
  fn?: PollFunction;
  depth: number;
}

/** Names that stay put: imports, enums, classes and functions (`Cmd.Reset`, `Reg.IntrStatus`). */
function isFixedName(decl: ts.Node): boolean {
  return (
    ts.isImportSpecifier(decl) ||
    ts.isImportClause(decl) ||
    ts.isNamespaceImport(decl) ||
    ts.isEnumDeclaration(decl) ||
    ts.isClassDeclaration(decl) ||
    ts.isFunctionDeclaration(decl)
  );
}

/** What a helper returns (undefined when some path returns nothing: not a read). */
function returnedExpressions(fn: PollFunction): ts.Expression[] | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  let bare = false;
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression) out.push(n.expression);
      else bare = true;
    }
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(body, walk);
  return bare || out.length === 0 ? undefined : out;
}

/** A call of `wait` in `node`, outside nested functions. */
function containsWait(node: ts.Node, ctx: PollContext): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isCallExpression(n) && ctx.isWait!(n)) found = true;
    else ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

function containsContinue(node: ts.Node): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isContinueStatement(n)) found = true;
    else ts.forEachChild(n, walk);
  };
  walk(node);
  return found;
}

/**
 * True when every iteration of the loop reaches a mailbox wait: one in the body's straight-line
 * statements (through blocks, `try` blocks and labels), before anything that could continue the
 * loop without it. Such a loop is bounded by the OS (a message ends the wait), not by the device.
 * A sleep is no such bound: a dead device sleeps forever, one tick at a time.
 */
function waitsEveryIteration(loop: LoopStatement, ctx: PollContext): boolean {
  if (!ctx.isWait) return false;
  const straight = (statement: ts.Statement): "waits" | "stop" | "on" => {
    if (ts.isBlock(statement)) {
      for (const s of statement.statements) {
        const r = straight(s);
        if (r !== "on") return r;
      }
      return "on";
    }
    if (ts.isLabeledStatement(statement) && ts.isBlock(statement.statement)) return straight(statement.statement);
    if (ts.isTryStatement(statement)) return straight(statement.tryBlock);
    if (ts.isExpressionStatement(statement) || ts.isVariableStatement(statement)) return containsWait(statement, ctx) ? "waits" : "on";
    return containsContinue(statement) ? "stop" : "on";
  };
  return straight(loop.statement) === "waits";
}

function isRegisterPoll(loop: LoopStatement, ctx: PollContext): boolean {
  if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) return false;
  const exits = fileIndex(loop.getSourceFile()).loopExits.get(loop);
  if (!exits || exits.unconditional || exits.tests.length === 0) return false;
  let hasRead = false;
  const visiting = new Set<ts.Node>();

  const variableOnlyRegisters = (decl: ts.Node, scope: Scope): boolean => {
    if (visiting.has(decl)) return true;
    visiting.add(decl);
    const inside = decl.pos >= scope.node.pos && decl.end <= scope.node.end;
    if (inside) {
      if (!ts.isVariableDeclaration(decl) || !decl.initializer || !only(decl.initializer, scope)) return false;
    } else if (scope.fn !== undefined) {
      // Outside a helper a variable may change between calls: only constants are fixed.
      return (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) && isConstDeclaration(decl);
    }
    let ok = true;
    const walk = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= SK.FirstAssignment && n.operatorToken.kind <= SK.LastAssignment) {
        const left = unwrap(n.left);
        if (ts.isIdentifier(left) && resolveLocal(left) === decl) ok = n.operatorToken.kind === SK.EqualsToken && only(n.right, scope);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && ts.isIdentifier(unwrap(n.operand))) {
        if (resolveLocal(unwrap(n.operand) as ts.Identifier) === decl && (n.operator === SK.PlusPlusToken || n.operator === SK.MinusMinusToken)) ok = false;
      }
      ts.forEachChild(n, walk);
    };
    walk(scope.node);
    return ok;
  };

  /** A call of a helper (or a getter) whose every returned value is made of register reads and constants. */
  const helperReads = (call: ts.CallExpression | ts.PropertyAccessExpression, scope: Scope): boolean => {
    if (scope.depth >= MAX_HELPER_DEPTH) return false;
    const helper = ts.isCallExpression(call) ? ctx.helper?.(call) : ctx.getter?.(call);
    if (!helper) return false;
    for (let s: Scope | undefined = scope; s; s = s.caller) if (s.fn === helper.fn) return false;
    const returned = returnedExpressions(helper.fn);
    if (!returned || !helper.fn.body) return false;
    const args = new Map<ts.Node, ts.Expression | undefined>();
    helper.fn.parameters.forEach((p, i) => {
      const arg = ts.isCallExpression(call) ? call.arguments[i] : undefined;
      args.set(p, arg && !ts.isSpreadElement(arg) ? arg : undefined);
    });
    const inner: Scope = { node: helper.fn.body, args, caller: scope, fn: helper.fn, depth: scope.depth + 1 };
    // A helper that returns constants only is no read: it must read a register itself.
    const outer = hasRead;
    hasRead = false;
    const ok = helper.within(() => returned.every((r) => only(r, inner)));
    const read = hasRead;
    hasRead = outer;
    return ok && read;
  };

  const only = (expr: ts.Node, scope: Scope): boolean => {
    if (ts.isCallExpression(expr)) {
      if (!ctx.isRead(expr) && !helperReads(expr, scope)) return false;
      hasRead = true;
      return true;
    }
    if (ts.isIdentifier(expr)) {
      if (ctx.isConstant(expr)) return true;
      const decl = resolveLocal(expr);
      if (!decl) return false;
      if (isFixedName(decl)) return true;
      if (ts.isParameter(decl) && scope.args?.has(decl)) {
        const arg = scope.args.get(decl);
        return arg !== undefined && scope.caller !== undefined && only(arg, scope.caller);
      }
      return (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl)) && variableOnlyRegisters(decl, scope);
    }
    if (ts.isPropertyAccessExpression(expr)) {
      if (ctx.isConstant(expr)) return true;
      if (ctx.getter?.(expr) !== undefined) {
        if (!helperReads(expr, scope)) return false;
        hasRead = true;
        return true;
      }
      return only(expr.expression, scope);
    }
    if (
      ts.isNumericLiteral(expr) ||
      ts.isStringLiteralLike(expr) ||
      expr.kind === SK.TrueKeyword ||
      expr.kind === SK.FalseKeyword ||
      expr.kind === SK.NullKeyword
    ) {
      return true;
    }
    if (
      ts.isBinaryExpression(expr) ||
      ts.isPrefixUnaryExpression(expr) ||
      ts.isParenthesizedExpression(expr) ||
      ts.isConditionalExpression(expr) ||
      ts.isElementAccessExpression(expr) ||
      ts.isAsExpression(expr) ||
      ts.isNonNullExpression(expr)
    ) {
      let ok = true;
      ts.forEachChild(expr, (c) => {
        if (ok && !isPunctuation(c) && !ts.isTypeNode(c)) ok = only(c, scope);
      });
      return ok;
    }
    return false;
  };

  const loopScope: Scope = { node: loop, depth: 0 };
  for (const t of exits.tests) if (!only(t, loopScope)) return false;
  // Last, as the dearest check: only a loop whose exits are register reads gets here.
  return hasRead && !waitsEveryIteration(loop, ctx);
}

function isPunctuation(n: ts.Node): boolean {
  return n.kind >= SK.FirstPunctuation && n.kind <= SK.LastPunctuation;
}

/** The `while`/`do`/`for` keyword of a loop: [start, end) offsets. */
function loopKeywordSpan(loop: ts.Node): [number, number] {
  const start = loop.getStart();
  const word = ts.isDoStatement(loop) ? 2 : ts.isWhileStatement(loop) ? 5 : 3;
  return [start, start + word];
}

/** An AD030 finding on a loop, reported at `at` (the loop's keyword, or a call that reaches it from the analysed file). */
function pollLoopDiagnostic(loop: ts.Node, at: ts.Node): AnalysisDiagnostic {
  const [start, end] = loopKeywordSpan(loop);
  return diagnostic(rule, at, registerPollText(), {
    ...(at === loop ? { range: spanRange(loop.getSourceFile(), start, end) } : {}),
    data: { kind: "registerPoll" },
  });
}

export const rule: Rule = {
  code: "AD030",
  severity: "warning",
  name: "UnboundedRegisterPoll",
  title: "A loop whose exit depends only on device register reads, with no bound.",
  help: "A dead or unplugged device (reads return all ones) never changes the register, and the loop never ends. Bound the loop with a counter or a timeout, or wait for the device's interrupt.",
  active: listenActive,
  passive: listenPassive,
};

/** AD030. */
export function registerPollText(): string {
  return "this loop ends only when a device register changes and has no bound: a dead or unplugged device (reads all ones) hangs it";
}
