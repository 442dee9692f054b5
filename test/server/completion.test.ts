// Completion of mailboxes inside `wait(` and of messages after `d.mb.`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { completion, openWaitCall } from "../../server/src/features/completion";
import { analysed, conformance, positionOf } from "./helpers";

/** Completion at the `‸` of `withBar` (the caret is removed), analysing that text as `file`. */
function complete(file: string, replace: string, withBar: string) {
  const original = fs.readFileSync(file, "utf8");
  assert.ok(original.includes(replace));
  const marked = original.replace(replace, withBar);
  const offset = marked.indexOf("‸");
  const text = marked.replace("‸", "");
  const input = analysed(file, text, 2);
  return { items: completion(input, input.document.positionAt(offset)), input, offset };
}

test("inside wait(: enabled messages not yet listed come first, as the in-scope binding", () => {
  const { items } = complete(path.join(conformance, "missing-txtimeout-open.ts"), "d.wait(close, xmit)", "d.wait(close, xmit, ‸)");
  const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
  assert.equal(sorted[0]!.label, "txTimeout");
  assert.equal(sorted[0]!.preselect, true);
  assert.equal(sorted[0]!.detail, "enabled in state 'open'");
  assert.equal(sorted[0]!.textEdit && "range" in sorted[0]!.textEdit ? sorted[0]!.textEdit.newText : undefined, "txTimeout");
  assert.ok(!items.some((i) => i.label === "close" || i.label === "xmit"), "listed mailboxes are not offered again");
  assert.ok(!items.some((i) => i.label === "openComplete"), "outgoing messages cannot be waited on");
  const open = items.find((i) => i.label === "open");
  assert.match(open?.detail ?? "", /^not enabled in state 'open'/);
  assert.ok(items.some((i) => i.label === "irq"));
});

test("inside wait( without destructured mailboxes: d.mb.<name>, replacing what is typed", () => {
  const { items, input, offset } = complete(path.join(conformance, "helper-wait.ts"), "d.wait(d.mb.close, d.mb.xmit)", "d.wait(d.mb.close, d.mb.xmit, tx‸)");
  const tx = items.find((i) => i.label === "txTimeout");
  assert.ok(tx !== undefined && tx.textEdit !== undefined && "range" in tx.textEdit);
  assert.equal(tx.textEdit.newText, "d.mb.txTimeout");
  assert.equal(input.document.offsetAt(tx.textEdit.range.start), offset - 2);
  assert.equal(tx.sortText!.startsWith("0"), true);
});

test("after d.mb.: every protocol message, with direction", () => {
  const { items } = complete(path.join(conformance, "helper-wait.ts"), "d.send(d.mb.openComplete", "d.send(d.mb.op‸enComplete");
  assert.deepEqual(
    items.map((i) => i.label),
    ["open", "openComplete", "close", "closeComplete", "xmit", "txTimeout"],
  );
  assert.equal(items.find((i) => i.label === "openComplete")?.detail, "outgoing message");
});

test("nothing outside a wait or a driver", () => {
  const { items } = complete(path.join(conformance, "missing-txtimeout-open.ts"), "let state", "let ‸state");
  assert.deepEqual(items, []);
  const protocol = analysed(path.join(conformance, "ethernet.protocol.ts"));
  assert.deepEqual(completion(protocol, positionOf(protocol.document.getText(), "open:")), []);
});

test("the unclosed wait( is found across nested calls and not past a statement's end", () => {
  const text = "const r = await d.wait(open, f(x), ";
  assert.deepEqual(openWaitCall(text, text.length), { open: text.indexOf("("), context: "d" });
  assert.equal(openWaitCall("wait(a); b(", 11), undefined);
  assert.deepEqual(openWaitCall("await wait(", 11), { open: 10, context: undefined });
});
