// The analysis API as the language server uses it: the model of a file (drivers, protocol, wait
// and send sites, threads, mailbox bindings), quick-fix data, cancellation and budgets, imports.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import {
  analyzeFile,
  createAnalysisCache,
  rules,
  type AnalysisDiagnostic,
  type AnalysisHost,
  type AnalysisResult,
  type DiagnosticData,
} from "../../server/src/analysis";
import { generateDriver, generateProtocol } from "../bench/analysis.bench";
import { analyzePath, casesDir, conformanceDir } from "./harness";

const conformance = (name: string): AnalysisResult => analyzePath(path.join(conformanceDir, name)).result;

function memoryHost(files: Record<string, string>): AnalysisHost {
  return { readFile: (p) => files[p] };
}

/** The quick-fix data of a diagnostic, checked to be of the expected kind. */
function dataOf<K extends DiagnosticData["kind"]>(diag: AnalysisDiagnostic | undefined, kind: K): Extract<DiagnosticData, { kind: K }> {
  assert.ok(diag, "a diagnostic");
  assert.equal(diag.data?.kind, kind);
  return diag.data as Extract<DiagnosticData, { kind: K }>;
}

const ethernet = analyzePath(path.join(conformanceDir, "ethernet.protocol.ts")).text;

test("rules: one entry per code with severity and help text", () => {
  assert.deepEqual(
    rules.map((r) => r.code),
    ["AD001", "AD002", "AD003", "AD004", "AD010", "AD011", "AD012", "AD013", "AD020", "AD030", "AD090"],
  );
  for (const r of rules) assert.ok(r.help.length > 40 && r.title.length > 10);
});

test("a protocol file: its protocol with messages, states, transitions and positions", () => {
  const r = conformance("ethernet.protocol.ts");
  assert.equal(r.protocols.length, 1);
  const p = r.protocols[0]!;
  assert.equal(p.name, "ethernet");
  assert.equal(p.initial, "closed");
  assert.ok(p.complete);
  assert.deepEqual(
    p.messages.map((m) => `${m.name}:${m.direction}:${m.reply ?? ""}`),
    ["open:in:openComplete", "openComplete:out:", "close:in:closeComplete", "closeComplete:out:", "xmit:in:", "txTimeout:in:"],
  );
  assert.equal(p.messages.find((m) => m.name === "xmit")!.payloadType, "{ frame: Uint8Array }");
  assert.equal(p.messages[0]!.nameRange.start.line, 6);
  const open = p.states.find((s) => s.name === "open")!;
  assert.deepEqual(
    open.transitions.map((t) => `${t.message}->${t.target}`),
    ["close->closing", "xmit->open", "txTimeout->open"],
  );
  assert.equal(open.range.start.line, 17);
  assert.ok(p.states.every((s) => s.reachable));
  assert.deepEqual(r.drivers, []);
});

test("fig4: the driver, its protocol from the imported file, wait and send sites with their states", () => {
  const r = conformance("fig4-ok.ts");
  assert.deepEqual(r.diagnostics, []);
  assert.equal(r.drivers.length, 1);
  const d = r.drivers[0]!;
  assert.equal(d.kind, "active");
  assert.equal(d.protocolName, "ethernet");
  assert.ok(d.protocolFile!.endsWith("ethernet.protocol.ts"));
  assert.equal(d.protocol!.initial, "closed");
  const waitAt = (line: number) => d.waits.find((w) => w.range.start.line === line - 1)!;
  const closed = waitAt(12);
  assert.equal(closed.kind, "protocol");
  assert.deepEqual(closed.states, ["closed"]);
  assert.deepEqual(closed.enabled, ["open", "txTimeout"]);
  assert.deepEqual(
    closed.mailboxes.map((m) => `${m.name}:${m.kind}`),
    ["open:in", "txTimeout:in"],
  );
  assert.equal(closed.thread, "main");
  const inner = waitAt(15);
  assert.equal(inner.kind, "inner");
  assert.deepEqual(
    inner.mailboxes.map((m) => `${m.name}:${m.kind}`),
    ["irq:device"],
  );
  assert.deepEqual(inner.owed, []);
  assert.deepEqual(inner.states, ["opening"]);
  const open = waitAt(22);
  assert.deepEqual(open.states, ["open"]);
  assert.deepEqual(open.enabled, ["close", "xmit", "txTimeout"]);
  const send = d.sends.find((s) => s.range.start.line === 15)!;
  assert.equal(send.message, "openComplete");
  assert.equal(send.kind, "out");
  assert.deepEqual(send.states, ["opening"]);
  assert.deepEqual(
    d.threads.map((t) => t.name),
    ["main"],
  );
  assert.deepEqual([...d.threads[0]!.owns].sort(), ["close", "irq", "open", "txTimeout", "xmit"]);
});

