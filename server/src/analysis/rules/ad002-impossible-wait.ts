// AD002: a wait includes a protocol mailbox whose message is enabled in no state that can hold
// there (or an outgoing one): it never delivers at this wait. Reported at that argument; the quick
// fix removes it.
import type ts from "typescript";
import { protocolMessage } from "../mailboxKeys";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place } from "../report";
import type { WaitRecord } from "../sites";
import { spanRange, statesText } from "../text";
import type { AnalysisDiagnostic, RuleInfo } from "../types";
import { ordered } from "./common";

export const rule: RuleInfo = {
  code: "AD002",
  severity: "warning",
  name: "ImpossibleWaitMailbox",
  title: "A wait includes a protocol mailbox whose message cannot arrive in any state that holds there.",
  help: "The protocol enables this message in none of the states the driver can be in at this wait, so the mailbox never delivers here. Remove it, or check that the driver is in the state you expect.",
};

/** AD002. */
export function deadMailboxText(message: string, states: readonly string[], outgoing: boolean): string {
  if (outgoing) return `${message} is an outgoing message: waiting on it never delivers anything`;
  const which = states.length === 1 ? "the only state that can hold here" : "the states that can hold here";
  return `${message} cannot arrive in ${statesText(states)} (${which}): this mailbox never delivers at this wait`;
}

/** The AD002 findings of a wait record: each argument that never delivers there. */
export function deadMailboxes(m: Machine, rec: WaitRecord, protocol: Protocol): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  const states = ordered(protocol, rec.states);
  rec.args.forEach((arg, i) => {
    const name = protocolMessage(arg.key);
    if (name === undefined) return;
    const outgoing = protocol.isOutgoing(name);
    if (!outgoing && (!protocol.isIncoming(name) || rec.liveArgs.has(i))) return;
    // An element of a spread array may serve other waits too: the array is no place to remove it.
    if (arg.node.parent !== rec.call) return;
    const sf = rec.call.getSourceFile();
    const args = rec.call.arguments;
    const at = args.indexOf(arg.node as ts.Expression);
    const removal =
      at + 1 < args.length
        ? spanRange(sf, arg.node.getStart(sf), args[at + 1]!.getStart(sf))
        : at > 0
          ? spanRange(sf, args[at - 1]!.getEnd(), arg.node.getEnd())
          : spanRange(sf, arg.node.getStart(sf), arg.node.getEnd());
    out.push(
      ...place(m.root, arg.node, rec.anchors, (at) =>
        diagnostic(rule, at, deadMailboxText(name, states, outgoing), { data: { kind: "deadMailbox", message: name, states, removalRange: removal } }),
      ),
    );
  });
  return out;
}
