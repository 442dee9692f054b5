// Message texts: one line each, in plain words, naming the state(s) and message(s).
import { listText, statesText } from "./text";

/** AD001. `byState`: state -> missing messages. */
export function missingMessagesText(byState: ReadonlyMap<string, readonly string[]>): string {
  // Group messages that are missing in the same states: "txTimeout can arrive in state 'open'".
  const statesOfMessage = new Map<string, string[]>();
  for (const [state, messages] of byState) for (const m of messages) statesOfMessage.set(m, [...(statesOfMessage.get(m) ?? []), state]);
  const groups = new Map<string, { messages: string[]; states: string[] }>();
  for (const [m, states] of statesOfMessage) {
    const key = states.join("\0");
    const g = groups.get(key) ?? { messages: [], states };
    g.messages.push(m);
    groups.set(key, g);
  }
  const parts = [...groups.values()];
  const count = statesOfMessage.size;
  const pronoun = count === 1 ? "it" : "them";
  const first = parts[0]!;
  if (parts.length === 1) return `${listText(first.messages)} can arrive in ${statesText(first.states)} but this wait does not accept ${pronoun}`;
  const clauses = parts.map((p, i) => `${listText(p.messages)} ${i === 0 ? "can arrive " : ""}in ${statesText(p.states)}`);
  return `${clauses.join("; ")}: this wait does not accept ${pronoun}`;
}

/** AD002. */
export function deadMailboxText(message: string, states: readonly string[], outgoing: boolean): string {
  if (outgoing) return `${message} is an outgoing message: waiting on it never delivers anything`;
  const which = states.length === 1 ? "the only state that can hold here" : "the states that can hold here";
  return `${message} cannot arrive in ${statesText(states)} (${which}): this mailbox never delivers at this wait`;
}

/** AD003. */
export function owedReplyText(reply: string, requests: readonly string[], states: readonly string[], at: "wait" | "threadEnd"): string {
  const request = requests.length > 0 ? ` (the reply to ${listText(requests, "or")})` : "";
  const what = at === "wait" ? "the driver waits for new requests" : "the thread ends";
  const where = states.length > 0 ? ` in ${statesText(states)}` : "";
  return `${reply}${request} is still owed${where}, but ${what}`;
}

/** AD004. */
export function illegalSendText(message: string, states: readonly string[], allowedIn: readonly string[]): string {
  const allowed = allowedIn.length === 0 ? "no state allows it" : `the protocol allows it only in ${statesText(allowedIn)}`;
  return `${message} cannot be sent in ${statesText(states)}: ${allowed}`;
}

/** AD010. */
export function rippedStateText(variable: string, writtenIn: readonly string[], testedIn: readonly string[]): string {
  return `'${variable}' is written in ${listText(writtenIn)} and tested in ${listText(testedIn)}: state carried across entry points (stack ripping)`;
}

/** AD011. */
export function callbackContinuationText(entryPoint: string, callee: string): string {
  return `${entryPoint} continues its work in a callback (${callee}): the rest runs later, on another thread, and must re-check what changed meanwhile`;
}

/** AD012. */
export function flagVariableText(variable: string, setIn: readonly string[], testedIn: readonly string[]): string {
  return `'${variable}' is set when ${listText(setIn, "or")} arrives and tested when ${listText(testedIn, "or")} arrives: a flag carrying control flow across waits that sequential code can hold`;
}

/** AD013. */
export function foreignAwaitText(awaited: string): string {
  return `awaiting '${awaited}' is not a wait, a sleep or an analysable driver helper: other threads of the domain can run in the middle of this handler`;
}

/** AD030. */
export function registerPollText(): string {
  return "this loop ends only when a device register changes and has no bound: a dead or unplugged device (reads all ones) hangs it";
}

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
