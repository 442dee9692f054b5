// Statements over sets of abstract states: blocks, declarations, if, switch (with fall-through),
// loops to a fixpoint (with labels, break and continue), try, return. Runs a thread's function.
import ts from "typescript";
import { DRIVER_CONTEXT } from "../denotation";
import { bindName, ev, evStates, statesOf, test, withValue } from "./evaluate";
import { spreadElements } from "../arrays";
import type { Machine, Pair } from "../machine";
import { Completion, StateSet, type State } from "../state";
import { isLoop, type FunctionNode, type LoopStatement } from "../syntax";
import { UNDEFINED, valuesEqual } from "../values";

const SK = ts.SyntaxKind;

/** Loop-head states beyond which variables are forgotten (widening). */
const WIDEN_AT = 48;
/** Fixpoint rounds after which a loop gives up (never reached with the widening in place). */
const MAX_ROUNDS = 64;

/** Drops duplicate states (by key). */
function distinct(states: State[]): State[] {
  if (states.length <= 1) return states;
  const seen = new Set<string>();
  return states.filter((s) => {
    if (seen.has(s.key)) return false;
    seen.add(s.key);
    return true;
  });
}

export function execList(m: Machine, statements: readonly ts.Statement[], states: State[]): Completion {
  const out = new Completion();
  let current = states;
  for (const statement of statements) {
    if (current.length === 0) break;
    // Straight-line statements (most of a driver) need no completion record, and those that cannot
    // change any state (register access, logging, untracked locals) need no evaluation at all.
    if (m.isInert(statement)) continue;
    if (ts.isExpressionStatement(statement)) {
      m.tick();
      current = distinct(evStates(m, statement.expression, current));
      continue;
    }
    if (ts.isVariableStatement(statement)) {
      m.tick();
      current = distinct(execDeclarations(m, statement.declarationList, current));
      continue;
    }
    if (ts.isFunctionDeclaration(statement) || ts.isEmptyStatement(statement) || ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement))
      continue;
    const c = exec(m, statement, current, []);
    out.mergeJumps(c);
    current = c.normal.toArray();
  }
  out.normal.addAll(current);
  return out;
}

function leaveScope(m: Machine, scope: ts.Node, c: Completion): Completion {
  const ids = m.tracking.blockLocals(scope);
  return ids.length === 0 ? c : c.mapAll((s) => s.drop(ids));
}

export function exec(m: Machine, statement: ts.Statement, states: State[], labels: readonly string[]): Completion {
  m.tick();
  if (states.length === 0) return new Completion();
  switch (statement.kind) {
    case SK.Block:
      return leaveScope(m, statement, execList(m, (statement as ts.Block).statements, states));
    case SK.VariableStatement:
      return normal(execDeclarations(m, (statement as ts.VariableStatement).declarationList, states));
    case SK.ExpressionStatement:
      return normal(evStates(m, (statement as ts.ExpressionStatement).expression, states));
    case SK.IfStatement:
      return execIf(m, statement as ts.IfStatement, states);
    case SK.SwitchStatement:
      return execSwitch(m, statement as ts.SwitchStatement, states, labels);
    case SK.LabeledStatement: {
      const labeled = statement as ts.LabeledStatement;
      const inner = labeled.statement;
      const all = [...labels, labeled.label.text];
      if (isLoop(inner) || ts.isSwitchStatement(inner) || ts.isLabeledStatement(inner)) return exec(m, inner, states, all);
      const c = exec(m, inner, states, []);
      return consumeBreaks(c, all);
    }
    case SK.ReturnStatement:
      return execReturn(m, statement as ts.ReturnStatement, states);
    case SK.BreakStatement: {
      const c = new Completion();
      c.addBreak((statement as ts.BreakStatement).label?.text ?? "", states);
      return c;
    }
    case SK.ContinueStatement: {
      const c = new Completion();
      c.addContinue((statement as ts.ContinueStatement).label?.text ?? "", states);
      return c;
    }
    case SK.ThrowStatement:
      evStates(m, (statement as ts.ThrowStatement).expression, states);
      return new Completion();
    case SK.TryStatement:
      return execTry(m, statement as ts.TryStatement, states);
    case SK.WhileStatement:
    case SK.DoStatement:
    case SK.ForStatement:
    case SK.ForOfStatement:
    case SK.ForInStatement:
      return execLoop(m, statement as LoopStatement, states, labels);
    default:
      return normal(states);
  }
}

