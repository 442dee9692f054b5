// The passive driver walker: finds the entry points (an object literal's members, or a class's
// methods) and walks each with the functions it reaches, for AD010 (state carried across entry
// points, rules/ad010-stack-ripping.ts), AD011 (work continued in a callback,
// rules/ad011-callback.ts) and AD030 (register polls, rules/ad030-register-poll.ts).
import ts from "typescript";
import { KERNEL_CONTEXT, type Denotations } from "../denotation";
import { related } from "../report";
import { resolveLocal } from "../fileIndex";
import type { Declaration } from "../scope";
import { isConditionPosition, isLoop, propertyNameText, unwrap, type FunctionNode } from "../syntax";
import type { AnalysisDiagnostic, EntryPointModel } from "../types";
import type { StaticValues } from "../values";
import { classEntryPoints, fieldDeclaration, ownField, ownMethodCalled, passiveClassOf, type PassiveClass } from "./passiveClass";
import { rippedStateDiagnostic } from "./ad010-stack-ripping";
import { callbackDiagnostic, continuationCallee } from "./ad011-callback";
import { isRegisterPoll, pollContext, pollLoopDiagnostic } from "./ad030-register-poll";
import { rangeOf } from "../text";
import { defined } from "../../../../runtime/src/defined";

interface EntryPoint {
  name: string;
  nameNode: ts.Node;
  fn: FunctionNode;
}

/** A shared variable (`running`) or a field of a shared object (`state.running`). */
interface Shared {
  name: string;
  declNode: ts.Node;
  writes: Map<EntryPoint, ts.Node>;
  tests: Map<EntryPoint, { node: ts.Node; via?: string }>;
}

function returnedObject(factory: FunctionNode): ts.ObjectLiteralExpression | undefined {
  const fromExpr = (e: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined => {
    if (!e) return undefined;
    const u = unwrap(e);
    if (ts.isObjectLiteralExpression(u)) return u;
    if (ts.isIdentifier(u)) {
      const d = resolveLocal(u);
      if (d && ts.isVariableDeclaration(d) && d.initializer) return fromExpr(d.initializer);
    }
    return undefined;
  };
  const body = factory.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return fromExpr(body);
  let found: ts.ObjectLiteralExpression | undefined;
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) found = fromExpr(n.expression) ?? found;
    ts.forEachChild(n, walk);
  };
  ts.forEachChild(body, walk);
  return found;
}

export function entryPointsOf(factory: FunctionNode, den: Denotations): EntryPoint[] {
  const obj = returnedObject(factory);
  if (!obj) return [];
  const out: EntryPoint[] = [];
  for (const p of obj.properties) {
    const name = propertyNameText(p.name);
    if (name === undefined || !p.name) continue;
    let fn: FunctionNode | undefined;
    if (ts.isMethodDeclaration(p)) fn = p.body ? p : undefined;
    else if (ts.isPropertyAssignment(p)) fn = den.functionOf(p.initializer);
    else if (ts.isShorthandPropertyAssignment(p)) fn = den.functionOf(p.name);
    if (fn) out.push({ name, nameNode: p.name, fn });
  }
  return out;
}

/** Functions an entry point's control flow reaches: itself, local functions it names, and (a class driver) methods it calls on `this`. */
function reach(entry: FunctionNode, den: Denotations, pc: PassiveClass | undefined): FunctionNode[] {
  const seen = new Set<FunctionNode>([entry]);
  const todo = [entry];
  while (todo.length > 0) {
    const fn = todo.pop()!;
    const walk = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
        const target = den.functionOf(n);
        if (target && !seen.has(target) && target.getSourceFile() === entry.getSourceFile()) {
          seen.add(target);
          todo.push(target);
        }
      } else if (pc !== undefined && ts.isPropertyAccessExpression(n)) {
        const method = ownMethodCalled(pc, n);
        if (method && !seen.has(method)) {
          seen.add(method);
          todo.push(method);
        }
      }
      ts.forEachChild(n, walk);
    };
    if (fn.body) walk(fn.body);
  }
  return [...seen];
}

function functionName(fn: FunctionNode): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText();
  const p = fn.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  return undefined;
}

export interface PassiveResult {
  diagnostics: AnalysisDiagnostic[];
  entryPoints: EntryPointModel[];
}

