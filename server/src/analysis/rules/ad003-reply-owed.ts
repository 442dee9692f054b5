// AD003: a reply owed (request received, its reply not yet sent) at a protocol wait or when the
// thread ends. The interpreter recovers as if the reply had been sent.
import ts from "typescript";
import { sendText } from "../fixes";
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import { addTo, noteAnchorState, type Anchors, type EndRecord, type WaitRecord } from "../sites";
import type { CallSite } from "../syntax";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place } from "../report";
import { UNKNOWN, type State } from "../state";
import { indentAt, listText, positionAt, spanRange, statesText } from "../text";
import type { AnalysisDiagnostic, Range } from "../types";
import { ordered, unionInOrder } from "./common";

/** The statement holding a node (the place to insert a statement before it). */
function statementOf(node: ts.Node): ts.Node {
  let n = node;
  while (
    n.parent &&
    !(ts.isBlock(n.parent) || ts.isSourceFile(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent) || ts.isModuleBlock(n.parent))
  )
    n = n.parent;
  return n;
}

function owedDiagnostic(
  m: Machine,
  protocol: Protocol,
  node: ts.Node,
  anchors: Iterable<CallSite> | Anchors,
  owed: Map<string, Set<string>>,
  at: "wait" | "threadEnd",
): AnalysisDiagnostic[] {
  const replies = [...owed.keys()].sort();
  const reply = replies[0]!;
  const states = ordered(
    protocol,
    [...owed.values()].flatMap((s) => [...s]).filter((s) => s !== UNKNOWN),
  );
  const requests = [...new Set(replies.flatMap((r) => protocol.requestsOf(r)))];
  const sf = node.getSourceFile();
  const { text: send, binding } = sendText(node, reply, protocol, m.den);
  let insertOffset: number;
  let insertText: string;
  let range: Range | undefined;
  if (at === "wait" || ts.isReturnStatement(node) || !ts.isBlock(node)) {
    insertOffset = statementOf(node).getStart(sf);
    insertText = `${send}\n${indentAt(sf, insertOffset)}`;
  } else {
    // The end of a thread's body: before its closing brace, which is where the diagnostic points.
    insertOffset = Math.max(node.getStart(sf), node.getEnd() - 1);
    insertText = `  ${send}\n${indentAt(sf, insertOffset)}`;
    range = spanRange(sf, insertOffset, node.getEnd());
  }
  const indent = indentAt(sf, insertOffset);
  return place(m.root, node, anchors, (target) =>
    diagnostic(rule, target, owedReplyText(replies.join(" and "), requests, states, at), {
      ...(range && target === node ? { range } : {}),
      data: {
        kind: "owedReply",
        reply,
        replies,
        requests,
        states,
        at,
        insertPosition: positionAt(sf, insertOffset),
        indent,
        insertText,
        sendText: send,
        ...(binding ? { bindSend: { position: positionAt(sf, binding.offset), text: binding.text } } : {}),
      },
    }),
  );
}

/** Reply -> non-vague states where it is owed, and the calls that reached the site owing it. */
interface Owed {
  byReply: Map<string, Set<string>>;
  anchors: Anchors;
}

function owedIn(s: State): boolean {
  return !s.vague && s.owed !== "" && s.owed !== UNKNOWN;
}

function listen({ machine: m }: ActiveContext): ActiveListener {
  const atWaits = new Map<WaitRecord, Owed>();
  const atEnds = new Map<EndRecord, Owed>();
  const note = <K>(sites: Map<K, Owed>, site: K, s: State, anchors: readonly CallSite[]): void => {
    let owed = sites.get(site);
    if (!owed) sites.set(site, (owed = { byReply: new Map(), anchors: new Map() }));
    for (const reply of s.owedList()) addTo(owed.byReply, reply, s.ps);
    noteAnchorState(owed.anchors, anchors, s.ps);
  };
  return {
    onWait(m, wait, arriving) {
      // Inner waits (on the device) may come before the reply; only a protocol wait takes new requests.
      if (wait.protocol && owedIn(arriving)) note(atWaits, wait.site, arriving, m.anchorsFor(wait.site.call));
    },
    onThreadEnd(_m, end, states) {
      for (const s of states) if (owedIn(s)) note(atEnds, end, s, []);
    },
    report() {
      const protocol = m.protocol;
      if (!protocol) return [];
      return [
        ...[...atWaits].flatMap(([site, owed]) => owedDiagnostic(m, protocol, site.call, owed.anchors, owed.byReply, "wait")),
        ...[...atEnds].flatMap(([end, owed]) => owedDiagnostic(m, protocol, end.node, end.anchors, owed.byReply, "threadEnd")),
      ];
    },
  };
}

export const rule: Rule = {
  code: "AD003",
  severity: "error",
  name: "ReplyOwed",
  title: "A request's reply is still owed when the driver waits for new requests or its thread ends.",
  help: "A request declared with `reply:` blocks its caller until the driver sends that reply. Send the reply before the next protocol wait (inner waits on the device are fine) and before the thread ends.",
  active: listen,
  merge: mergeOwedReplies,
};

/** AD003. */
export function owedReplyText(reply: string, requests: readonly string[], states: readonly string[], at: "wait" | "threadEnd"): string {
  const request = requests.length > 0 ? ` (the reply to ${listText(requests, "or")})` : "";
  const what = at === "wait" ? "the driver waits for new requests" : "the thread ends";
  const where = states.length > 0 ? ` in ${statesText(states)}` : "";
  return `${reply}${request} is still owed${where}, but ${what}`;
}

/**
 * AD003 findings at one wait or thread end (a helper reached in different states by several drivers)
 * as one: the requests and states of both. Findings owing different replies stay apart.
 */
export function mergeOwedReplies(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined {
  if (a.data?.kind !== "owedReply" || b.data?.kind !== "owedReply" || a.data.at !== b.data.at) return undefined;
  const x = a.data;
  const y = b.data;
  if (x.replies.join() !== y.replies.join()) return undefined;
  const requests = unionInOrder(x.requests, y.requests);
  const states = unionInOrder(x.states, y.states);
  return { ...a, message: owedReplyText(x.replies.join(" and "), requests, states, x.at), data: { ...x, requests, states } };
}