function normal(states: State[]): Completion {
  const c = new Completion();
  c.normal.addAll(states);
  return c;
}

/** Moves breaks aimed at these labels into the normal exit (a labeled block or statement). */
function consumeBreaks(c: Completion, labels: readonly string[]): Completion {
  if (!c.breaks) return c;
  for (const [label, set] of [...c.breaks]) {
    if (label !== "" && labels.includes(label)) {
      c.normal.addAll(set);
      c.breaks.delete(label);
    }
  }
  return c;
}

export function execDeclarations(m: Machine, list: ts.VariableDeclarationList, states: State[]): State[] {
  let current = states;
  for (const d of list.declarations) {
    const pairs: Pair[] = d.initializer ? ev(m, d.initializer, current) : withValue(current, UNDEFINED);
    current = bindName(m, d.name, d, pairs);
  }
  return current;
}

function execIf(m: Machine, statement: ts.IfStatement, states: State[]): Completion {
  const { t, f } = test(m, statement.expression, states);
  const c = exec(m, statement.thenStatement, t, []);
  if (statement.elseStatement) {
    const e = exec(m, statement.elseStatement, f, []);
    c.normal.addAll(e.normal);
    c.mergeJumps(e);
  } else {
    c.normal.addAll(f);
  }
  return c;
}

function execSwitch(m: Machine, statement: ts.SwitchStatement, states: State[], labels: readonly string[]): Completion {
  m.hooks.onTest(m, statement.expression, states);
  const pairs = ev(m, statement.expression, states);
  const clauses = statement.caseBlock.clauses;
  const entries: State[][] = clauses.map(() => []);
  const unmatched: State[] = [];
  const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
  const labelValues = m.caseValues(statement);
  for (const p of pairs) {
    let matched = false;
    let s = p.s;
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i]!;
      if (ts.isDefaultClause(clause)) continue;
      const eq = valuesEqual(p.v, labelValues[i] ?? m.valueOf(clause.expression, s), false);
      if (eq === true) {
        entries[i]!.push(s);
        matched = true;
        break;
      }
      if (eq === undefined) {
        if (!s.vague && m.dependsOnLostVariable(statement.expression, s)) s = s.withVague();
        entries[i]!.push(s);
      }
    }
    if (!matched) (defaultIndex >= 0 ? entries[defaultIndex]! : unmatched).push(s);
  }
  const out = new Completion();
  let fall: State[] = [];
  for (let i = 0; i < clauses.length; i++) {
    const input = fall.length === 0 ? entries[i]! : [...entries[i]!, ...fall];
    if (input.length === 0) {
      fall = [];
      continue;
    }
    const c = execList(m, clauses[i]!.statements, input);
    fall = c.normal.toArray();
    if (c.breaks) {
      for (const [label, set] of [...c.breaks]) {
        if (label === "" || labels.includes(label)) {
          out.normal.addAll(set);
          c.breaks.delete(label);
        }
      }
    }
    out.mergeJumps(c);
  }
  out.normal.addAll(fall);
  out.normal.addAll(unmatched);
  return leaveScope(m, statement.caseBlock, out);
}

