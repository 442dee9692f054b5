// The analyser's abstract domain: values, denotations and mailbox keys are short strings whose
// prefixes only their owning modules build or read. A scan of the server's sources keeps it so;
// unit tests pin down the constructors and decoders (round trips, truthiness, equality).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import {
  DEVICE,
  DRIVER_CONTEXT,
  driverApi,
  isDriverCapability,
  isMailbox,
  isObjectLiteral,
  KERNEL_CONTEXT,
  kernelApi,
  mailboxDen,
  mailboxKey,
  MAILBOXES,
  objectLiteralDen,
  objectLiteralIdOf,
  type Denotation,
} from "../../server/src/analysis/denotation";
import { instanceDen, isInstance } from "../../server/src/analysis/instances";
import {
  DEVICE_IRQ,
  internalMailbox,
  isUnknownMailbox,
  mailboxKind,
  mailboxName,
  protocolMailbox,
  protocolMessage,
  UNKNOWN_MAILBOX,
  type MailboxKey,
} from "../../server/src/analysis/mailboxKeys";
import {
  boolValue,
  enumMemberValue,
  isWaitResult,
  mailboxOfValue,
  mailboxOfWaitResult,
  mailboxValue,
  NULL,
  numberValue,
  numericValue,
  stringValue,
  textValue,
  truthiness,
  UNDEFINED,
  valuesEqual,
  waitResult,
  waitResultMember,
} from "../../server/src/analysis/values";
import { repoRoot, tsFilesDeep } from "./harness";

/** The modules that own an encoding: the only ones that may spell its prefixes. */
const owners = ["values.ts", "denotation.ts", "instances.ts", "mailboxKeys.ts"].map((f) => path.join("server", "src", "analysis", f));

/** Prefixes of values (`s: n: b: e: m: r:`), mailbox keys (`p: d: i:`) and denotations. */
const prefixed = /^(s|n|b|e|m|r|p|i|d|fn|kfn|mbx|obj|inst):/;
/** Whole encodings that are no English word: JS undefined and null as values, the contexts. */
const bare = new Set(["u", "l", "ctx", "kctx"]);

/**
 * Places in a source text that spell an encoding: a string literal or template head with one of
 * the prefixes (`"fn:wait"`, `startsWith("r:")`, `` `m:${key}` ``), a bare encoding (`"u"`), or a
 * test of a value's first character (`v[0] === "s"`). Comments are not looked at.
 */
export function encodingsIn(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const note = (node: ts.Node): void => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push(`${file}:${line + 1}: ${node.getText(sf)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (prefixed.test(node.text) || bare.has(node.text)) note(node);
    } else if (ts.isTemplateHead(node)) {
      if (prefixed.test(node.text)) note(node.parent);
    } else if (ts.isBinaryExpression(node) && isEquality(node.operatorToken.kind)) {
      if (isFirstCharTest(node.left, node.right) || isFirstCharTest(node.right, node.left)) note(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsEqualsToken;
}

function isFirstCharTest(access: ts.Expression, literal: ts.Expression): boolean {
  return (
    ts.isElementAccessExpression(access) &&
    ts.isNumericLiteral(access.argumentExpression) &&
    access.argumentExpression.text === "0" &&
    ts.isStringLiteral(literal) &&
    literal.text.length === 1
  );
}

test("no module but the owners spells a value, denotation or mailbox key prefix", () => {
  const files = tsFilesDeep(path.join(repoRoot, "server", "src")).map((f) => path.relative(repoRoot, f));
  assert.ok(files.includes(owners[0]!), "the scan sees the analyser's sources");
  const found = files.filter((f) => !owners.includes(f)).flatMap((f) => encodingsIn(f, readFileSync(path.join(repoRoot, f), "utf8")));
  assert.deepEqual(found, [], `use the owning module's constructors and decoders instead:\n${found.join("\n")}`);
});

test("the scan finds prefix tests, built encodings and first-character tests, not comments or other strings", () => {
  const text = [
    '// a comment about `r:open` and "u"',
    'if (v.startsWith("r:")) f();',
    "const m = `m:${key}`;",
    'if (key === "u") g();',
    'const same = v[0] === "e";',
    'const plain = ["open", "file:///x", "mb", `${a}:${b}`];',
  ].join("\n");
  assert.deepEqual(encodingsIn("x.ts", text), ['x.ts:2: "r:"', "x.ts:3: `m:${key}`", 'x.ts:4: "u"', 'x.ts:5: v[0] === "e"']);
});

const keys: MailboxKey[] = [protocolMailbox("open"), DEVICE_IRQ, internalMailbox("work"), UNKNOWN_MAILBOX];

test("mailbox keys: names, protocol messages and kinds; the unknown mailbox is not JS undefined", () => {
  assert.deepEqual(keys.map(mailboxName), ["open", "irq", "work", "?"]);
  assert.deepEqual(keys.map(protocolMessage), ["open", undefined, undefined, undefined]);
  assert.deepEqual(keys.map(isUnknownMailbox), [false, false, false, true]);
  assert.equal(protocolMessage(undefined), undefined);
  const protocol = { isIncoming: (m: string) => m === "open", isOutgoing: (m: string) => m === "opened" };
  assert.deepEqual(
    [...keys, protocolMailbox("opened"), protocolMailbox("stray")].map((k) => mailboxKind(k, protocol)),
    ["in", "device", "internal", "unknown", "out", "unknown"],
  );
  assert.equal(mailboxKind(protocolMailbox("open"), undefined), "unknown");
  assert.notEqual(UNKNOWN_MAILBOX as string, UNDEFINED as string);
  assert.equal(isUnknownMailbox(UNDEFINED as unknown as MailboxKey), false);
});

