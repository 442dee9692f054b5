// Hovers on mailbox identifiers and on waits.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { MarkupContent } from "vscode-languageserver";
import { hover } from "../../server/src/features/hover";
import { analysed, conformance, fixtures, positionOf } from "./helpers";

const missingOpen = path.join(conformance, "missing-txtimeout-open.ts");

function hoverText(file: string, needle: string, after = 0, shift = 1): string | undefined {
  const input = analysed(file);
  const p = positionOf(input.document.getText(), needle, after);
  const h = hover(input, { line: p.line, character: p.character + shift });
  return h === null ? undefined : (h.contents as MarkupContent).value;
}

test("hover on a destructured incoming mailbox: direction, payload, states that enable it, who waits on it", () => {
  const text = hoverText(missingOpen, "txTimeout,");
  assert.ok(text !== undefined);
  assert.match(text, /\*\*txTimeout\*\* · incoming message \(OS → driver\) of protocol `ethernet`/);
  assert.match(text, /Payload: none/);
  assert.match(text, /Enabled in states 'closed', 'opening', 'open' and 'closing'/);
  assert.match(text, /Waited on by thread `main` \(line 11\)/);
});

test("hover on a request and on its reply", () => {
  const open = hoverText(missingOpen, "open, close");
  assert.match(open ?? "", /incoming request/);
  assert.match(open ?? "", /Reply: `openComplete`/);
  assert.match(open ?? "", /Enabled in state 'closed'/);
  const reply = hoverText(missingOpen, "openComplete, {");
  assert.match(reply ?? "", /outgoing message \(driver → OS\)/);
  assert.match(reply ?? "", /Payload: `\{ status: number \}`/);
  assert.match(reply ?? "", /Answers: `open`/);
  assert.match(reply ?? "", /May be sent in state 'opening'/);
});

test("hover on d.mb.x members and on the device's irq mailbox", () => {
  const member = hoverText(path.join(conformance, "helper-wait.ts"), "d.mb.close", 0, 6);
  assert.match(member ?? "", /\*\*close\*\* · incoming request/);
  const irq = hoverText(path.join(fixtures, "switch-missing.ts"), "d.dev.irq", 0, 7);
  assert.match(irq ?? "", /\*\*irq\*\* · device interrupt mailbox/);
  assert.match(irq ?? "", /\{ isr: number \}/);
});

test("hover on a wait: its states, what it accepts and what it misses", () => {
  const input = analysed(missingOpen);
  const text = input.document.getText();
  const p = positionOf(text, "wait(close, xmit)");
  const h = hover(input, { line: p.line, character: p.character + 1 });
  const value = (h?.contents as MarkupContent | undefined)?.value ?? "";
  assert.match(value, /\*\*Protocol wait\*\* in state 'open' · thread `main`/);
  assert.match(value, /Accepts 2\/3 enabled messages: `close` and `xmit`/);
  assert.match(value, /Missing: `txTimeout` in 'open'/);
  assert.equal(h?.range?.start.line, p.line);
});

test("hover on an inner wait, and nothing away from mailboxes and waits", () => {
  const inner = hoverText(path.join(conformance, "fig4-ok.ts"), "d.wait(d.dev.irq)", 0, 3);
  assert.match(inner ?? "", /\*\*Inner wait\*\*/);
  assert.match(inner ?? "", /Protocol state 'opening'/);
  const input = analysed(missingOpen);
  assert.equal(hover(input, { line: 0, character: 3 }), null);
});
