// Go to definition from a mailbox to its protocol message.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { definition } from "../../server/src/features/definition";
import { analysed, conformance, positionOf } from "./helpers";

const protocolFile = path.join(conformance, "ethernet.protocol.ts");

test("from a mailbox identifier to the message property in the protocol's file", () => {
  const input = analysed(path.join(conformance, "missing-txtimeout-open.ts"));
  const text = input.document.getText();
  const use = positionOf(text, "close, xmit);");
  const links = definition(input, { line: use.line, character: use.character + 2 });
  assert.ok(links !== null && links.length === 1);
  const link = links[0]!;
  assert.equal(link.targetUri, pathToFileURL(protocolFile).href);
  const target = analysed(protocolFile).document.getText().split("\n")[link.targetSelectionRange.start.line]!;
  assert.equal(target.slice(link.targetSelectionRange.start.character, link.targetSelectionRange.end.character), "close");
  assert.match(target.slice(link.targetRange.start.character, link.targetRange.end.character), /^close: msg\.in\(/);
  assert.equal(link.originSelectionRange?.start.character, use.character);
});

test("from d.mb.x and from the destructuring declaration; nothing elsewhere", () => {
  const helper = analysed(path.join(conformance, "helper-wait.ts"));
  const p = positionOf(helper.document.getText(), "d.mb.xmit");
  const links = definition(helper, { line: p.line, character: p.character + 6 });
  assert.equal(links?.[0]?.targetUri, pathToFileURL(protocolFile).href);
  const input = analysed(path.join(conformance, "missing-txtimeout-open.ts"));
  const decl = positionOf(input.document.getText(), "txTimeout,");
  assert.ok(definition(input, decl) !== null);
  assert.equal(definition(input, { line: 0, character: 0 }), null);
});

test("within one file: a protocol defined beside its driver", () => {
  const file = path.join(conformance, "bad-protocol.ts");
  const input = analysed(file);
  const p = positionOf(input.document.getText(), "d.mb.stop");
  const links = definition(input, { line: p.line, character: p.character + 6 });
  assert.equal(links?.[0]?.targetUri, input.document.uri);
  assert.equal(links?.[0]?.targetSelectionRange.start.line, positionOf(input.document.getText(), "stop: msg").line);
});
