// AD001 (a protocol wait misses a message enabled in a state that can hold there) and AD002 (a
// wait includes a protocol mailbox enabled in no state that can hold there).
import ts from "typescript";
import type { Denotations } from "../denotation";
import { mailboxText } from "../fixes";
import type { Machine } from "../machine";
import { deadMailboxText, missingMessagesText } from "../messages";
import type { Protocol } from "../protocol";
import { diagnostic, place, related } from "../report";
import type { WaitRecord } from "../sites";
import { positionAt, spanRange } from "../text";
import type { AnalysisDiagnostic, Position } from "../types";

export function argumentsEnd(call: ts.CallExpression): Position {
  const args = call.arguments;
  const sf = call.getSourceFile();
  return positionAt(sf, args.length > 0 ? args[args.length - 1]!.getEnd() : args.pos);
}

function resultVariable(call: ts.CallExpression): string | undefined {
  let n: ts.Node = call.parent;
  while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.parent;
  return ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : undefined;
}

/** States in protocol order. */
export function ordered(protocol: Protocol, states: Iterable<string>): string[] {
  const order = [...protocol.states.keys()];
  return [...new Set(states)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

function missingMessages(m: Machine, rec: WaitRecord, protocol: Protocol, den: Denotations): AnalysisDiagnostic[] {
  const messageOrder = protocol.messageNames();
  const byState = new Map<string, string[]>();
  for (const state of ordered(protocol, rec.missing.keys())) {
    byState.set(state, [...rec.missing.get(state)!].sort((a, b) => messageOrder.indexOf(a) - messageOrder.indexOf(b)));
  }
  const messages = messageOrder.filter((msg) => [...byState.values()].some((list) => list.includes(msg)));
  return place(m.root, rec.call, rec.missingAnchors, (at) => {
    const rel = [];
    for (const [state, list] of byState) {
      for (const msg of list) {
        const t = protocol.states.get(state)?.transitions.get(msg);
        if (t) rel.push(related(t.node, `${msg} is enabled in state '${state}' here`));
      }
    }
    return diagnostic("AD001", at, missingMessagesText(byState), {
      related: rel,
      data: {
        kind: "missingMessages",
        messages,
        states: [...byState.keys()],
        byState: Object.fromEntries(byState),
        argumentsEnd: argumentsEnd(rec.call),
        mailboxText: Object.fromEntries(messages.map((msg) => [msg, mailboxText(rec.call, msg, den)])),
        ...(resultVariable(rec.call) !== undefined ? { resultVariable: resultVariable(rec.call)! } : {}),
      },
    });
  });
}

function deadMailboxes(m: Machine, rec: WaitRecord, protocol: Protocol): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  const states = ordered(protocol, rec.states);
  rec.args.forEach((arg, i) => {
    if (arg.key === undefined || !arg.key.startsWith("p:")) return;
    const name = arg.key.slice(2);
    const outgoing = protocol.isOutgoing(name);
    if (!outgoing && (!protocol.isIncoming(name) || rec.liveArgs.has(i))) return;
    // An element of a spread array may serve other waits too: the array is no place to remove it.
    if (arg.node.parent !== rec.call) return;
    const sf = rec.call.getSourceFile();
    const args = rec.call.arguments;
    const at = args.indexOf(arg.node as ts.Expression);
    const removal = at + 1 < args.length ? spanRange(sf, arg.node.getStart(sf), args[at + 1]!.getStart(sf)) : at > 0 ? spanRange(sf, args[at - 1]!.getEnd(), arg.node.getEnd()) : spanRange(sf, arg.node.getStart(sf), arg.node.getEnd());
    out.push(
      ...place(m.root, arg.node, rec.anchors, (at) =>
        diagnostic("AD002", at, deadMailboxText(name, states, outgoing), { data: { kind: "deadMailbox", message: name, states, removalRange: removal } }),
      ),
    );
  });
  return out;
}

export function coverageDiagnostics(m: Machine, den: Denotations): AnalysisDiagnostic[] {
  const protocol = m.protocol;
  if (!protocol || !m.usable) return [];
  const out: AnalysisDiagnostic[] = [];
  for (const rec of m.records.waits.values()) {
    if (!rec.protocol) continue;
    if (rec.missing.size > 0 && !m.unknownThread) out.push(...missingMessages(m, rec, protocol, den));
    if (!rec.stateUnknown && rec.states.size > 0) out.push(...deadMailboxes(m, rec, protocol));
  }
  return out;
}
