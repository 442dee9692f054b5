// Positions and ranges of syntax nodes, and small helpers for message text.
import ts from "typescript";
import type { Location, Position, Range } from "./types";

export function positionAt(sf: ts.SourceFile, offset: number): Position {
  const { line, character } = sf.getLineAndCharacterOfPosition(Math.max(0, Math.min(offset, sf.text.length)));
  return { line, character };
}

export function rangeOf(node: ts.Node, sf: ts.SourceFile = node.getSourceFile()): Range {
  return spanRange(sf, node.getStart(sf), node.getEnd());
}

export function spanRange(sf: ts.SourceFile, start: number, end: number): Range {
  return { start: positionAt(sf, start), end: positionAt(sf, Math.max(start, end)) };
}

export function locationOf(node: ts.Node): Location {
  const sf = node.getSourceFile();
  return { file: sf.fileName, range: rangeOf(node, sf) };
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[], conjunction = "and"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

/** `state 'open'` / `states 'closed' and 'open'`. */
export function statesText(states: readonly string[]): string {
  const quoted = states.map((s) => `'${s}'`);
  return `${states.length === 1 ? "state" : "states"} ${listText(quoted)}`;
}

/** Source text on one line, cut to `max` characters. */
export function shortText(node: ts.Node, max = 40): string {
  const text = node.getText().replace(/\s+/g, " ");
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** The indentation of the line holding `offset`. */
export function indentAt(sf: ts.SourceFile, offset: number): string {
  const lineStart = sf.getPositionOfLineAndCharacter(sf.getLineAndCharacterOfPosition(offset).line, 0);
  const match = /^[ \t]*/.exec(sf.text.slice(lineStart, offset));
  return match ? match[0] : "";
}
