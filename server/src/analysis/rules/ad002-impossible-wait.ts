// AD002: a wait includes a protocol mailbox whose message is enabled in no state that can hold
// there (or an outgoing one): it never delivers at this wait. Reported at that argument; the quick
// fix removes it.
import type ts from "typescript";
import { protocolMessage } from "../mailboxKeys";
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import type { Machine } from "../machine";
import type { Protocol } from "../protocol";
import { diagnostic, place } from "../report";
import type { WaitRecord } from "../sites";
import { spanRange, statesText } from "../text";
import { UNKNOWN } from "../state";
import type { AnalysisDiagnostic } from "../types";
import { ordered, unionInOrder } from "./common";

export const rule: Rule = {
  code: "AD002",
  severity: "warning",
  name: "ImpossibleWaitMailbox",
  title: "A wait includes a protocol mailbox whose message cannot arrive in any state that holds there.",
  help: "The protocol enables this message in none of the states the driver can be in at this wait, so the mailbox never delivers here. Remove it, or check that the driver is in the state you expect.",
  active: listen,
  merge: mergeDeadMailboxes,
};

/** What a wait learns of the states that hold there. */
interface Reached {
  /** Some argument is a protocol mailbox (in some context the wait is reached in). */
  protocol: boolean;
  /** Known protocol states (vague ones included: a mailbox is dead only if no possible state enables it). */
  states: Set<string>;
  stateUnknown: boolean;
  /** Indices of protocol arguments enabled in some state. */
  liveArgs: Set<number>;
}

function listen({ machine: m }: ActiveContext): ActiveListener {
  const found = new Map<WaitRecord, Reached>();
  return {
    onWait(m, wait, _arriving, s) {
      let reached = found.get(wait.site);
      if (!reached) found.set(wait.site, (reached = { protocol: false, states: new Set(), stateUnknown: false, liveArgs: new Set() }));
      reached.protocol ||= wait.protocol;
      if (s.ps === UNKNOWN || !m.usable) {
        reached.stateUnknown = true;
        return;
      }
      reached.states.add(s.ps);
      if (!wait.protocol) return;
      const enabled = m.protocol!.enabledSetIn(s.ps);
      wait.args.forEach((a, i) => {
        const message = protocolMessage(a.key);
        if (message !== undefined && enabled.has(message)) reached.liveArgs.add(i);
      });
    },
    report() {
      const protocol = m.protocol;
      if (!protocol || !m.usable) return [];
      return [...found].flatMap(([site, r]) => (r.protocol && !r.stateUnknown && r.states.size > 0 ? deadMailboxes(m, site, r, protocol) : []));
    },
  };
}

/** AD002. */
export function deadMailboxText(message: string, states: readonly string[], outgoing: boolean): string {
  if (outgoing) return `${message} is an outgoing message: waiting on it never delivers anything`;
  const which = states.length === 1 ? "the only state that can hold here" : "the states that can hold here";
  return `${message} cannot arrive in ${statesText(states)} (${which}): this mailbox never delivers at this wait`;
}

/** The AD002 findings of a wait record: each argument that never delivers there. */
function deadMailboxes(m: Machine, rec: WaitRecord, reached: Reached, protocol: Protocol): AnalysisDiagnostic[] {
  const out: AnalysisDiagnostic[] = [];
  const states = ordered(protocol, reached.states);
  rec.args.forEach((arg, i) => {
    const name = protocolMessage(arg.key);
    if (name === undefined) return;
    const outgoing = protocol.isOutgoing(name);
    if (!outgoing && (!protocol.isIncoming(name) || reached.liveArgs.has(i))) return;
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

/** AD002 findings at one wait argument reached in different states (a helper several drivers call) as one. */
export function mergeDeadMailboxes(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined {
  if (a.data?.kind !== "deadMailbox" || b.data?.kind !== "deadMailbox" || a.data.message !== b.data.message) return undefined;
  const states = unionInOrder(a.data.states, b.data.states);
  // An outgoing message is named without states: such findings differ in nothing else.
  const outgoing = a.message === deadMailboxText(a.data.message, a.data.states, true);
  return { ...a, message: deadMailboxText(a.data.message, states, outgoing), data: { ...a.data, states } };
}
