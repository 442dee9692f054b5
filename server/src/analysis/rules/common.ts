// Small pieces the rule modules share: states in protocol order, where a wait's arguments end, the
// union of two ordered lists.
import type ts from "typescript";
import type { Protocol } from "../protocol";
import { positionAt } from "../text";
import type { Position } from "../types";

export function argumentsEnd(call: ts.CallExpression): Position {
  const args = call.arguments;
  const sf = call.getSourceFile();
  return positionAt(sf, args.length > 0 ? args[args.length - 1]!.getEnd() : args.pos);
}

/** States in protocol order. */
export function ordered(protocol: Protocol, states: Iterable<string>): string[] {
  const order = [...protocol.states.keys()];
  return [...new Set(states)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/**
 * The items of `a` and `b` in one list, each once, keeping the order of both where they agree (two
 * findings' states or messages, each in its protocol's order): an item only in `b` goes right after
 * the item before it in `b`, else right before the item after it, else at the end.
 */
export function unionInOrder(a: readonly string[], b: readonly string[]): string[] {
  const out = [...new Set(a)];
  b.forEach((item, i) => {
    if (out.includes(item)) return;
    const before = b
      .slice(0, i)
      .reverse()
      .find((x) => out.includes(x));
    if (before !== undefined) return void out.splice(out.indexOf(before) + 1, 0, item);
    const after = b.slice(i + 1).find((x) => out.includes(x));
    if (after !== undefined) return void out.splice(out.indexOf(after), 0, item);
    out.push(item);
  });
  return out;
}