export function analyzePassive(factory: FunctionNode, den: Denotations, values: StaticValues): PassiveResult {
  const k = factory.parameters[0];
  if (k) den.bindParameter(k, KERNEL_CONTEXT);
  const objectEntries = entryPointsOf(factory, den);
  const pc = objectEntries.length === 0 ? passiveClassOf(factory, den) : undefined;
  const entries = pc !== undefined ? classEntryPoints(pc, den) : objectEntries;
  const diagnostics: AnalysisDiagnostic[] = [];
  const shared = new Map<ts.Node, Shared>();
  const factoryBody = factory.body;

  /** A variable declared in the factory's own scope or at module level (state outliving one call). */
  const sharedOf = (expr: ts.Expression): Shared | undefined => {
    const e = unwrap(expr);
    if (pc !== undefined) {
      // A class driver's fields outlive every call, as the factory's variables do.
      const name = ownField(pc, e);
      if (name !== undefined) {
        const declNode = pc.kernelFields.has(name) ? undefined : fieldDeclaration(pc, name);
        if (declNode === undefined) return undefined;
        let s = shared.get(declNode);
        if (!s) shared.set(declNode, (s = { name: `this.${name}`, declNode, writes: new Map(), tests: new Map() }));
        return s;
      }
    }
    let id: ts.Identifier | undefined;
    let field: string | undefined;
    if (ts.isIdentifier(e)) id = e;
    else if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(unwrap(e.expression))) {
      id = unwrap(e.expression) as ts.Identifier;
      field = e.name.text;
    } else if (ts.isPropertyAccessExpression(e) && e.expression.kind === ts.SyntaxKind.ThisKeyword) return undefined;
    if (!id) return undefined;
    const decl: Declaration | undefined = resolveLocal(id);
    if (!decl || !ts.isVariableDeclaration(decl)) return undefined;
    const scope = decl.parent.parent.parent;
    const isShared = scope === factoryBody || ts.isSourceFile(scope);
    if (!isShared) return undefined;
    let declNode: ts.Node = decl;
    let key: ts.Node = decl;
    if (field !== undefined) {
      const init = decl.initializer ? unwrap(decl.initializer) : undefined;
      const prop = init && ts.isObjectLiteralExpression(init) ? init.properties.find((p) => propertyNameText(p.name) === field) : undefined;
      if (!prop) return undefined;
      declNode = prop;
      key = prop;
    } else if ((decl.parent.flags & ts.NodeFlags.Const) !== 0) return undefined;
    let s = shared.get(key);
    if (!s) shared.set(key, (s = { name: field !== undefined ? `${id.text}.${field}` : id.text, declNode, writes: new Map(), tests: new Map() }));
    return s;
  };

  const reported = new Set<ts.Node>();
  for (const entry of entries) {
    for (const fn of reach(entry.fn, den, pc)) {
      const via = fn === entry.fn ? undefined : functionName(fn);
      const walk = (n: ts.Node): void => {
        if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
          const s = sharedOf(n.left);
          if (s && !s.writes.has(entry)) s.writes.set(entry, n);
        } else if (
          (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
          (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)
        ) {
          const s = sharedOf(n.operand);
          if (s && !s.writes.has(entry)) s.writes.set(entry, n);
        } else if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && isConditionPosition(n)) {
          const s = ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) ? undefined : sharedOf(n);
          if (s && !s.tests.has(entry)) s.tests.set(entry, { node: n, ...defined({ via }) });
        }
        if (ts.isCallExpression(n) && !reported.has(n)) {
          const callee = continuationCallee(n, den, pc);
          if (callee !== undefined) {
            reported.add(n);
            diagnostics.push(callbackDiagnostic(n, entry.name, callee));
          }
        }
        if (isLoop(n) && !reported.has(n)) {
          reported.add(n);
          if (isRegisterPoll(n, pollContext(den, values))) diagnostics.push(pollLoopDiagnostic(n));
        }
        ts.forEachChild(n, walk);
      };
      if (fn.body) walk(fn.body);
    }
  }

  for (const s of shared.values()) {
    const writers = [...s.writes.keys()];
    const testers = [...s.tests.keys()].filter((t) => writers.some((w) => w !== t));
    if (writers.length === 0 || testers.length === 0) continue;
    const writer = writers.find((w) => w !== testers[0]) ?? writers[0]!;
    const test = s.tests.get(testers[0]!)!;
    const testedIn = testers.map((t) => {
      const v = s.tests.get(t)!.via;
      return v !== undefined ? `${t.name} (via ${v})` : t.name;
    });
    diagnostics.push(
      rippedStateDiagnostic(
        s.declNode,
        s.name,
        writers.map((w) => w.name),
        testedIn,
        testers.map((t) => t.name),
        related(s.writes.get(writer)!, `written in ${writer.name}`),
        related(test.node, `tested in ${testedIn[0]}`),
      ),
    );
  }
  return { diagnostics, entryPoints: entries.map((e) => ({ name: e.name, range: rangeOf(e.nameNode) })) };
}
