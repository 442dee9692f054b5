// Small pieces the rule modules share: states in protocol order, where a wait's arguments end.
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
