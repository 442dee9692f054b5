// AD012: in an active driver, a flag set in one message's handler and tested in another message's
// handler after a later wait. Handlers are found in the syntax (`if (r.mb === open)`, `case "open":`,
// `if (r.mb !== open) continue;`); whether a test comes before the next wait (a state variable, not
// a flag) is learned by the interpreter through a "written since the last wait" bit.
import ts from "typescript";
import { mailboxKey, type Denotations } from "../denotation";
import { isUnknownMailbox, mailboxName } from "../mailboxKeys";
import { fileIndex, resolveLocal } from "../fileIndex";
import type { Declaration } from "../scope";
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import type { Machine } from "../machine";
import { diagnostic } from "../report";
import { equalityOf, unwrap, type FunctionNode } from "../syntax";
import { listText } from "../text";
import type { AnalysisDiagnostic } from "../types";

const SK = ts.SyntaxKind;

export interface FlagCandidate {
  decl: ts.VariableDeclaration;
  setIn: Set<string>;
  testedIn: Set<string>;
}

interface WaitAccess {
  call: ts.CallExpression;
  prop: "mb" | "name";
}

/** `r.mb` / `r.name` of a wait result, or a `{ mb }` / `{ name }` destructured from one. */
function waitAccess(expr: ts.Expression, den: Denotations): WaitAccess | undefined {
  const e = unwrap(expr);
  if (ts.isPropertyAccessExpression(e) && (e.name.text === "mb" || e.name.text === "name")) {
    const base = unwrap(e.expression);
    const decl = ts.isIdentifier(base) ? resolveLocal(base) : undefined;
    const call = decl && ts.isVariableDeclaration(decl) ? den.waitCallOf(decl) : undefined;
    return call ? { call, prop: e.name.text } : undefined;
  }
  if (ts.isIdentifier(e)) {
    const decl = resolveLocal(e);
    if (!decl || !ts.isBindingElement(decl)) return undefined;
    const prop = (decl.propertyName ?? decl.name).getText();
    if (prop !== "mb" && prop !== "name") return undefined;
    const call = den.waitCallOf(decl);
    return call ? { call, prop } : undefined;
  }
  return undefined;
}

/** Names of the mailboxes a wait call includes; undefined when one cannot be told. */
function waitNames(call: ts.CallExpression, den: Denotations): string[] | undefined {
  const names: string[] = [];
  for (const a of call.arguments) {
    const key = ts.isSpreadElement(a) ? undefined : mailboxKey(den.of(a));
    if (key === undefined || isUnknownMailbox(key)) return undefined;
    names.push(mailboxName(key));
  }
  return names;
}

function labelName(label: ts.Expression, access: WaitAccess, den: Denotations): string | undefined {
  const e = unwrap(label);
  if (access.prop === "name") return ts.isStringLiteralLike(e) ? e.text : undefined;
  const key = mailboxKey(den.of(e));
  return key === undefined || isUnknownMailbox(key) ? undefined : mailboxName(key);
}

/** Messages whose handler a branch is, when `cond` evaluates to `truth`. */
function messagesWhen(cond: ts.Expression, truth: boolean, den: Denotations): Set<string> | undefined {
  const e = unwrap(cond);
  if (ts.isPrefixUnaryExpression(e) && e.operator === SK.ExclamationToken) return messagesWhen(e.operand, !truth, den);
  if (!ts.isBinaryExpression(e)) return undefined;
  if (e.operatorToken.kind === SK.BarBarToken && truth) {
    const a = messagesWhen(e.left, true, den);
    const b = messagesWhen(e.right, true, den);
    return a && b ? new Set([...a, ...b]) : undefined;
  }
  const eq = equalityOf(e.operatorToken.kind);
  if (!eq) return undefined;
  let access = waitAccess(e.left, den);
  let other = e.right;
  if (!access) {
    access = waitAccess(e.right, den);
    other = e.left;
  }
  if (!access) return undefined;
  const name = labelName(other, access, den);
  if (name === undefined) return undefined;
  if ((eq === "eq") === truth) return new Set([name]);
  const all = waitNames(access.call, den);
  return all ? new Set(all.filter((n) => n !== name)) : undefined;
}

