// The interpreter's core: abstract execution of a driver thread over sets of abstract states. Its
// four modules call each other, and this is the cycle:
//
//   interpreter.ts  statements (blocks, if, switch, loops to a fixpoint, try/finally, return)
//        |  evaluates expressions with
//        v
//   evaluate.ts     expressions (operators, assignments, awaits, tests that split states)
//        |  evaluates calls with
//        v
//   calls.ts        calls: helpers, methods, handler tables, .call/.apply/.bind, `new`
//        |  runs a helper's body with interpreter.ts `runBody` (back to the top), and the
//        v  driver's own operations with
//   effects.ts      wait, sleep, send, spawn: the protocol's semantics
//
// The entry point is `runThread` (one thread's function from its entry states). The rules hear the
// run through the Machine's hooks (listeners.ts: onWait, onSend, onAwait, onLoop, onTest,
// onThreadEnd) and keep what they conclude themselves; none is imported here.
export { runThread } from "./interpreter";
