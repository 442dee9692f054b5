// One active driver: runs its threads through the interpreter (again, with each thread's share of
// the protocol, while the threads' messages change), then turns what was learned into diagnostics
// and a model of the driver.
import ts from "typescript";
import { Denotations, DRIVER_CONTEXT, mailboxKey, type Denotation } from "./denotation";
import { fileIndex } from "./fileIndex";
import { isUnknownMailbox, mailboxName, type MailboxKey } from "./mailboxKeys";
import { driverFunction, resolveProtocol, type DriverCall } from "./discovery";
import { runThread } from "./core";
import { fanOut, type ActiveListener, type Rule } from "./listeners";
import { Machine, type SpawnRequest, type ThreadRun } from "./machine";
import type { Modules } from "./modules";
import type { Protocol } from "./protocol";
import { argumentsEnd, ordered } from "./rules/common";
import { State, StateSet, UNKNOWN } from "./state";
import type { FunctionNode } from "./syntax";
import { rangeOf } from "./text";
import { Tracking } from "./tracking";
import type { AnalysisDiagnostic, CancellationLike, DriverModel, MailboxBinding } from "./types";
import type { StaticValues } from "./values";

export interface DriverEnvironment {
  root: ts.SourceFile;
  modules: Modules;
  values: StaticValues;
  deadline: number;
  cancellation: CancellationLike | undefined;
  /** The registry (rules.ts): each rule with an `active` listener hears the interpreter. */
  rules: readonly Rule[];
}

interface ThreadEntry {
  /** "main", or the spawn call and what its function closes over: one thread per lane of a loop that spawns. */
  key: string;
  name: string;
  fn: FunctionNode;
  call?: ts.CallExpression;
  captured: Array<[ts.Node, Denotation]>;
  entry: StateSet;
  run?: ThreadRun;
}

function spawnKey(req: SpawnRequest): string {
  const at = (n: ts.Node): string => `${n.getSourceFile().fileName}:${n.pos}`;
  return [at(req.call), ...req.captured.map(([node, den]) => `${at(node)}=${den}`).sort()].join("|");
}

/** Passes over the threads while their shares of the protocol keep changing. */
const MAX_PASSES = 4;

type Shares = Map<string, { ins: Set<string>; outs: Set<string>; writes: number[]; waitsOnUnknown: boolean }>;

function othersOf(threads: readonly ThreadEntry[], key: string): Shares extends Map<string, infer V> ? V : never {
  const ins = new Set<string>();
  const outs = new Set<string>();
  const writes = new Set<number>();
  let waitsOnUnknown = false;
  for (const t of threads) {
    if (t.key === key || !t.run) continue;
    for (const m of t.run.ins) ins.add(m);
    for (const m of t.run.outs) outs.add(m);
    for (const id of t.run.writes) writes.add(id);
    waitsOnUnknown ||= t.run.waitsOnUnknown;
  }
  return { ins, outs, writes: [...writes].sort((a, b) => a - b), waitsOnUnknown };
}

function sameShares(a: Shares, b: Shares): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.ins.size !== v.ins.size || w.outs.size !== v.outs.size || w.writes.join() !== v.writes.join() || w.waitsOnUnknown !== v.waitsOnUnknown)
      return false;
    for (const m of v.ins) if (!w.ins.has(m)) return false;
    for (const m of v.outs) if (!w.outs.has(m)) return false;
  }
  return true;
}

export function driverProtocol(driver: DriverCall, modules: Modules): Protocol | undefined {
  return driver.protocolExpr ? resolveProtocol(driver.protocolExpr, modules) : undefined;
}

export function baseModel(driver: DriverCall, protocol: Protocol | undefined, fn: FunctionNode | undefined): DriverModel {
  return {
    kind: driver.kind,
    range: rangeOf(driver.call),
    ...(fn ? { functionRange: rangeOf(fn) } : {}),
    ...(protocol ? { protocol: protocol.toModel(), protocolFile: protocol.file } : {}),
    ...(protocol?.name !== undefined ? { protocolName: protocol.name } : {}),
    threads: [],
    waits: [],
    sends: [],
    mailboxBindings: [],
    entryPoints: [],
  };
}

