// defineProtocol and msg: a protocol is data (messages, states, transitions) that the runtime
// monitor, the adapters and the analyser all read.
import type { InMessage, MessageMap, OutMessage, Protocol, ProtocolSpec } from "./types";
import { defined } from "./defined";

interface MessageFactory {
  /** An OS-to-driver notification (no reply). */
  in<T = void>(): InMessage<T, never>;
  /** An OS-to-driver request; `reply` names the out message that answers it. */
  in<T = void, R extends string = string>(opts: { readonly reply: R }): InMessage<T, R>;
  /** A driver-to-OS message. */
  out<T = void>(): OutMessage<T>;
}

export const msg: MessageFactory = {
  in(opts?: { readonly reply: string }) {
    return { direction: "in", ...defined({ reply: opts?.reply }) };
  },
  out() {
    return { direction: "out" };
  },
} as MessageFactory;

/** Checks the spec (unknown messages or states, replies that are not out messages) and adds derived lists. */
export function defineProtocol<const M extends MessageMap, const S extends string>(spec: ProtocolSpec<M, S>): Protocol<M, S> {
  const where = `protocol "${String(spec?.name)}"`;
  if (spec === null || typeof spec !== "object") throw new TypeError("defineProtocol: expected { name, messages, initial, states }");
  if (typeof spec.messages !== "object" || spec.messages === null) throw new TypeError(`${where}: missing messages`);
  if (typeof spec.states !== "object" || spec.states === null) throw new TypeError(`${where}: missing states`);
  const names = Object.keys(spec.messages);
  const incoming: string[] = [];
  const outgoing: string[] = [];
  for (const name of names) {
    const m = spec.messages[name] as InMessage<unknown, string> | OutMessage<unknown> | undefined;
    if (m?.direction === "in") {
      incoming.push(name);
      if (m.reply !== undefined) {
        const reply = (spec.messages as MessageMap)[m.reply];
        if (reply?.direction !== "out") throw new TypeError(`${where}: reply "${m.reply}" of "${name}" is not an out message`);
      }
    } else if (m?.direction === "out") outgoing.push(name);
    else throw new TypeError(`${where}: message "${name}" is neither msg.in() nor msg.out()`);
  }
  const stateNames = Object.keys(spec.states) as S[];
  if (!stateNames.includes(spec.initial)) throw new TypeError(`${where}: initial state "${String(spec.initial)}" is not in states`);
  for (const state of stateNames) {
    const row = spec.states[state] as Record<string, string>;
    for (const [message, next] of Object.entries(row)) {
      if (!(message in spec.messages)) throw new TypeError(`${where}: state "${state}" names unknown message "${message}"`);
      if (!stateNames.includes(next as S)) throw new TypeError(`${where}: state "${state}", message "${message}" goes to unknown state "${next}"`);
    }
  }
  return Object.freeze({
    ...spec,
    initial: spec.initial as S,
    incoming: Object.freeze(incoming),
    outgoing: Object.freeze(outgoing),
    stateNames: Object.freeze(stateNames),
  }) as Protocol<M, S>;
}