test("fig4: mailbox bindings map identifiers to protocol messages", () => {
  const d = conformance("fig4-ok.ts").drivers[0]!;
  const declared = d.mailboxBindings.filter((b) => b.declaration).map((b) => `${b.text}:${b.mailbox}:${b.kind}`);
  assert.deepEqual(declared, [
    "open:open:in",
    "close:close:in",
    "xmit:xmit:in",
    "txTimeout:txTimeout:in",
    "openComplete:openComplete:out",
    "closeComplete:closeComplete:out",
  ]);
  const uses = d.mailboxBindings.filter((b) => !b.declaration && b.range.start.line === 11);
  assert.deepEqual(
    uses.map((b) => b.text),
    ["open", "txTimeout"],
  );
  assert.ok(d.mailboxBindings.some((b) => b.text === "irq" && b.kind === "device"));
});

test("threads: spawned threads with the mailboxes each owns", () => {
  const { result } = analyzePath(path.join(casesDir, "ok-multi-thread.ts"));
  const d = result.drivers[0]!;
  assert.deepEqual(
    d.threads.map((t) => t.name),
    ["main", "tx", "rx"],
  );
  const owns = Object.fromEntries(d.threads.map((t) => [t.name, [...t.owns].sort()]));
  assert.deepEqual(owns, { main: ["close", "open", "txTimeout"], tx: ["xmit"], rx: ["irq"] });
  assert.ok(d.waits.some((w) => w.thread === "tx" && w.mailboxes[0]!.name === "xmit"));
});

test("threads: one per lane of a loop that spawns, named from its template, each owning its mailbox", () => {
  const { result } = analyzePath(path.join(casesDir, "ok-spawn-per-lane.ts"));
  const d = result.drivers[0]!;
  const owns = Object.fromEntries(d.threads.map((t) => [t.name, [...t.owns].sort()]));
  assert.deepEqual(owns, { main: ["close", "open"], "lane-xmit": ["xmit"], "lane-txTimeout": ["txTimeout"] });
});

test("AD001 data: the missing messages, the states, where the argument goes, the protocol row", () => {
  const r = conformance("missing-txtimeout-open.ts");
  const diag = r.diagnostics[0];
  const data = dataOf(diag, "missingMessages");
  assert.equal(diag!.code, "AD001");
  assert.equal(diag!.message, "txTimeout can arrive in state 'open' but this wait does not accept it");
  assert.deepEqual(diag!.range, { start: { line: 18, character: 24 }, end: { line: 18, character: 43 } });
  assert.deepEqual(data.messages, ["txTimeout"]);
  assert.deepEqual(data.byState, { open: ["txTimeout"] });
  assert.deepEqual(data.argumentsEnd, { line: 18, character: 42 });
  assert.deepEqual(data.mailboxText, { txTimeout: "txTimeout" });
  assert.equal(data.resultVariable, "r");
  assert.equal(diag!.related.length, 1);
  assert.ok(diag!.related[0]!.file.endsWith("ethernet.protocol.ts"));
  assert.equal(diag!.related[0]!.range.start.line, 17);
});

test("AD003 data: the owed reply, the request, and a send to insert before the wait", () => {
  const diag = conformance("reply-owed.ts").diagnostics[0];
  const data = dataOf(diag, "owedReply");
  assert.equal(diag!.code, "AD003");
  assert.equal(data.reply, "openComplete");
  assert.deepEqual(data.requests, ["open"]);
  assert.deepEqual(data.states, ["opening"]);
  assert.equal(data.at, "wait");
  assert.deepEqual(data.insertPosition, { line: 11, character: 6 });
  assert.equal(data.indent, "      ");
  assert.equal(data.sendText, "d.send(d.mb.openComplete, { status: 0 });");
  assert.equal(data.insertText, "d.send(d.mb.openComplete, { status: 0 });\n      ");
});

