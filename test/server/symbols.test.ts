// Document symbols of protocols and drivers.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import { documentSymbols } from "../../server/src/features/symbols";
import { analysed, conformance } from "./helpers";

function outline(symbols: DocumentSymbol[] | undefined, depth = 0): string[] {
  return (symbols ?? []).flatMap((s) => [`${"  ".repeat(depth)}${s.name}${s.detail ? ` (${s.detail})` : ""}`, ...outline(s.children, depth + 1)]);
}

function contained(s: DocumentSymbol): boolean {
  const inside = (a: DocumentSymbol["range"], b: DocumentSymbol["range"]) =>
    (a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character >= b.start.character)) &&
    (a.end.line < b.end.line || (a.end.line === b.end.line && a.end.character <= b.end.character));
  return inside(s.selectionRange, s.range) && (s.children ?? []).every(contained);
}

test("a protocol: its messages, and its states with their transitions as children", () => {
  const symbols = documentSymbols(analysed(path.join(conformance, "ethernet.protocol.ts")));
  assert.equal(symbols.length, 1);
  assert.equal(symbols[0]!.kind, SymbolKind.Interface);
  const lines = outline(symbols);
  assert.equal(lines[0], "ethernet (protocol)");
  assert.ok(lines.includes("  open (in · reply openComplete)"));
  assert.ok(lines.includes("  closed (initial)"));
  assert.ok(lines.includes("    open → opening"));
  assert.ok(lines.includes("    txTimeout → closing"));
  assert.ok(symbols.every(contained));
});

test("an active driver: its threads with their waits; a passive one: its entry points", () => {
  const active = outline(documentSymbols(analysed(path.join(conformance, "missing-txtimeout-open.ts"))));
  assert.deepEqual(active, [
    "active driver · ethernet (ethernet)",
    "  main (thread)",
    "    wait(open, txTimeout) ('closed')",
    "    wait(close, xmit) ('open')",
  ]);
  const passive = outline(documentSymbols(analysed(path.join(conformance, "passive-ripped.ts"))));
  assert.deepEqual(passive.slice(0, 2), ["passive driver · ethernet (ethernet)", "  open() (entry point)"]);
  assert.ok(passive.includes("  irq() (entry point)"));
});

test("a file with a protocol and a driver lists both, in source order", () => {
  const symbols = documentSymbols(analysed(path.join(conformance, "bad-protocol.ts")));
  assert.deepEqual(
    symbols.map((s) => s.kind),
    [SymbolKind.Interface, SymbolKind.Class],
  );
  assert.ok(symbols.every(contained));
});
