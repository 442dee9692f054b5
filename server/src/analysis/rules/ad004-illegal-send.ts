// AD004: a send of an outgoing message that the protocol does not allow in the states that can hold
// there. The interpreter recovers as if the send had not happened.
import type { ActiveContext, ActiveListener, Rule } from "../listeners";
import { diagnostic, place } from "../report";
import { noteAnchorState, type Anchors, type SendRecord } from "../sites";
import { statesText } from "../text";
import type { AnalysisDiagnostic } from "../types";
import { ordered, unionInOrder } from "./common";

/** The non-vague states a send was reached in where the protocol does not allow its message, and the calls that reached it there. */
interface Illegal {
  message: string;
  states: Set<string>;
  anchors: Anchors;
}

function listen({ machine: m }: ActiveContext): ActiveListener {
  // Per send site, per message: one site sends several (a for...of variable, a helper's parameter).
  const found = new Map<SendRecord, Map<string, Illegal>>();
  return {
    onSend(m, send, s) {
      if (s.vague || m.protocol!.next(s.ps, send.message) !== undefined) return;
      let bySite = found.get(send.site);
      if (!bySite) found.set(send.site, (bySite = new Map()));
      let illegal = bySite.get(send.message);
      if (!illegal) bySite.set(send.message, (illegal = { message: send.message, states: new Set(), anchors: new Map() }));
      illegal.states.add(s.ps);
      noteAnchorState(illegal.anchors, m.anchorsFor(send.site.call), s.ps);
    },
    report() {
      const protocol = m.protocol;
      if (!protocol || !m.usable) return [];
      return [...found].flatMap(([site, bySite]) =>
        [...bySite.values()].flatMap(({ message, states: reached, anchors }) => {
          const states = ordered(protocol, reached);
          const allowedIn = protocol.statesAllowing(message);
          return place(m.root, site.call, anchors, (at) =>
            diagnostic(rule, at, illegalSendText(message, states, allowedIn), { data: { kind: "illegalSend", message, states, allowedIn } }),
          );
        }),
      );
    },
  };
}

export const rule: Rule = {
  code: "AD004",
  severity: "error",
  name: "IllegalSend",
  title: "The driver sends an outgoing message the protocol does not allow in the current state.",
  help: "Each state's row lists the outgoing messages the driver may send in it. Send the message only in a state that allows it, or fix the protocol.",
  active: listen,
  merge: mergeIllegalSends,
};

/** AD004. */
export function illegalSendText(message: string, states: readonly string[], allowedIn: readonly string[]): string {
  const allowed = allowedIn.length === 0 ? "no state allows it" : `the protocol allows it only in ${statesText(allowedIn)}`;
  return `${message} cannot be sent in ${statesText(states)}: ${allowed}`;
}

/** AD004 findings at one send reached in different states (a helper several drivers call) as one. */
export function mergeIllegalSends(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined {
  if (a.data?.kind !== "illegalSend" || b.data?.kind !== "illegalSend" || a.data.message !== b.data.message) return undefined;
  // Drivers of different protocols may call one helper: the allowed states are each protocol's.
  if (a.data.allowedIn.join("\0") !== b.data.allowedIn.join("\0")) return undefined;
  const states = unionInOrder(a.data.states, b.data.states);
  return { ...a, message: illegalSendText(a.data.message, states, a.data.allowedIn), data: { ...a.data, states } };
}