test("AD002, AD004, AD010 data", () => {
  const dead = dataOf(conformance("impossible-wait.ts").diagnostics[0], "deadMailbox");
  assert.equal(dead.message, "close");
  assert.deepEqual(dead.removalRange, { start: { line: 7, character: 42 }, end: { line: 7, character: 49 } });
  const send = dataOf(conformance("illegal-send.ts").diagnostics[0], "illegalSend");
  assert.deepEqual([send.message, send.states, send.allowedIn], ["closeComplete", ["open"], ["closing"]]);
  const ripped = conformance("passive-ripped.ts").diagnostics.find((d) => d.code === "AD010")!;
  assert.deepEqual(dataOf(ripped, "rippedState").writtenIn, ["open", "close"]);
  assert.deepEqual(
    ripped.related.map((r) => [r.range.start.line, r.message]),
    [
      [21, "written in open"],
      [11, "tested in txTimeout (via reset)"],
    ],
  );
  const passive = conformance("passive-ripped.ts").drivers[0]!;
  assert.equal(passive.kind, "passive");
  assert.deepEqual(
    passive.entryPoints.map((e) => e.name),
    ["open", "close", "txTimeout", "xmit", "irq"],
  );
});

test("imports: a namespace import, a default export, a re-export, a .js specifier", () => {
  const files = {
    "/v/proto/index.ts": 'export { Ethernet as Eth } from "./ethernet";\n',
    "/v/proto/ethernet.ts": ethernet,
    "/v/default.ts": ethernet.replace("export const Ethernet =", "export default"),
  };
  const host = memoryHost(files);
  const body = `async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open);
    d.send(d.mb.openComplete, { status: 0 });
  }
}`;
  const variants = [
    `import * as P from "./proto";\nexport default defineDriver({ protocol: P.Eth }, ${body});`,
    `import E from "./default.js";\nexport default defineDriver({ protocol: E }, ${body});`,
  ];
  for (const source of variants) {
    const r = analyzeFile("/v/driver.ts", `import { defineDriver } from "active-driver";\n${source}\n`, host);
    assert.equal(r.drivers[0]!.protocolName, "ethernet", source);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ["txTimeout can arrive in states 'closed' and 'open'; close and xmit in state 'open': this wait does not accept them"],
      source,
    );
  }
});

test("a protocol the analysis cannot read keeps the protocol rules silent", () => {
  const r = analyzeFile(
    "/v/driver.ts",
    'import { defineDriver } from "active-driver";\nimport { P } from "./missing";\nexport default defineDriver({ protocol: P }, async (d) => { await d.wait(d.mb.x); await fetch("y"); });\n',
    memoryHost({}),
  );
  assert.deepEqual(
    r.diagnostics.map((d) => d.code),
    ["AD013"],
  );
  assert.equal(r.drivers[0]!.protocol, undefined);
});

test("cancellation and a time budget give an incomplete result without control-flow findings", () => {
  const driver = analyzePath(path.join(conformanceDir, "missing-txtimeout-open.ts"));
  const host = { readFile: (p: string) => (p.endsWith("ethernet.protocol.ts") ? ethernet : undefined) };
  const cancelled = analyzeFile(path.join(conformanceDir, "missing-txtimeout-open.ts"), driver.text, host, { cancellation: { isCancellationRequested: true } });
  assert.equal(cancelled.incomplete, true);
  assert.deepEqual(cancelled.diagnostics, []);
  const big = generateDriver(2000);
  const files = { "/bench/bench.protocol.ts": generateProtocol() };
  const overBudget = analyzeFile("/bench/driver.ts", big, memoryHost(files), { budgetMs: 0 });
  assert.equal(overBudget.incomplete, true);
  const inBudget = analyzeFile("/bench/driver.ts", big, memoryHost(files), { budgetMs: 60_000, cache: createAnalysisCache() });
  assert.equal(inBudget.incomplete, false);
  assert.deepEqual(inBudget.diagnostics, []);
  assert.ok(inBudget.drivers[0]!.waits.length > 20);
});

test("never throws: garbage, an empty file, a driver without a function", () => {
  const host = memoryHost({});
  for (const text of [
    "",
    "}{)(",
    "defineDriver(",
    "defineDriver({ protocol: }, ",
    "definePassiveDriver({}, (k) => ({ open() { while (k.dev.read8(1)) {} } }))",
    "defineProtocol({ states: { a: { x: } } })",
  ]) {
    const r = analyzeFile("/v/x.ts", text, host);
    assert.deepEqual(r.internalErrors, [], text);
  }
});
