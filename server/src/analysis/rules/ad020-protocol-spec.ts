// AD020: errors in a protocol spec (unknown message or state, a reply that is not an out message,
// missing or unknown initial state) and unreachable states (a warning).
import type { Protocol } from "../protocol";
import { diagnostic } from "../report";
import type { AnalysisDiagnostic, RuleInfo } from "../types";

export function checkProtocolSpec(protocol: Protocol): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  for (const m of protocol.messages.values()) {
    if (m.reply === undefined || !m.replyNode) continue;
    const reply = protocol.messages.get(m.reply);
    if (!reply)
      out.push(
        diagnostic(rule, m.replyNode, protocolText.unknownReply(m.name, m.reply), { data: { kind: "protocolSpec", problem: "unknownReply", name: m.reply } }),
      );
    else if (reply.direction === "in")
      out.push(
        diagnostic(rule, m.replyNode, protocolText.replyNotOutgoing(m.name, m.reply), {
          data: { kind: "protocolSpec", problem: "replyNotOutgoing", name: m.reply },
        }),
      );
  }
  const messagesKnown = protocol.messages.size > 0;
  for (const state of protocol.states.values()) {
    for (const t of state.transitions.values()) {
      if (messagesKnown && !protocol.messages.has(t.message)) {
        out.push(
          diagnostic(rule, t.node, protocolText.unknownMessage(state.name, t.message), {
            data: { kind: "protocolSpec", problem: "unknownMessage", name: t.message },
          }),
        );
      } else if (t.target !== undefined && !protocol.states.has(t.target)) {
        out.push(
          diagnostic(rule, t.node, protocolText.unknownState(state.name, t.message, t.target), {
            data: { kind: "protocolSpec", problem: "unknownState", name: t.target },
          }),
        );
      }
    }
  }
  if (protocol.initial === undefined) {
    if (!protocol.initialNode && protocol.statesNode) {
      const arg = protocol.call.arguments[0] ?? protocol.call;
      out.push(diagnostic(rule, arg, protocolText.missingInitial(), { data: { kind: "protocolSpec", problem: "missingInitial" } }));
    }
  } else if (!protocol.states.has(protocol.initial)) {
    if (protocol.states.size > 0 && protocol.initialNode) {
      out.push(
        diagnostic(rule, protocol.initialNode, protocolText.unknownInitial(protocol.initial), {
          data: { kind: "protocolSpec", problem: "unknownInitial", name: protocol.initial },
        }),
      );
    }
  } else if (protocol.complete) {
    const reachable = protocol.reachable();
    for (const state of protocol.states.values()) {
      if (reachable.has(state.name)) continue;
      out.push(
        diagnostic(rule, state.node, protocolText.unreachableState(state.name, protocol.initial), {
          severity: "warning",
          data: { kind: "protocolSpec", problem: "unreachableState", name: state.name },
        }),
      );
    }
  }
  return out;
}

export const rule: RuleInfo = {
  code: "AD020",
  severity: "error",
  name: "ProtocolSpec",
  title: "Protocol spec error: unknown message or state, a reply that is not an out message, a missing initial state, or an unreachable state (warning).",
  help: "Every row key must be a message, every target a state, every `reply:` an outgoing message, and `initial` a state; every state should be reachable from the initial one.",
};

/** AD020 texts. */
export const protocolText = {
  unknownMessage: (state: string, message: string) => `state '${state}' names '${message}', which is not a message of the protocol`,
  unknownState: (state: string, message: string, target: string) => `state '${state}' moves on ${message} to '${target}', which is not a state`,
  unknownReply: (request: string, reply: string) => `the reply of ${request}, '${reply}', is not a message of the protocol`,
  replyNotOutgoing: (request: string, reply: string) => `the reply of ${request}, '${reply}', is not an outgoing message`,
  missingInitial: () => "the protocol has no initial state",
  unknownInitial: (initial: string) => `initial state '${initial}' is not a state`,
  unreachableState: (state: string, initial: string) => `state '${state}' cannot be reached from the initial state '${initial}'`,
};
