// AD004: a send of an outgoing message that the protocol does not allow in the states that can hold
// there. The interpreter recovers as if the send had not happened.
import { protocolMessage } from "../mailboxKeys";
import type { Machine } from "../machine";
import { diagnostic, place } from "../report";
import { statesText } from "../text";
import type { AnalysisDiagnostic, RuleInfo } from "../types";
import { ordered } from "./common";

export function sendDiagnostics(m: Machine): AnalysisDiagnostic[] {
  const protocol = m.protocol;
  if (!protocol || !m.usable) return [];
  const out: AnalysisDiagnostic[] = [];
  for (const rec of m.records.sends.values()) {
    const message = protocolMessage(rec.key);
    if (rec.illegal.size === 0 || message === undefined) continue;
    const states = ordered(protocol, rec.illegal);
    const allowedIn = protocol.statesAllowing(message);
    out.push(
      ...place(m.root, rec.call, rec.illegalAnchors, (at) =>
        diagnostic(rule, at, illegalSendText(message, states, allowedIn), { data: { kind: "illegalSend", message, states, allowedIn } }),
      ),
    );
  }
  return out;
}

export const rule: RuleInfo = {
  code: "AD004",
  severity: "error",
  name: "IllegalSend",
  title: "The driver sends an outgoing message the protocol does not allow in the current state.",
  help: "Each state's row lists the outgoing messages the driver may send in it. Send the message only in a state that allows it, or fix the protocol.",
};

/** AD004. */
export function illegalSendText(message: string, states: readonly string[], allowedIn: readonly string[]): string {
  const allowed = allowedIn.length === 0 ? "no state allows it" : `the protocol allows it only in ${statesText(allowedIn)}`;
  return `${message} cannot be sent in ${statesText(states)}: ${allowed}`;
}
