// The sites the interpreter reaches (waits, sends, thread ends), with what it learns there over
// every path and loop iteration: the driver's model is built from them, and the rules' hooks
// (listeners.ts) receive them as the identity of a site. What a rule concludes is its own.
import type ts from "typescript";
import type { MailboxKey } from "./mailboxKeys";
import type { CallSite } from "./syntax";

/** Calls in the analysed file through which code in another file was reached, with the protocol states there. */
export type Anchors = Map<CallSite, Set<string>>;

export interface WaitArgument {
  node: ts.Expression;
  /** Mailbox key (see mailboxKeys.ts), undefined for a spread or an unknown value. */
  key: MailboxKey | undefined;
}

export class WaitRecord {
  args: WaitArgument[] = [];
  protocol = false;
  /** Some argument could not be told (spread, dynamic mailbox). */
  dynamic = false;
  /** Protocol states (after recovery) on every path, vague ones included. */
  readonly states = new Set<string>();
  stateUnknown = false;
  /** Replies owed (in any state) when a path reaches this protocol wait. */
  readonly owedAny = new Set<string>();
  /** Incoming messages enabled in the states that hold here. */
  readonly enabled = new Set<string>();
  /** Calls in the analysed file through which a wait in another file was reached. */
  readonly anchors = new Set<CallSite>();

  constructor(
    readonly call: ts.CallExpression,
    readonly thread: string,
    readonly sleep: boolean,
  ) {}
}

export class SendRecord {
  key: MailboxKey | undefined;
  readonly states = new Set<string>();
  readonly anchors = new Set<CallSite>();

  constructor(
    readonly call: ts.CallExpression,
    readonly thread: string,
  ) {}
}

/** A `return` of a thread's function, or the end of its body. */
export class EndRecord {
  readonly anchors = new Set<CallSite>();

  constructor(
    /** The return statement, or the function body (its end is the thread's end). */
    readonly node: ts.Node,
    readonly thread: string,
    readonly isReturn: boolean,
  ) {}
}

/** Adds `value` to the set `map` holds for `key`. */
export function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Notes the calls that reached a site from the analysed file (`Machine.anchorsFor`), with the protocol state on this path. */
export function noteAnchorState(anchors: Anchors, calls: readonly CallSite[], state: string): void {
  for (const call of calls) addTo(anchors, call, state);
}

export class Records {
  readonly waits = new Map<ts.CallExpression, WaitRecord>();
  readonly sends = new Map<ts.CallExpression, SendRecord>();
  readonly ends = new Map<ts.Node, EndRecord>();

  wait(call: ts.CallExpression, thread: string, sleep: boolean): WaitRecord {
    let r = this.waits.get(call);
    if (!r) this.waits.set(call, (r = new WaitRecord(call, thread, sleep)));
    return r;
  }

  send(call: ts.CallExpression, thread: string): SendRecord {
    let r = this.sends.get(call);
    if (!r) this.sends.set(call, (r = new SendRecord(call, thread)));
    return r;
  }

  end(node: ts.Node, thread: string, isReturn: boolean): EndRecord {
    let r = this.ends.get(node);
    if (!r) this.ends.set(node, (r = new EndRecord(node, thread, isReturn)));
    return r;
  }
}
