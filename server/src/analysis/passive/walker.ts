// The passive driver walker: finds the entry points (an object literal's members, or a class's
// methods) and the functions each reaches, and hands each entry point to the rules' passive
// listeners (listeners.ts): AD010 (state carried across entry points), AD011 (work continued in a
// callback), AD030 (register polls). It imports no rule.
import ts from "typescript";
import { KERNEL_CONTEXT, type Denotations } from "../denotation";
import { resolveLocal } from "../fileIndex";
import type { EntryPoint, PassiveContext, Rule } from "../listeners";
import { propertyNameText, unwrap, type FunctionNode } from "../syntax";
import { rangeOf } from "../text";
import type { AnalysisDiagnostic, EntryPointModel } from "../types";
import type { StaticValues } from "../values";
import { classEntryPoints, ownMethodCalled, passiveClassOf, type PassiveClass } from "./passiveClass";

/** An entry point as the factory or class names it. */
type EntryPointNode = Omit<EntryPoint, "reached">;

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

function entryPointsOf(factory: FunctionNode, den: Denotations): EntryPointNode[] {
  const obj = returnedObject(factory);
  if (!obj) return [];
  const out: EntryPointNode[] = [];
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

/** Visits every node of the functions an entry point reaches (nested functions included), with the name of the function it is in. */
export function forEachReachedNode(entry: EntryPoint, visit: (node: ts.Node, via: string | undefined) => void): void {
  for (const { fn, via } of entry.reached) {
    const walk = (n: ts.Node): void => {
      visit(n, via);
      ts.forEachChild(n, walk);
    };
    if (fn.body) walk(fn.body);
  }
}

export interface PassiveResult {
  diagnostics: AnalysisDiagnostic[];
  entryPoints: EntryPointModel[];
}

export function analyzePassive(factory: FunctionNode, den: Denotations, values: StaticValues, rules: readonly Rule[]): PassiveResult {
  const k = factory.parameters[0];
  if (k) den.bindParameter(k, KERNEL_CONTEXT);
  const objectEntries = entryPointsOf(factory, den);
  const pc = objectEntries.length === 0 ? passiveClassOf(factory, den) : undefined;
  const entries = pc !== undefined ? classEntryPoints(pc, den) : objectEntries;
  const context: PassiveContext = { factory, den, values, pc };
  const listeners = rules.flatMap((rule) => (rule.passive ? [rule.passive(context)] : []));
  for (const entry of entries) {
    const reached = reach(entry.fn, den, pc).map((fn) => ({ fn, via: fn === entry.fn ? undefined : functionName(fn) }));
    const entryPoint: EntryPoint = { ...entry, reached };
    for (const listener of listeners) listener.onEntryPoint(entryPoint);
  }
  return {
    diagnostics: listeners.flatMap((l) => l.report()),
    entryPoints: entries.map((e) => ({ name: e.name, range: rangeOf(e.nameNode) })),
  };
}
