// The protocol semantics of the driver's calls: wait and send, sleep as an inner wait, spawn.
// (Calls of helpers, methods and handler tables are in calls.ts.)
import ts from "typescript";
import { spreadElements } from "../arrays";
import { mailboxKey } from "../denotation";
import { isUnknownMailbox, mailboxName, protocolMessage } from "../mailboxKeys";
import type { Machine, Pair } from "../machine";
import type { SendEvent, WaitEvent } from "../listeners";
import type { WaitArgument, WaitRecord } from "../sites";
import { UNKNOWN, owedWith, owedWithout, type State } from "../state";
import { unwrap, unwrapAwait, type CallSite } from "../syntax";
import { numericValue, stringValue, UNDEFINED, waitResult } from "../values";

function noteAnchors(m: Machine, node: ts.Node, anchors: Set<CallSite>): void {
  for (const a of m.anchorsFor(node)) anchors.add(a);
}

/** The state after the owed replies are sent (recovery past AD003). */
function recover(m: Machine, s: State): State {
  let ps = s.ps;
  if (m.usable && ps !== UNKNOWN) {
    for (const reply of s.owedList()) {
      if (ps === UNKNOWN) break;
      const next = m.protocol!.next(ps, reply);
      if (next !== undefined) ps = next ?? UNKNOWN;
    }
  }
  return s.withPs(ps).withOwed("");
}

/** What the site records of a state its thread waits in (the rules hear it through `onWait`). */
function noteState(m: Machine, rec: WaitRecord, s: State, coverage: boolean): void {
  if (s.ps === UNKNOWN || !m.usable) {
    rec.stateUnknown = true;
    return;
  }
  rec.states.add(s.ps);
  if (coverage) for (const e of m.protocol!.enabledIn(s.ps)) rec.enabled.add(e);
}

export function handleWait(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const rec = m.records.wait(call, m.thread.name, false);
  noteAnchors(m, call, rec.anchors);
  const protocol = m.protocol;
  const args: WaitArgument[] = call.arguments.flatMap((a): WaitArgument[] => {
    if (!ts.isSpreadElement(a)) return [{ node: a, key: mailboxKey(m.den.of(a)) }];
    // `...openSet` of an array of mailboxes written once: each element is an argument.
    const elements = spreadElements(a.expression);
    return elements === undefined ? [{ node: a, key: undefined }] : elements.map((e) => ({ node: e, key: mailboxKey(m.den.of(e)) }));
  });
  rec.args = args;
  const unknown = args.some((a) => a.key === undefined || isUnknownMailbox(a.key));
  if (unknown) m.thread.waitsOnUnknown = true;
  if (args.length === 0 || unknown) rec.dynamic = true;
  const isProtocolWait = args.some((a) => protocolMessage(a.key) !== undefined);
  rec.protocol ||= isProtocolWait;
  for (const a of args) {
    if (a.key === undefined) continue;
    m.thread.waitsOn.add(a.key);
    const message = protocolMessage(a.key);
    if (message !== undefined && protocol?.isIncoming(message)) m.thread.ins.add(message);
  }
  const event: WaitEvent = { site: rec, args, protocol: isProtocolWait };
  const out: Pair[] = [];
  const changed = m.thread.others.writes;
  for (const s0 of states) {
    m.tick();
    // While this thread waits, the others run: what they assign is unknown after the wait.
    for (const s of m.closure(changed.length === 0 ? s0 : s0.drop(changed))) {
      let r = s;
      if (isProtocolWait) {
        if (r.owed !== "" && r.owed !== UNKNOWN) {
          for (const reply of r.owedList()) rec.owedAny.add(reply);
          r = recover(m, r).withVague(); // one mistake, one diagnostic: the recovered path stays silent
        }
        if (m.ghostIds.length > 0) r = r.drop(m.ghostIds);
      }
      noteState(m, rec, r, isProtocolWait);
      m.hooks.onWait(m, event, s, r);
      for (const a of args) {
        const key = a.key;
        if (key === undefined || isUnknownMailbox(key)) {
          out.push({ s: protocol ? r.withPs(UNKNOWN).withOwed(UNKNOWN) : r, v: undefined });
          continue;
        }
        const name = protocolMessage(key);
        if (name === undefined || !protocol) {
          out.push({ s: r, v: waitResult(key) });
          continue;
        }
        if (!protocol.isIncoming(name)) continue; // an outgoing mailbox never delivers
        let next: State;
        if (r.ps === UNKNOWN || !m.usable) next = r.withPs(UNKNOWN);
        else {
          const target = protocol.next(r.ps, name);
          if (target === undefined) continue; // not enabled here: this path cannot happen
          next = r.withPs(target ?? UNKNOWN);
        }
        const reply = protocol.messages.get(name)?.reply;
        if (reply !== undefined && protocol.isOutgoing(reply) && !m.thread.others.outs.has(reply)) next = next.withOwed(owedWith(next.owed, reply));
        out.push({ s: next, v: waitResult(key) });
      }
    }
  }
  return out;
}