function execLoop(m: Machine, loop: LoopStatement, states: State[], labels: readonly string[]): Completion {
  if (ts.isForOfStatement(loop)) {
    const unrolled = execForOfElements(m, loop, states, labels);
    if (unrolled !== undefined) return unrolled;
  }
  const out = new Completion();
  let entry = states;
  let headerScope: ts.Node | undefined;
  if (ts.isForStatement(loop)) {
    headerScope = loop;
    const init = loop.initializer;
    if (init) entry = ts.isVariableDeclarationList(init) ? execDeclarations(m, init, entry) : evStates(m, init, entry);
  } else if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
    headerScope = loop;
    entry = evStates(m, loop.expression, entry);
  }
  m.hooks.onLoop(m, loop);
  const headerIds = headerScope ? m.tracking.blockLocals(headerScope) : [];
  const seen = new StateSet();
  const exits = new StateSet();
  let pending = entry;
  for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
    // Widening: past WIDEN_AT head states, variables are forgotten (their tests become vague).
    const widened = seen.size + pending.length > WIDEN_AT ? pending.map((s) => (s.env.size === 0 ? s : s.withEnv(new Map()))) : pending;
    const fresh = widened.filter((s) => seen.add(s));
    if (fresh.length === 0) break;
    let body: State[];
    if (ts.isDoStatement(loop)) body = fresh;
    else if (ts.isWhileStatement(loop) || (ts.isForStatement(loop) && loop.condition)) {
      const cond = ts.isWhileStatement(loop) ? loop.expression : (loop as ts.ForStatement).condition!;
      const r = test(m, cond, fresh);
      exits.addAll(r.f);
      body = r.t;
    } else if (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) {
      exits.addAll(fresh);
      body = fresh.map((s) => s.drop(headerIds));
    } else body = fresh;
    const c = exec(m, loop.statement, body, []);
    let next = c.normal.toArray();
    if (c.continues) {
      for (const [label, set] of [...c.continues]) {
        if (label === "" || labels.includes(label)) {
          next = next.concat(set.toArray());
          c.continues.delete(label);
        }
      }
    }
    if (c.breaks) {
      for (const [label, set] of [...c.breaks]) {
        if (label === "" || labels.includes(label)) {
          exits.addAll(set);
          c.breaks.delete(label);
        }
      }
    }
    out.mergeJumps(c);
    if (ts.isForStatement(loop) && loop.incrementor) next = evStates(m, loop.incrementor, next);
    if (ts.isDoStatement(loop)) {
      const r = test(m, loop.expression, next);
      exits.addAll(r.f);
      pending = r.t;
    } else pending = next;
  }
  out.normal.addAll(headerIds.length === 0 ? exits : exits.mapStates((s) => s.drop(headerIds)));
  return out;
}

/** Elements of an array a `for...of` runs its body over one at a time, at most. */
const MAX_UNROLLED = 16;

/**
 * `for (const mb of [close, xmit])`, or of a `const` array written once and only spread or iterated
 * (see arrays.ts), when some element denotes something (a mailbox): the body runs once per element,
 * in order, with the loop variable denoting that element. Undefined for any other `for...of`, which
 * runs as a loop with the variable unknown.
 */
