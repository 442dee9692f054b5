// How rules hear the analysis. The interpreter (core/, machine.ts) and the passive walker
// (rules/passive.ts) call named hooks and import no rule; active.ts and passive.ts create each
// rule's listener for one driver from the registry (rules.ts) and ask it for its findings at the end.
//
// Active drivers: the interpreter runs a driver's threads over sets of abstract states and calls
//   onWait      at a wait or sleep, once per state that reaches it (before and after the recovery
//               from owed replies: a finding is reported once, the recovered path stays silent)
//   onSend      at a send of an outgoing protocol message, once per state with a known protocol state
//   onAwait     at each `await` it evaluates
//   onLoop      at each loop it runs
//   onTest      at each condition of an `if`, loop or `switch`, with the states that test it
//   onThreadEnd at a thread's `return` or the end of its body, with the states that end there
// A listener is made for each pass over the threads (see active.ts), so only the last pass reports.
//
// Passive drivers: the walker calls onEntryPoint once per entry point, with the functions it reaches.
import type ts from "typescript";
import type { Machine } from "./machine";
import type { PassiveClass } from "./passive/passiveClass";
import type { EndRecord, SendRecord, WaitArgument, WaitRecord } from "./sites";
import type { State } from "./state";
import type { FunctionNode, LoopStatement } from "./syntax";
import type { AnalysisDiagnostic, RuleInfo } from "./types";
import type { Denotations } from "./denotation";
import type { StaticValues } from "./values";

/** One evaluation of a wait (or sleep) call: its arguments as they denote in this call's context. */
export interface WaitEvent {
  site: WaitRecord;
  args: readonly WaitArgument[];
  /** Some argument is a protocol mailbox. */
  protocol: boolean;
}

/** One evaluation of a send of an outgoing protocol message. */
export interface SendEvent {
  site: SendRecord;
  message: string;
}

export interface InterpreterHooks {
  /** `arriving`: the state as the thread reaches the wait; `waiting`: the state it blocks in. */
  onWait(m: Machine, wait: WaitEvent, arriving: State, waiting: State): void;
  /** `state` has a known protocol state. */
  onSend(m: Machine, send: SendEvent, state: State): void;
  onAwait(m: Machine, node: ts.AwaitExpression): void;
  onLoop(m: Machine, loop: LoopStatement): void;
  onTest(m: Machine, condition: ts.Expression, states: readonly State[]): void;
  onThreadEnd(m: Machine, end: EndRecord, states: readonly State[]): void;
}

/** A rule's listener for one run of the interpreter over an active driver. */
export interface ActiveListener extends Partial<InterpreterHooks> {
  /** The findings, once the run is over. */
  report(): AnalysisDiagnostic[];
}

export interface ActiveContext {
  /** The driver's function (its main thread). */
  fn: FunctionNode;
  machine: Machine;
}

/** An entry point of a passive driver, and the functions of its control flow. */
export interface EntryPoint {
  name: string;
  nameNode: ts.Node;
  fn: FunctionNode;
  /** The entry point's function first, then the functions it reaches, each with the name it is called by. */
  reached: ReadonlyArray<{ fn: FunctionNode; via: string | undefined }>;
}

export interface PassiveContext {
  factory: FunctionNode;
  den: Denotations;
  values: StaticValues;
  /** The driver's class, when the factory returns `new SomeClass(k)`. */
  pc: PassiveClass | undefined;
}

export interface PassiveListener {
  onEntryPoint(entry: EntryPoint): void;
  report(): AnalysisDiagnostic[];
}

/** A diagnostic code: what the registry lists (docs, SARIF) and the listeners that find it. */
export interface Rule extends RuleInfo {
  active?(context: ActiveContext): ActiveListener;
  passive?(context: PassiveContext): PassiveListener;
}

/** One set of hooks that calls each listener's, in order (the listeners that lack a hook are skipped). */
export function fanOut(listeners: readonly ActiveListener[]): InterpreterHooks {
  const having = (key: keyof InterpreterHooks): ActiveListener[] => listeners.filter((l) => l[key] !== undefined);
  const waits = having("onWait");
  const sends = having("onSend");
  const awaits = having("onAwait");
  const loops = having("onLoop");
  const tests = having("onTest");
  const ends = having("onThreadEnd");
  return {
    onWait: (m, wait, arriving, waiting) => {
      for (const l of waits) l.onWait!(m, wait, arriving, waiting);
    },
    onSend: (m, send, state) => {
      for (const l of sends) l.onSend!(m, send, state);
    },
    onAwait: (m, node) => {
      for (const l of awaits) l.onAwait!(m, node);
    },
    onLoop: (m, loop) => {
      for (const l of loops) l.onLoop!(m, loop);
    },
    onTest: (m, condition, states) => {
      for (const l of tests) l.onTest!(m, condition, states);
    },
    onThreadEnd: (m, end, states) => {
      for (const l of ends) l.onThreadEnd!(m, end, states);
    },
  };
}

/** Hooks that hear nothing (a Machine's until a driver's rules are wired in). */
export const silentHooks: InterpreterHooks = fanOut([]);