export function handleSleep(m: Machine, call: ts.CallExpression, states: readonly State[]): Pair[] {
  const rec = m.records.wait(call, m.thread.name, true);
  noteAnchors(m, call, rec.anchors);
  const event: WaitEvent = { site: rec, args: [], protocol: false };
  const out: Pair[] = [];
  const changed = m.thread.others.writes;
  for (const s0 of states) {
    for (const s of m.closure(changed.length === 0 ? s0 : s0.drop(changed))) {
      noteState(m, rec, s, false);
      m.hooks.onWait(m, event, s, s);
      out.push({ s, v: UNDEFINED });
    }
  }
  return out;
}

export function handleSend(m: Machine, call: ts.CallExpression, states: readonly State[]): State[] {
  const rec = m.records.send(call, m.thread.name);
  noteAnchors(m, call, rec.anchors);
  const arg = call.arguments[0];
  const key = arg && !ts.isSpreadElement(arg) ? mailboxKey(m.den.of(arg)) : undefined;
  rec.key = key;
  const protocol = m.protocol;
  // A mailbox the analysis cannot tell may be a protocol one: the protocol state becomes unknown.
  if ((key === undefined || isUnknownMailbox(key)) && protocol) return states.map((s) => s.withPs(UNKNOWN).withOwed(UNKNOWN));
  const name = protocolMessage(key);
  if (name === undefined || !protocol) return states as State[];
  if (!protocol.isOutgoing(name)) return states as State[];
  m.thread.outs.add(name);
  const event: SendEvent = { site: rec, message: name };
  return states.map((s) => {
    if (s.ps === UNKNOWN || !m.usable) return s.withOwed(owedWithout(s.owed, name));
    rec.states.add(s.ps);
    m.hooks.onSend(m, event, s);
    const next = protocol.next(s.ps, name);
    if (next === undefined) return s.withVague(); // recovery: as if the send had not happened, and silent from here
    return s.withPs(next ?? UNKNOWN).withOwed(owedWithout(s.owed, name));
  });
}

/** A text part of a thread's name: a static value, or the name of a mailbox (`${mb.name}` of a lane). */
function namePart(m: Machine, expr: ts.Expression): string | undefined {
  const value = m.values.of(expr);
  const text = stringValue(value) ?? numericValue(value)?.toString();
  if (text !== undefined) return text;
  const e = unwrap(expr);
  if (!ts.isPropertyAccessExpression(e) || e.name.text !== "name") return undefined;
  const key = mailboxKey(m.den.of(e.expression));
  return key === undefined || isUnknownMailbox(key) ? undefined : mailboxName(key);
}

/** A spawned thread's name: a string, or a template whose parts are known (`lane-${mb.name}` in a loop over mailboxes). */
function threadName(m: Machine, arg: ts.Expression | undefined): string | undefined {
  if (arg === undefined) return undefined;
  const e = unwrap(arg);
  if (!ts.isTemplateExpression(e)) return namePart(m, e);
  let name = e.head.text;
  for (const span of e.templateSpans) {
    const part = namePart(m, span.expression);
    if (part === undefined) return undefined;
    name += part + span.literal.text;
  }
  return name;
}

export function handleSpawn(m: Machine, call: ts.CallExpression, states: readonly State[]): void {
  const nameArg = call.arguments[0];
  const name = threadName(m, nameArg && !ts.isSpreadElement(nameArg) ? nameArg : undefined) ?? "thread";
  const fnArg = call.arguments[1];
  const fn = fnArg ? m.den.functionOf(unwrapAwait(fnArg)) : undefined;
  if (!fn) {
    m.unknownThread = true;
    return;
  }
  m.onSpawn({ call, name, fn, states: [...states], captured: m.den.captured(fn) });
}
