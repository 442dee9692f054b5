// AD011: in a passive driver, an entry point continues its own work in a callback (`k.schedule`,
// timers, `queueMicrotask`, `.then`...): the rest runs later, on another thread. Reported at the
// call, once however many entry points reach it.
import ts from "typescript";
import { kernelApi, type Denotations } from "../denotation";
import { resolveLocal } from "../fileIndex";
import { diagnostic } from "../report";
import { isFunctionNode, unwrap } from "../syntax";
import type { PassiveContext, PassiveListener, Rule } from "../listeners";
import type { AnalysisDiagnostic } from "../types";
import { forEachReachedNode } from "../passive/walker";
import { ownField, type PassiveClass } from "../passive/passiveClass";

export const rule: Rule = {
  code: "AD011",
  severity: "warning",
  name: "CallbackContinuation",
  title: "Passive driver: an entry point continues its work in a callback.",
  help: "Deferring work (k.schedule, setTimeout, queueMicrotask, .then) splits one operation across threads that must re-check shared state. In an active driver the same work is a wait on the device in straight-line code.",
  passive: listen,
};

function listen({ den, pc }: PassiveContext): PassiveListener {
  const seen = new Set<ts.Node>();
  const out: AnalysisDiagnostic[] = [];
  return {
    onEntryPoint(entry) {
      forEachReachedNode(entry, (n) => {
        if (!ts.isCallExpression(n) || seen.has(n)) return;
        const callee = continuationCallee(n, den, pc);
        if (callee === undefined) return;
        seen.add(n);
        out.push(callbackDiagnostic(n, entry.name, callee));
      });
    },
    report: () => out,
  };
}

/** AD011. */
export function callbackContinuationText(entryPoint: string, callee: string): string {
  return `${entryPoint} continues its work in a callback (${callee}): the rest runs later, on another thread, and must re-check what changed meanwhile`;
}

const continuationCallees = new Set(["setTimeout", "setImmediate", "queueMicrotask", "requestAnimationFrame", "setInterval"]);
const continuationMethods = new Set(["then", "catch", "finally", "nextTick"]);

/** What a call defers work to (`k.schedule`, `setTimeout`, `.then`), when it is a continuation. */
function continuationCallee(call: ts.CallExpression, den: Denotations, pc: PassiveClass | undefined): string | undefined {
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

function callbackDiagnostic(call: ts.CallExpression, entryPoint: string, callee: string): AnalysisDiagnostic {
  return diagnostic(rule, call, callbackContinuationText(entryPoint, callee), { data: { kind: "callbackContinuation", entryPoint, callee } });
}