function caseMessages(clause: ts.CaseClause, den: Denotations): Set<string> | undefined {
  const sw = clause.parent.parent;
  const access = waitAccess(sw.expression, den);
  if (!access) return undefined;
  const names = new Set<string>();
  const clauses = sw.caseBlock.clauses;
  // Empty clauses just above fall through into this one.
  for (let i = clauses.indexOf(clause); i >= 0; i--) {
    const c = clauses[i]!;
    if (c !== clause && c.statements.length > 0) break;
    if (!ts.isCaseClause(c)) return undefined;
    const name = labelName(c.expression, access, den);
    if (name === undefined) return undefined;
    names.add(name);
  }
  return names;
}

function isJump(s: ts.Statement): boolean {
  if (ts.isBlock(s)) return s.statements.length === 1 && isJump(s.statements[0]!);
  return ts.isContinueStatement(s) || ts.isReturnStatement(s) || ts.isBreakStatement(s) || ts.isThrowStatement(s);
}

/** `r.mb`/`r.name` tested by a handler condition: the wait call it comes from. */
function conditionWait(cond: ts.Expression, den: Denotations): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isExpression(n)) {
      const access = waitAccess(n, den);
      if (access) {
        found = access.call;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(cond);
  return found;
}

/**
 * The messages whose handler `node` lies in: the innermost wait's handler conditions around it,
 * intersected (`else if (r.mb === close)` inside `if (r.mb === open) ... else` is close's alone).
 */
function handlerOf(node: ts.Node, den: Denotations): Set<string> | undefined {
  let wait: ts.CallExpression | undefined;
  let result: Set<string> | undefined;
  const meet = (h: Set<string> | undefined, cond: ts.Expression): void => {
    if (!h) return;
    const call = conditionWait(cond, den);
    if (wait === undefined) wait = call;
    else if (call !== wait) return;
    result = result ? new Set([...result].filter((x) => h.has(x))) : h;
  };
  let child: ts.Node = node;
  for (let n: ts.Node | undefined = node.parent; n !== undefined && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isFunctionLike(n)) break;
    if (ts.isBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      const statements = n.statements;
      const index = statements.indexOf(child as ts.Statement);
      for (let i = index - 1; i >= 0; i--) {
        const s = statements[i]!;
        if (ts.isIfStatement(s) && !s.elseStatement && isJump(s.thenStatement)) meet(messagesWhen(s.expression, false, den), s.expression);
      }
      if (ts.isCaseClause(n) && child !== n.expression) meet(caseMessages(n, den), n.parent.parent.expression);
    } else if (ts.isIfStatement(n) && child !== n.expression) {
      meet(messagesWhen(n.expression, child === n.thenStatement, den), n.expression);
    }
  }
  return result;
}

