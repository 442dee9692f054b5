// AD020: errors in a protocol spec (unknown message or state, a reply that is not an out message,
// missing or unknown initial state) and unreachable states (a warning).
import type { Protocol } from "../protocol";
import { protocolText } from "../messages";
import { diagnostic } from "../report";
import type { AnalysisDiagnostic } from "../types";

export function checkProtocolSpec(protocol: Protocol): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  for (const m of protocol.messages.values()) {
    if (m.reply === undefined || !m.replyNode) continue;
    const reply = protocol.messages.get(m.reply);
    if (!reply) out.push(diagnostic("AD020", m.replyNode, protocolText.unknownReply(m.name, m.reply), { data: { kind: "protocolSpec", problem: "unknownReply", name: m.reply } }));
    else if (reply.direction === "in") out.push(diagnostic("AD020", m.replyNode, protocolText.replyNotOutgoing(m.name, m.reply), { data: { kind: "protocolSpec", problem: "replyNotOutgoing", name: m.reply } }));
  }
  const messagesKnown = protocol.messages.size > 0;
  for (const state of protocol.states.values()) {
    for (const t of state.transitions.values()) {
      if (messagesKnown && !protocol.messages.has(t.message)) {
        out.push(diagnostic("AD020", t.node, protocolText.unknownMessage(state.name, t.message), { data: { kind: "protocolSpec", problem: "unknownMessage", name: t.message } }));
      } else if (t.target !== undefined && !protocol.states.has(t.target)) {
        out.push(diagnostic("AD020", t.node, protocolText.unknownState(state.name, t.message, t.target), { data: { kind: "protocolSpec", problem: "unknownState", name: t.target } }));
      }
    }
  }
  if (protocol.initial === undefined) {
    if (!protocol.initialNode && protocol.statesNode) {
      const arg = protocol.call.arguments[0] ?? protocol.call;
      out.push(diagnostic("AD020", arg, protocolText.missingInitial(), { data: { kind: "protocolSpec", problem: "missingInitial" } }));
    }
  } else if (!protocol.states.has(protocol.initial)) {
    if (protocol.states.size > 0 && protocol.initialNode) {
      out.push(diagnostic("AD020", protocol.initialNode, protocolText.unknownInitial(protocol.initial), { data: { kind: "protocolSpec", problem: "unknownInitial", name: protocol.initial } }));
    }
  } else if (protocol.complete) {
    const reachable = protocol.reachable();
    for (const state of protocol.states.values()) {
      if (reachable.has(state.name)) continue;
      out.push(
        diagnostic("AD020", state.node, protocolText.unreachableState(state.name, protocol.initial), {
          severity: "warning",
          data: { kind: "protocolSpec", problem: "unreachableState", name: state.name },
        }),
      );
    }
  }
  return out;
}
