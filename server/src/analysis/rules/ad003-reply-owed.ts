// AD003: a reply owed (request received, its reply not yet sent) at a protocol wait or when the
// thread ends. The interpreter recovers as if the reply had been sent.
import ts from "typescript";
import type { Denotations } from "../denotation";
import { sendText } from "../fixes";
import type { Anchors } from "../sites";
import type { CallSite } from "../syntax";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place } from "../report";
import { UNKNOWN } from "../state";
import { indentAt, listText, positionAt, spanRange, statesText } from "../text";
import type { AnalysisDiagnostic, OwedReplyData, Range, RuleInfo } from "../types";
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
  den: Denotations,
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
  const send = sendText(node, reply, protocol, den);
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
      data: { kind: "owedReply", reply, requests, states, at, insertPosition: positionAt(sf, insertOffset), indent, insertText, sendText: send },
    }),
  );
}

export function replyDiagnostics(m: Machine, den: Denotations): AnalysisDiagnostic[] {
  const protocol = m.protocol;
  if (!protocol) return [];
  const out: AnalysisDiagnostic[] = [];
  for (const rec of m.records.waits.values()) {
    if (rec.protocol && rec.owed.size > 0) out.push(...owedDiagnostic(m, den, protocol, rec.call, rec.owedAnchors, rec.owed, "wait"));
  }
  for (const rec of m.records.ends.values()) {
    if (rec.owed.size > 0) out.push(...owedDiagnostic(m, den, protocol, rec.node, rec.anchors, rec.owed, "threadEnd"));
  }
  return out;
}

export const rule: RuleInfo = {
  code: "AD003",
  severity: "error",
  name: "ReplyOwed",
  title: "A request's reply is still owed when the driver waits for new requests or its thread ends.",
  help: "A request declared with `reply:` blocks its caller until the driver sends that reply. Send the reply before the next protocol wait (inner waits on the device are fine) and before the thread ends.",
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
 * as one: the requests and states of both. The replies named are the message's part before what
 * `owedReplyText` adds to them (several when several replies are owed); findings naming different
 * replies stay apart.
 */
export function mergeOwedReplies(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined {
  if (a.data?.kind !== "owedReply" || b.data?.kind !== "owedReply" || a.data.at !== b.data.at) return undefined;
  const x = a.data;
  const y = b.data;
  const repliesOf = (message: string, data: OwedReplyData): string | undefined => {
    const rest = owedReplyText("", data.requests, data.states, data.at);
    return message.endsWith(rest) ? message.slice(0, message.length - rest.length) : undefined;
  };
  const replies = repliesOf(a.message, x);
  if (replies === undefined || replies !== repliesOf(b.message, y)) return undefined;
  const requests = unionInOrder(x.requests, y.requests);
  const states = unionInOrder(x.states, y.states);
  return { ...a, message: owedReplyText(replies, requests, states, x.at), data: { ...x, requests, states } };
}
