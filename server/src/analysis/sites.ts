// What the interpreter learns at each wait, send and thread end, accumulated over every path and
// loop iteration. The rules turn these records into diagnostics once the fixpoint is reached.
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
  /** Non-vague state -> incoming messages enabled there that no argument (or other thread) covers. */
  readonly missing = new Map<string, Set<string>>();
  /** Indices of protocol arguments enabled in some state. */
  readonly liveArgs = new Set<number>();
  /** Reply -> non-vague states (before recovery) where it is owed at this protocol wait. */
  readonly owed = new Map<string, Set<string>>();
  readonly owedAny = new Set<string>();
  readonly enabled = new Set<string>();
  /** Calls in the analysed file through which a wait in another file was reached. */
  readonly anchors = new Set<CallSite>();
  /** Those through which it was reached missing a message (AD001) or owing a reply (AD003), with the states there. */
  readonly missingAnchors: Anchors = new Map();
  readonly owedAnchors: Anchors = new Map();

  constructor(
    readonly call: ts.CallExpression,
    readonly thread: string,
    readonly sleep: boolean,
  ) {}
}

export class SendRecord {
  key: MailboxKey | undefined;
  readonly states = new Set<string>();
  /** Non-vague states where the protocol does not allow the message. */
  readonly illegal = new Set<string>();
  readonly anchors = new Set<CallSite>();
  /** The calls through which the send was reached in such a state, with the states there. */
  readonly illegalAnchors: Anchors = new Map();

  constructor(
    readonly call: ts.CallExpression,
    readonly thread: string,
  ) {}
}

/** A `return` of a thread's function, or the end of its body. */
export class EndRecord {
  readonly owed = new Map<string, Set<string>>();
  readonly anchors = new Set<CallSite>();

  constructor(
    /** The return statement, or the function body (its end is the thread's end). */
    readonly node: ts.Node,
    readonly thread: string,
    readonly isReturn: boolean,
  ) {}
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
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

  static note(map: Map<string, Set<string>>, key: string, value: string): void {
    addTo(map, key, value);
  }
}
