// AD011: in a passive driver, an entry point continues its own work in a callback (`k.schedule`,
// timers, `queueMicrotask`, `.then`...): the rest runs later, on another thread. Reported at the
// call. (Found by the passive walker, which asks `continuationCallee` of every call.)
import ts from "typescript";
import { kernelApi, type Denotations } from "../denotation";
import { resolveLocal } from "../fileIndex";
import { diagnostic } from "../report";
import { isFunctionNode, unwrap } from "../syntax";
import type { AnalysisDiagnostic, RuleInfo } from "../types";
import { ownField, type PassiveClass } from "./passiveClass";

export const rule: RuleInfo = {
  code: "AD011",
  severity: "warning",
  name: "CallbackContinuation",
  title: "Passive driver: an entry point continues its work in a callback.",
  help: "Deferring work (k.schedule, setTimeout, queueMicrotask, .then) splits one operation across threads that must re-check shared state. In an active driver the same work is a wait on the device in straight-line code.",
};

/** AD011. */
export function callbackContinuationText(entryPoint: string, callee: string): string {
  return `${entryPoint} continues its work in a callback (${callee}): the rest runs later, on another thread, and must re-check what changed meanwhile`;
}

const continuationCallees = new Set(["setTimeout", "setImmediate", "queueMicrotask", "requestAnimationFrame", "setInterval"]);
const continuationMethods = new Set(["then", "catch", "finally", "nextTick"]);

/** What a call defers work to (`k.schedule`, `setTimeout`, `.then`), when it is a continuation. */
export function continuationCallee(call: ts.CallExpression, den: Denotations, pc: PassiveClass | undefined): string | undefined {
  const hasCallback = call.arguments.some((a) => {
    const e = unwrap(a);
    return isFunctionNode(e) || ts.isIdentifier(e);
  });
  if (!hasCallback) return undefined;
  const callee = unwrap(call.expression);
  if (den.of(callee) === kernelApi.schedule) return callee.getText();
  if (pc !== undefined && ts.isPropertyAccessExpression(callee) && callee.name.text === "schedule") {
    const holder = ownField(pc, callee.expression);
    if (holder !== undefined && pc.kernelFields.has(holder)) return callee.getText();
  }
  if (ts.isIdentifier(callee) && continuationCallees.has(callee.text) && resolveLocal(callee) === undefined) return callee.text;
  if (ts.isPropertyAccessExpression(callee) && continuationMethods.has(callee.name.text)) return `.${callee.name.text}`;
  return undefined;
}

export function callbackDiagnostic(call: ts.CallExpression, entryPoint: string, callee: string): AnalysisDiagnostic {
  return diagnostic(rule, call, callbackContinuationText(entryPoint, callee), { data: { kind: "callbackContinuation", entryPoint, callee } });
}
