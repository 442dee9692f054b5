// AD001: a protocol wait misses an incoming message enabled in a state that can hold there (or
// that another thread of the domain waits on). Reported at the wait, with the protocol rows that
// enable each missing message; the quick fix adds the mailboxes with a handler stub.
import ts from "typescript";
import { protocolMessage } from "../mailboxKeys";
import { mailboxText } from "../fixes";
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place, related } from "../report";
import { addTo, noteAnchorState, type Anchors, type WaitArgument, type WaitRecord } from "../sites";
import { UNKNOWN } from "../state";
import { listText, statesText } from "../text";
import type { AnalysisDiagnostic } from "../types";
import { argumentsEnd, ordered, unionInOrder } from "./common";

function resultVariable(call: ts.CallExpression): string | undefined {
  let n: ts.Node = call.parent;
  while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.parent;
  return ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) ? n.name.text : undefined;
}

/** What a wait misses: non-vague state -> incoming messages enabled there that no argument (or other thread) covers. */
interface Missing {
  byState: Map<string, Set<string>>;
  /** The calls through which the wait was reached missing a message, with the states there. */
  anchors: Anchors;
}

/** Protocol messages a wait's arguments name, kept per argument list. */
const waitedMessages = new WeakMap<readonly WaitArgument[], Set<string>>();

function waitedMessagesOf(args: readonly WaitArgument[]): Set<string> {
  let names = waitedMessages.get(args);
  if (names === undefined) {
    names = new Set();
    for (const a of args) {
      const message = protocolMessage(a.key);
      if (message !== undefined) names.add(message);
    }
    waitedMessages.set(args, names);
  }
  return names;
}

function listen({ machine: m }: ActiveContext): ActiveListener {
  const found = new Map<WaitRecord, Missing>();
  return {
    onWait(m, wait, _arriving, s) {
      // Vague states are possible, not known; a wait on a mailbox the analysis cannot tell may cover anything.
      if (!wait.protocol || s.ps === UNKNOWN || !m.usable || s.vague || wait.site.dynamic) return;
      // Another thread waits on a mailbox the analysis cannot tell: it may be the one taking the message.
      if (m.thread.others.waitsOnUnknown) return;
      let waited: Set<string> | undefined;
      for (const msg of m.protocol!.enabledIn(s.ps)) {
        if (m.thread.others.ins.has(msg)) continue;
        waited ??= waitedMessagesOf(wait.args);
        if (waited.has(msg)) continue;
        let missing = found.get(wait.site);
        if (!missing) found.set(wait.site, (missing = { byState: new Map(), anchors: new Map() }));
        addTo(missing.byState, s.ps, msg);
        noteAnchorState(missing.anchors, m.anchorsFor(wait.site.call), s.ps);
      }
    },
    report() {
      // A spawn the analysis cannot follow may wait on anything: coverage stays silent.
      if (!m.protocol || !m.usable || m.unknownThread) return [];
      return [...found].flatMap(([site, missing]) => (site.protocol ? missingMessages(m, site, missing, m.protocol!) : []));
    },
  };
}

/** The AD001 finding of a wait that misses messages. */
function missingMessages(m: Machine, rec: WaitRecord, missing: Missing, protocol: Protocol): AnalysisDiagnostic[] {
  const messageOrder = protocol.messageNames();
  const byState = new Map<string, string[]>();
  for (const state of ordered(protocol, missing.byState.keys())) {
    byState.set(
      state,
      [...missing.byState.get(state)!].sort((a, b) => messageOrder.indexOf(a) - messageOrder.indexOf(b)),
    );
  }
  const messages = messageOrder.filter((msg) => [...byState.values()].some((list) => list.includes(msg)));
  const den = m.den;
  return place(m.root, rec.call, missing.anchors, (at) => {
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

export const rule: Rule = {
  code: "AD001",
  severity: "error",
  name: "MissingWaitMailbox",
  title: "A protocol wait does not accept a message that can arrive in the current protocol state.",
  help: "In each protocol state a driver must wait on every incoming message that the state's row enables (or leave it to another thread that waits on it). Add the missing mailbox to the wait and handle it, even if only to ignore it.",
  active: listen,
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