test("values: constructors and decoders round-trip and stay apart", () => {
  assert.equal(stringValue(textValue("closed")), "closed");
  assert.equal(stringValue(textValue("")), "");
  assert.equal(stringValue(numberValue(1)), undefined);
  assert.equal(numericValue(numberValue(-3.5)), -3.5);
  assert.equal(numericValue(textValue("3")), undefined);
  for (const key of keys) {
    assert.equal(mailboxOfValue(mailboxValue(key)), key);
    assert.equal(mailboxOfWaitResult(waitResult(key)), key);
    assert.equal(mailboxOfValue(waitResult(key)), undefined);
    assert.equal(mailboxOfWaitResult(mailboxValue(key)), undefined);
    assert.equal(isWaitResult(waitResult(key)), true);
    assert.equal(isWaitResult(mailboxValue(key)), false);
  }
  assert.equal(isWaitResult(undefined), false);
  assert.equal(mailboxOfValue(UNDEFINED), undefined);
});

test("values: truthiness as JavaScript has it, unknown where the value cannot tell", () => {
  const cases: Array<[string, boolean | undefined]> = [
    [textValue(""), false],
    [textValue("0"), true],
    [numberValue(0), false],
    [numberValue(NaN), false],
    [numberValue(-1), true],
    [boolValue(true), true],
    [boolValue(false), false],
    [UNDEFINED, false],
    [NULL, false],
    [mailboxValue(UNKNOWN_MAILBOX), true],
    [waitResult(protocolMailbox("open")), true],
    [enumMemberValue("State.Open"), undefined],
  ];
  for (const [v, truth] of cases) assert.equal(truthiness(v as never), truth, v);
  assert.equal(truthiness(undefined), undefined);
});

test("values: equality, loose and strict; nothing is told about an unknown mailbox, even against itself", () => {
  const open = mailboxValue(protocolMailbox("open"));
  assert.equal(valuesEqual(open, mailboxValue(protocolMailbox("open")), false), true);
  assert.equal(valuesEqual(open, mailboxValue(DEVICE_IRQ), false), false);
  const unknown = mailboxValue(UNKNOWN_MAILBOX);
  assert.equal(valuesEqual(unknown, unknown, false), undefined);
  assert.equal(valuesEqual(unknown, open, false), undefined);
  assert.equal(valuesEqual(waitResult(UNKNOWN_MAILBOX), waitResult(UNKNOWN_MAILBOX), false), undefined);
  assert.equal(valuesEqual(UNDEFINED, NULL, true), true);
  assert.equal(valuesEqual(UNDEFINED, NULL, false), false);
  assert.equal(valuesEqual(UNDEFINED, unknown, true), undefined);
  assert.equal(valuesEqual(numberValue(1), textValue("1"), false), false);
  assert.equal(valuesEqual(enumMemberValue("S.A"), enumMemberValue("S.B"), false), false);
  assert.equal(valuesEqual(enumMemberValue("S.A"), numberValue(0), false), undefined);
  assert.equal(valuesEqual(undefined, open, false), undefined);
});

test("values: r.mb and r.name of a wait result; the name of an unknown mailbox is unknown", () => {
  const r = waitResult(protocolMailbox("open"));
  assert.equal(waitResultMember(r, "mb"), mailboxValue(protocolMailbox("open")));
  assert.equal(stringValue(waitResultMember(r, "name")), "open");
  assert.equal(stringValue(waitResultMember(waitResult(DEVICE_IRQ), "name")), "irq");
  assert.equal(waitResultMember(r, "data"), undefined);
  assert.equal(waitResultMember(waitResult(UNKNOWN_MAILBOX), "mb"), mailboxValue(UNKNOWN_MAILBOX));
  assert.equal(waitResultMember(waitResult(UNKNOWN_MAILBOX), "name"), undefined);
  assert.equal(waitResultMember(mailboxValue(DEVICE_IRQ), "mb"), undefined);
});

test("denotations: mailboxes, object literals and instances round-trip and stay apart", () => {
  for (const key of keys) {
    assert.equal(mailboxKey(mailboxDen(key)), key);
    assert.equal(isMailbox(mailboxDen(key)), true);
  }
  assert.equal(mailboxKey(DEVICE), undefined);
  assert.equal(objectLiteralIdOf(objectLiteralDen(7)), 7);
  assert.equal(isObjectLiteral(objectLiteralDen(0)), true);
  assert.equal(isObjectLiteral(instanceDen(0)), false);
  assert.equal(objectLiteralIdOf(instanceDen(7)), undefined);
  assert.equal(isInstance(instanceDen(3)), true);
  assert.equal(isInstance(objectLiteralDen(3)), false);
  assert.equal(isInstance(undefined), false);
  assert.notEqual(objectLiteralDen(1) as string, instanceDen(1) as string);
});

test("denotations: the driver's capabilities are its context, mailboxes and protocol functions", () => {
  const capabilities: Denotation[] = [DRIVER_CONTEXT, KERNEL_CONTEXT, MAILBOXES, driverApi.wait, driverApi.send, driverApi.spawn];
  for (const den of capabilities) assert.equal(isDriverCapability(den), true, den);
  const others: Array<Denotation | undefined> = [
    DEVICE,
    driverApi.read,
    driverApi.sleep,
    driverApi.log,
    driverApi.mailbox,
    kernelApi.schedule,
    mailboxDen(DEVICE_IRQ),
    objectLiteralDen(0),
    undefined,
  ];
  for (const den of others) assert.equal(isDriverCapability(den), false, den);
});
