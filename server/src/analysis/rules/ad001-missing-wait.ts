// AD001: a protocol wait misses an incoming message enabled in a state that can hold there (or
// that another thread of the domain waits on). Reported at the wait, with the protocol rows that
// enable each missing message; the quick fix adds the mailboxes with a handler stub.
import ts from "typescript";
import type { Denotations } from "../denotation";
import { mailboxText } from "../fixes";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place, related } from "../report";
import type { WaitRecord } from "../sites";
import { listText, statesText } from "../text";
import type { AnalysisDiagnostic, RuleInfo } from "../types";
import { argumentsEnd, ordered, unionInOrder } from "./common";

function resultVariable(call: ts.CallExpression): string | undefined {
  let n: ts.Node = call.parent;
  while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.parent;
  return ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : undefined;
}

/** The AD001 finding of a wait record, when it misses messages. */
export function missingMessages(m: Machine, rec: WaitRecord, protocol: Protocol, den: Denotations): AnalysisDiagnostic[] {
  const messageOrder = protocol.messageNames();
  const byState = new Map<string, string[]>();
  for (const state of ordered(protocol, rec.missing.keys())) {
    byState.set(
      state,
      [...rec.missing.get(state)!].sort((a, b) => messageOrder.indexOf(a) - messageOrder.indexOf(b)),
    );
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
    return diagnostic(rule, at, missingMessagesText(byState), {
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

export const rule: RuleInfo = {
  code: "AD001",
  severity: "error",
  name: "MissingWaitMailbox",
  title: "A protocol wait does not accept a message that can arrive in the current protocol state.",
  help: "In each protocol state a driver must wait on every incoming message that the state's row enables (or leave it to another thread that waits on it). Add the missing mailbox to the wait and handle it, even if only to ignore it.",
  merge: mergeMissingMessages,
};

/** AD001. `byState`: state -> missing messages. */
export function missingMessagesText(byState: ReadonlyMap<string, readonly string[]>): string {
  // Group messages that are missing in the same states: "txTimeout can arrive in state 'open'".
  const statesOfMessage = new Map<string, string[]>();
  for (const [state, messages] of byState) for (const m of messages) statesOfMessage.set(m, [...(statesOfMessage.get(m) ?? []), state]);
  const groups = new Map<string, { messages: string[]; states: string[] }>();
  for (const [m, states] of statesOfMessage) {
    const key = states.join("\0");
    const g = groups.get(key) ?? { messages: [], states };
    g.messages.push(m);
    groups.set(key, g);
  }
  const parts = [...groups.values()];
  const count = statesOfMessage.size;
  const pronoun = count === 1 ? "it" : "them";
  const first = parts[0]!;
  if (parts.length === 1) return `${listText(first.messages)} can arrive in ${statesText(first.states)} but this wait does not accept ${pronoun}`;
  const clauses = parts.map((p, i) => `${listText(p.messages)} ${i === 0 ? "can arrive " : ""}in ${statesText(p.states)}`);
  return `${clauses.join("; ")}: this wait does not accept ${pronoun}`;
}

/**
 * AD001 findings at one wait (a helper reached in different states by several drivers) as one: the
 * missing messages of each state from both, and the quick fix adds all of them.
 */
export function mergeMissingMessages(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined {
  if (a.data?.kind !== "missingMessages" || b.data?.kind !== "missingMessages") return undefined;
  const x = a.data;
  const y = b.data;
  const messages = unionInOrder(x.messages, y.messages);
  const states = unionInOrder(x.states, y.states);
  const byState = new Map(
    states.map((state) => [state, messages.filter((msg) => (x.byState[state] ?? []).includes(msg) || (y.byState[state] ?? []).includes(msg))]),
  );
  return {
    ...a,
    message: missingMessagesText(byState),
    data: { ...x, messages, states, byState: Object.fromEntries(byState), mailboxText: { ...y.mailboxText, ...x.mailboxText } },
  };
}