function execForOfElements(m: Machine, loop: ts.ForOfStatement, states: State[], labels: readonly string[]): Completion | undefined {
  const list = loop.initializer;
  // A `const` variable: nothing in the body can make it denote something else.
  if (loop.awaitModifier !== undefined || !ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return undefined;
  if (list.declarations.length !== 1) return undefined;
  const variable = list.declarations[0]!;
  if (!ts.isIdentifier(variable.name)) return undefined;
  const elements = spreadElements(loop.expression);
  if (elements === undefined || elements.length === 0 || elements.length > MAX_UNROLLED) return undefined;
  const denotations = elements.map((e) => m.den.of(e));
  if (denotations.every((den) => den === undefined)) return undefined;
  m.hooks.onLoop(m, loop);
  const headerIds = m.tracking.blockLocals(loop);
  const out = new Completion();
  const exits = new StateSet();
  let current = evStates(m, loop.expression, states);
  for (const den of denotations) {
    if (current.length === 0) break;
    const entry = current.map((s) => s.drop(headerIds));
    const c = m.den.within([[variable, den]], [], () => exec(m, loop.statement, entry, []));
    current = c.normal.toArray();
    for (const [label, set] of [...(c.continues ?? [])]) {
      if (label !== "" && !labels.includes(label)) continue;
      current = current.concat(set.toArray());
      c.continues!.delete(label);
    }
    for (const [label, set] of [...(c.breaks ?? [])]) {
      if (label !== "" && !labels.includes(label)) continue;
      exits.addAll(set);
      c.breaks!.delete(label);
    }
    out.mergeJumps(c);
  }
  exits.addAll(current);
  out.normal.addAll(headerIds.length === 0 ? exits : exits.mapStates((s) => s.drop(headerIds)));
  return out;
}

function execTry(m: Machine, statement: ts.TryStatement, states: State[]): Completion {
  const attempt = exec(m, statement.tryBlock, states, []);
  let left = attempt;
  let after = attempt.normal.toArray();
  if (statement.catchClause) {
    const ids = m.tracking.blockLocals(statement.catchClause);
    const input = StateSet.of([...states, ...after].map((s) => s.drop(ids))).toArray();
    const caught = exec(m, statement.catchClause.block, input, []);
    left = new Completion();
    left.mergeJumps(attempt);
    left.mergeJumps(caught);
    after = after.concat(caught.normal.toArray());
  }
  const out = new Completion();
  if (statement.finallyBlock) {
    // `finally` runs on every way out: the fall-through and each break, continue and return that
    // leaves the try (or catch) goes on from where the finally block ends normally.
    const fin = statement.finallyBlock;
    const through = (set: StateSet | State[]): { normal: State[]; jumps: Completion } => {
      const c = exec(m, fin, Array.isArray(set) ? StateSet.of(set).toArray() : set.toArray(), []);
      return { normal: c.normal.toArray(), jumps: c };
    };
    const fallThrough = through(after);
    out.mergeJumps(fallThrough.jumps);
    after = fallThrough.normal;
    if (left.breaks) {
      for (const [label, set] of left.breaks) {
        const r = through(set);
        out.mergeJumps(r.jumps);
        out.addBreak(label, r.normal);
      }
    }
    if (left.continues) {
      for (const [label, set] of left.continues) {
        const r = through(set);
        out.mergeJumps(r.jumps);
        out.addContinue(label, r.normal);
      }
    }
    if (left.returns) {
      const r = through(left.returns);
      out.mergeJumps(r.jumps);
      out.addReturn(r.normal);
    }
  } else {
    out.mergeJumps(left);
  }
  out.normal.addAll(after);
  return out;
}

/**
 * The states in which a `return` ends the thread: after every `finally` between it and the
 * function's body (innermost first); none when a finally jumps elsewhere.
 */
function afterFinallies(m: Machine, statement: ts.ReturnStatement, states: State[]): State[] {
  let current = states;
  let child: ts.Node = statement;
  for (let n = statement.parent; n !== undefined && !ts.isFunctionLike(n) && current.length > 0; child = n, n = n.parent) {
    if (ts.isTryStatement(n) && n.finallyBlock !== undefined && child !== n.finallyBlock) current = exec(m, n.finallyBlock, current, []).normal.toArray();
  }
  return current;
}

function execReturn(m: Machine, statement: ts.ReturnStatement, states: State[]): Completion {
  const pairs = statement.expression ? ev(m, statement.expression, states) : withValue(states, UNDEFINED);
  if (m.stack.length === 0) noteEnd(m, statement, afterFinallies(m, statement, statesOf(pairs)), true);
  const c = new Completion();
  c.addReturn(pairs.map((p) => p.s.withRet(p.v)));
  return c;
}

/** A thread ends here (a `return` of its function, or the end of its body) in these states. */
function noteEnd(m: Machine, node: ts.Node, states: readonly State[], isReturn: boolean): void {
  const rec = m.records.end(node, m.thread.name, isReturn);
  for (const a of m.anchorsFor(node)) rec.anchors.add(a);
  m.hooks.onThreadEnd(m, rec, states);
}

/** Runs a function body: the normal end states and the (state, returned value) pairs. */
export function runBody(m: Machine, fn: FunctionNode, entry: State[]): { normal: State[]; values: Pair[] } {
  m.executed.add(fn);
  const body = fn.body;
  if (!body) return { normal: entry, values: withValue(entry, UNDEFINED) };
  if (ts.isBlock(body)) {
    const c = leaveScope(m, body, execList(m, body.statements, entry));
    const normalStates = c.normal.toArray();
    const values = withValue(normalStates, UNDEFINED);
    if (c.returns) for (const s of c.returns.values()) values.push({ s: s.withRet(undefined), v: s.ret });
    return { normal: normalStates, values };
  }
  const pairs = ev(m, body, entry);
  return { normal: statesOf(pairs), values: pairs };
}

/** Runs a thread's function from its entry states; its first parameter is the driver context. */
export function runThread(m: Machine, fn: FunctionNode, entry: State[]): void {
  const first = fn.parameters[0];
  if (first) m.den.bindParameter(first, DRIVER_CONTEXT);
  const start = StateSet.of(entry.flatMap((s) => m.closure(s))).toArray();
  const { normal: end } = runBody(m, fn, start);
  noteEnd(m, fn.body ?? fn, end, false);
}
