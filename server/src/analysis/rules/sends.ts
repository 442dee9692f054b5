// AD004: a send of an outgoing message that the protocol does not allow in the states that can hold
// there. The interpreter recovers as if the send had not happened.
import type { Machine } from "../machine";
import { illegalSendText } from "../messages";
import { diagnostic, place } from "../report";
import type { AnalysisDiagnostic } from "../types";
import { ordered } from "./coverage";

export function sendDiagnostics(m: Machine): AnalysisDiagnostic[] {
  const protocol = m.protocol;
  if (!protocol || !m.usable) return [];
  const out: AnalysisDiagnostic[] = [];
  for (const rec of m.records.sends.values()) {
    if (rec.illegal.size === 0 || rec.key === undefined) continue;
    const message = rec.key.slice(2);
    const states = ordered(protocol, rec.illegal);
    const allowedIn = protocol.statesAllowing(message);
    out.push(...place(m.root, rec.call, rec.illegalAnchors, (at) => diagnostic("AD004", at, illegalSendText(message, states, allowedIn), { data: { kind: "illegalSend", message, states, allowedIn } })));
  }
  return out;
}