export function analyzeActive(driver: DriverCall, env: DriverEnvironment): { diagnostics: AnalysisDiagnostic[]; model: DriverModel } {
  const protocol = driverProtocol(driver, env.modules);
  const den = new Denotations(env.modules, protocol);
  const fn = driverFunction(driver.fnExpr, (e) => den.functionOf(e));
  const model = baseModel(driver, protocol, fn);
  if (!fn) return { diagnostics: [], model };
  const first = fn.parameters[0];
  if (first) den.bindParameter(first, DRIVER_CONTEXT);
  const tracking = new Tracking();
  const initial = new State(protocol?.usable ? protocol.initial! : UNKNOWN, "", new Map(), false);

  let shares: Shares = new Map();
  let m!: Machine;
  let listeners: ActiveListener[] = [];
  let threads: ThreadEntry[] = [];
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    m = new Machine(env.root, env.modules, den, env.values, tracking, protocol, env.deadline, env.cancellation);
    const machine = m;
    listeners = env.rules.flatMap((rule) => (rule.active ? [rule.active({ fn, machine })] : []));
    m.hooks = fanOut(listeners);
    const current: ThreadEntry[] = [{ key: "main", name: "main", fn, captured: [], entry: StateSet.of([initial]) }];
    m.onSpawn = (req) => {
      const key = spawnKey(req);
      let t = current.find((x) => x.key === key);
      if (!t) current.push((t = { key, name: req.name, fn: req.fn, call: req.call, captured: req.captured, entry: new StateSet() }));
      for (const s of req.states) t.entry.add(new State(s.ps, "", new Map(), s.vague));
    };
    for (let i = 0; i < current.length; i++) {
      const t = current[i]!;
      m.beginThread(t.name, shares.get(t.key) ?? { ins: new Set(), outs: new Set(), writes: [], waitsOnUnknown: false });
      // A spawned thread that waits on no protocol message only sees the protocol state other
      // threads move: whatever it holds at its start is a guess, so its findings stay silent.
      const before = threads.find((x) => x.key === t.key)?.run;
      const entry = t.call && before && before.ins.size === 0 ? t.entry.toArray().map((s) => s.withVague()) : t.entry.toArray();
      den.within(t.captured, [], () => runThread(m, t.fn, entry));
      t.run = m.thread;
    }
    threads = current;
    if (threads.length === 1) break;
    const next: Shares = new Map(threads.map((t) => [t.key, othersOf(threads, t.key)]));
    if (sameShares(next, shares)) break;
    shares = next;
  }

  // Only the last pass reports: its threads saw the others' final shares of the protocol.
  const diagnostics = listeners.flatMap((l) => l.report());
  fillModel(model, m, den, threads);
  return { diagnostics, model };
}

function fillModel(model: DriverModel, m: Machine, den: Denotations, threads: readonly ThreadEntry[]): void {
  const protocol = m.protocol;
  const order = (states: Iterable<string>): string[] => (protocol ? ordered(protocol, states) : [...states]);
  model.threads = threads.map((t) => ({
    name: t.name,
    file: (t.call ?? t.fn).getSourceFile().fileName,
    range: rangeOf(t.call ?? t.fn),
    owns: [...(t.run?.waitsOn ?? [])].map(mailboxName),
  }));
  for (const rec of m.records.waits.values()) {
    model.waits.push({
      file: rec.call.getSourceFile().fileName,
      range: rangeOf(rec.call),
      argumentsEnd: argumentsEnd(rec.call),
      kind: rec.protocol ? "protocol" : "inner",
      sleep: rec.sleep,
      mailboxes: rec.args.map((a) => ({ name: a.key ? mailboxName(a.key) : "?", kind: a.key ? den.mailboxKind(a.key) : "unknown", range: rangeOf(a.node) })),
      states: order(rec.states),
      stateUnknown: rec.stateUnknown,
      enabled: protocol ? protocol.messageNames().filter((n) => rec.enabled.has(n)) : [...rec.enabled],
      owed: [...rec.owedAny].sort(),
      thread: rec.thread,
    });
  }
  for (const rec of m.records.sends.values()) {
    model.sends.push({
      file: rec.call.getSourceFile().fileName,
      range: rangeOf(rec.call),
      ...(rec.key !== undefined && !isUnknownMailbox(rec.key) ? { message: mailboxName(rec.key) } : {}),
      kind: rec.key ? den.mailboxKind(rec.key) : "unknown",
      states: order(rec.states),
      thread: rec.thread,
    });
  }
  model.mailboxBindings = mailboxBindings(m.root, den);
}

/** Identifiers of the file that denote mailboxes: `open` in `const { open } = d.mb`, uses, `d.mb.open`. */
function mailboxBindings(sf: ts.SourceFile, den: Denotations): MailboxBinding[] {
  const index = fileIndex(sf);
  const out: MailboxBinding[] = [];
  const add = (node: ts.Node, key: MailboxKey | undefined, declaration: boolean): void => {
    if (key === undefined || isUnknownMailbox(key)) return;
    out.push({ range: rangeOf(node, sf), text: node.getText(sf), mailbox: mailboxName(key), kind: den.mailboxKind(key), declaration });
  };
  const memberNames = new Set(["irq", ...(den.protocol ? den.protocol.messageNames() : [])]);
  for (const pa of index.propertyAccesses) if (memberNames.has(pa.name.text)) add(pa.name, mailboxKey(den.of(pa)), false);
  const declared = new Set<string>();
  for (const d of index.declarations) {
    const key = mailboxKey(den.ofDeclaration(d));
    if (key === undefined) continue;
    add(d.name, key, true);
    declared.add((d.name as ts.Identifier).text);
  }
  for (const id of index.references) if (declared.has(id.text)) add(id, mailboxKey(den.of(id)), false);
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