/** Variables of the driver function that look like flags, before the interpreter rules out state variables. */
function findFlagCandidates(main: FunctionNode, den: Denotations): Map<Declaration, FlagCandidate> {
  const index = fileIndex(main.getSourceFile());
  const inMain = (n: ts.Node): boolean => n.pos >= main.pos && n.end <= main.end;
  const local = (id: ts.Identifier): ts.VariableDeclaration | undefined => {
    const d = resolveLocal(id);
    if (!d || !ts.isVariableDeclaration(d) || !inMain(d)) return undefined;
    const list = d.parent;
    return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) === 0 ? d : undefined;
  };
  const add = (map: Map<Declaration, ts.Node[]>, d: Declaration, n: ts.Node): void => {
    const list = map.get(d);
    if (list) list.push(n);
    else map.set(d, [n]);
  };
  const testedNames = new Set(index.conditionIdentifiers.filter(inMain).map((id) => id.text));
  const writes = new Map<Declaration, ts.Node[]>();
  for (const { target, node } of index.assignments) {
    if (!testedNames.has(target.text) || !inMain(node)) continue;
    const d = local(target);
    if (d) add(writes, d, node);
  }
  const candidates = new Map<Declaration, FlagCandidate>();
  if (writes.size === 0) return candidates;
  const tests = new Map<Declaration, ts.Node[]>();
  for (const id of index.conditionIdentifiers) {
    if (!writes.has(resolveLocal(id) as Declaration) || !inMain(id)) continue;
    add(tests, resolveLocal(id)!, id);
  }
  for (const [decl, ws] of writes) {
    const testNodes = tests.get(decl);
    if (!testNodes) continue;
    const setHandlers = ws.map((w) => handlerOf(w, den)).filter((h): h is Set<string> => h !== undefined);
    const testHandlers = testNodes.map((t) => handlerOf(t, den)).filter((h): h is Set<string> => h !== undefined);
    const setIn = new Set<string>();
    const testedIn = new Set<string>();
    for (const h1 of setHandlers) {
      for (const h2 of testHandlers) {
        if ([...h1].some((x) => h2.has(x))) continue;
        for (const x of h1) setIn.add(x);
        for (const x of h2) testedIn.add(x);
      }
    }
    if (setIn.size > 0) candidates.set(decl, { decl: decl as ts.VariableDeclaration, setIn, testedIn });
  }
  return candidates;
}

/** The executed function a declaration lives in (unreached code gives no AD012). */
function enclosingExecuted(decl: ts.Node, m: Machine): ts.Node | undefined {
  for (let n = decl.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return m.executed.has(n) ? n : undefined;
  return undefined;
}

/** One driver's candidates, found once however many passes over its threads the analysis makes (one Denotations per driver). */
const candidatesByDriver = new WeakMap<Denotations, Map<Declaration, FlagCandidate>>();

function candidatesOf(fn: FunctionNode, den: Denotations): Map<Declaration, FlagCandidate> {
  let found = candidatesByDriver.get(den);
  if (found === undefined) candidatesByDriver.set(den, (found = findFlagCandidates(fn, den)));
  return found;
}

/**
 * Each candidate gets a ghost bit (Machine.ghosts), set when it is assigned and dropped at each
 * protocol wait: a candidate tested while its bit is set is read before the next wait, a state
 * variable rather than a flag.
 */
function listen({ fn, machine }: ActiveContext): ActiveListener {
  const candidates = candidatesOf(fn, machine.den);
  const bits = new Map<Declaration, number>([...candidates.keys()].map((d) => [d, machine.addGhost(d)]));
  const stateVariables = new Set<Declaration>();
  return {
    onTest(m, condition, states) {
      if (bits.size === 0) return;
      for (const id of m.conditionIdentifiers(condition)) {
        const decl = m.variableOf(id);
        const bit = decl === undefined ? undefined : bits.get(decl);
        if (bit !== undefined && states.some((s) => s.get(bit) !== undefined)) stateVariables.add(decl!);
      }
    },
    report() {
      const out: AnalysisDiagnostic[] = [];
      for (const [decl, c] of candidates) {
        if (stateVariables.has(decl)) continue;
        if (!enclosingExecuted(decl, machine)) continue;
        const name = c.decl.name.getText();
        const setIn = [...c.setIn];
        const testedIn = [...c.testedIn];
        out.push(diagnostic(rule, c.decl, flagVariableText(name, setIn, testedIn), { data: { kind: "flagVariable", variable: name, setIn, testedIn } }));
      }
      return out;
    },
  };
}

export const rule: Rule = {
  code: "AD012",
  severity: "information",
  name: "FlagVariable",
  title: "Active driver: a flag set in one message's handler and tested in another's after a later wait.",
  help: "The flag encodes control flow the sequential code can hold: after the first message, wait in a new place (a loop or helper) for the messages that follow instead of remembering it in a variable.",
  active: listen,
};

/** AD012. */
export function flagVariableText(variable: string, setIn: readonly string[], testedIn: readonly string[]): string {
  return `'${variable}' is set when ${listText(setIn, "or")} arrives and tested when ${listText(testedIn, "or")} arrives: a flag carrying control flow across waits that sequential code can hold`;
}
