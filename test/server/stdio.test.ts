// The language server as the extension runs it: a separate process spoken to over stdio by a real
// JSON-RPC client (vscode-languageserver-protocol), from initialize to exit; and over node IPC.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  IPCMessageReader,
  IPCMessageWriter,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type DocumentDiagnosticReport,
  type DocumentSymbol,
  type FullDocumentDiagnosticReport,
  type Hover,
  type InitializeResult,
  type LocationLink,
  type MarkupContent,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import type { AnalysisStatusParams, ProtocolModelResult, ServerStatsResult } from "../../server/src/lsp/protocol";
import { conformance, positionOf, repo } from "./helpers";
import { clientCapabilities, startServer, type ServerProcess } from "./lspClient";
import { defined } from "../../runtime/src/defined";

const driverFile = path.join(conformance, "missing-txtimeout-open.ts");
const protocolFile = path.join(conformance, "ethernet.protocol.ts");
const driverUri = pathToFileURL(driverFile).href;
const protocolUri = pathToFileURL(protocolFile).href;
const driverText = fs.readFileSync(driverFile, "utf8");

let server: ServerProcess;
const statuses: AnalysisStatusParams[] = [];
let refreshes = 0;
let onRefresh: (() => void) | undefined;

/** Resolves at the server's next workspace/diagnostic/refresh request (fails after 20 s rather than hanging). */
function nextRefresh(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostic refresh; server stderr:\n${server.stderr()}`)), 20_000);
    onRefresh = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

async function pull(uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
  return server.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri }, ...defined({ previousResultId }) });
}

async function pullFull(uri: string): Promise<FullDocumentDiagnosticReport> {
  const report = await pull(uri);
  assert.equal(report.kind, "full");
  return report as FullDocumentDiagnosticReport;
}

before(async () => {
  server = startServer();
  server.connection.onRequest("workspace/diagnostic/refresh", () => {
    refreshes++;
    onRefresh?.();
    return null;
  });
  server.connection.onRequest("workspace/codeLens/refresh", () => null);
  server.connection.onRequest("client/registerCapability", () => null);
  server.connection.onNotification("activeDriver/analysisStatus", (params: AnalysisStatusParams) => {
    statuses.push(params);
  });
  server.connection.onNotification("window/logMessage", () => undefined);
});

after(async () => {
  if (server.child.exitCode === null) server.child.kill();
  server.connection.dispose();
});

test("initialize announces pull diagnostics and every feature", async (t) => {
  t.diagnostic(`server: ${server.flavour}`);
  const init: InitializeResult = await server.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(conformance).href,
    capabilities: clientCapabilities,
    initializationOptions: { analysis: { timeBudgetMs: 2000 } },
  });
  const caps = init.capabilities;
  assert.deepEqual(caps.diagnosticProvider, { identifier: "active-driver", interFileDependencies: true, workspaceDiagnostics: false });
  assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ["quickfix"] });
  assert.equal(caps.hoverProvider, true);
  assert.equal(caps.definitionProvider, true);
  assert.ok(caps.codeLensProvider && caps.documentSymbolProvider && caps.completionProvider);
  await server.connection.sendNotification("initialized", {});
  await server.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: driverUri, languageId: "typescript", version: 1, text: driverText },
  });
});

test("didOpen of a broken driver: textDocument/diagnostic has AD001 on the exact range of the wait", async () => {
  const report = await pullFull(driverUri);
  assert.equal(report.items.length, 1);
  const [d] = report.items;
  const start = positionOf(driverText, "d.wait(close, xmit)");
  assert.equal(d!.code, "AD001");
  assert.equal(d!.source, "active-driver");
  assert.deepEqual(d!.range, { start, end: { line: start.line, character: start.character + "d.wait(close, xmit)".length } });
  assert.match(d!.codeDescription?.href ?? "", /#ad001$/);
  assert.equal(d!.relatedInformation?.[0]?.location.uri, protocolUri);
  // Asked again with nothing changed: "unchanged".
  const again = await pull(driverUri, report.resultId);
  assert.deepEqual(again, { kind: "unchanged", resultId: report.resultId });
  const status = statuses.find((s) => s.uri === driverUri);
  assert.ok(status !== undefined, "an analysisStatus notification for the driver");
  assert.deepEqual([status.kind, status.errors, status.codes, status.states.uncovered], ["active", 1, ["AD001"], ["open"]]);
});

test("hover, code lens, document symbols, definition and completion", async () => {
  const textDocument = { uri: driverUri };
  const onTimeout = positionOf(driverText, "txTimeout,");
  const hover: Hover = await server.connection.sendRequest("textDocument/hover", {
    textDocument,
    position: { line: onTimeout.line, character: onTimeout.character + 2 },
  });
  assert.match((hover.contents as MarkupContent).value, /Enabled in states 'closed', 'opening', 'open' and 'closing'/);

  const lenses: CodeLens[] = await server.connection.sendRequest("textDocument/codeLens", { textDocument });
  assert.deepEqual(
    lenses.map((l) => l.command?.title),
    ["state 'closed' · 2/2 requests accepted", "state 'open' · 2/3 · missing txTimeout"],
  );

  const symbols: DocumentSymbol[] = await server.connection.sendRequest("textDocument/documentSymbol", { textDocument });
  assert.deepEqual(
    symbols.map((s) => s.name),
    ["active driver · ethernet"],
  );
  assert.deepEqual(
    symbols[0]!.children?.[0]?.children?.map((w) => w.name),
    ["wait(open, txTimeout)", "wait(close, xmit)"],
  );

  const onClose = positionOf(driverText, "close, xmit)");
  const links: LocationLink[] = await server.connection.sendRequest("textDocument/definition", { textDocument, position: onClose });
  assert.equal(links[0]?.targetUri, protocolUri);
  assert.equal(links[0]?.targetSelectionRange.start.line, positionOf(fs.readFileSync(protocolFile, "utf8"), "close: msg").line);

  const inWait = positionOf(driverText, "close, xmit)");
  const items: CompletionItem[] = await server.connection.sendRequest("textDocument/completion", { textDocument, position: inWait });
  const first = [...items].sort((a, b) => (a.sortText ?? "").localeCompare(b.sortText ?? ""))[0];
  assert.equal(first?.label, "txTimeout");
  assert.equal(first?.detail, "enabled in state 'open'");
});

test("the AD001 quick fix, applied through didChange, removes the diagnostic", async () => {
  const report = await pullFull(driverUri);
  const actions: CodeAction[] = await server.connection.sendRequest("textDocument/codeAction", {
    textDocument: { uri: driverUri },
    range: report.items[0]!.range,
    context: { diagnostics: report.items, only: ["quickfix"] },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0]!.isPreferred, true);
  const edits: TextEdit[] = actions[0]!.edit!.changes![driverUri]!;
  // As an editor applies a workspace edit: last edit first, as incremental changes.
  const ordered = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  await server.connection.sendNotification("textDocument/didChange", {
    textDocument: { uri: driverUri, version: 2 },
    contentChanges: ordered.map((e) => ({ range: e.range, text: e.newText })),
  });
  const fixed = await pullFull(driverUri);
  assert.deepEqual(fixed.items, []);
  const lenses: CodeLens[] = await server.connection.sendRequest("textDocument/codeLens", { textDocument: { uri: driverUri } });
  assert.equal(lenses[1]?.command?.title, "state 'open' · 3/3 requests accepted");
});

test("editing the protocol re-diagnoses the driver that imports it (diagnostic refresh)", async () => {
  const protocolText = fs.readFileSync(protocolFile, "utf8");
  await server.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: protocolUri, languageId: "typescript", version: 1, text: protocolText },
  });
  assert.deepEqual((await pullFull(protocolUri)).items, []);
  const refreshed = nextRefresh();
  const row = positionOf(protocolText, ', txTimeout: "open"');
  await server.connection.sendNotification("textDocument/didChange", {
    textDocument: { uri: protocolUri, version: 2 },
    contentChanges: [{ range: { start: row, end: { line: row.line, character: row.character + ', txTimeout: "open"'.length } }, text: "" }],
  });
  await refreshed;
  assert.ok(refreshes >= 1);
  // txTimeout is no longer enabled in 'open': the driver's new wait argument is dead there.
  const report = await pullFull(driverUri);
  assert.deepEqual(
    report.items.map((d) => d.code),
    ["AD002"],
  );
  const model: ProtocolModelResult = await server.connection.sendRequest("activeDriver/protocolModel", { textDocument: { uri: driverUri } });
  assert.deepEqual(model.protocols[0]?.states.open, { close: "closing", xmit: "open" });
  assert.equal(model.protocols[0]?.uri, protocolUri);
  // Closed, the protocol is read from disk again: the driver is re-diagnosed once more.
  const reopened = nextRefresh();
  await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri: protocolUri } });
  await reopened;
  assert.deepEqual((await pullFull(driverUri)).items, []);
});

test("a protocol changed on disk (didChangeWatchedFiles) re-diagnoses the open drivers that read it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-lsp-watch-"));
  try {
    const protocol = path.join(dir, "ethernet.protocol.ts");
    const driver = path.join(dir, "driver.ts");
    fs.writeFileSync(protocol, fs.readFileSync(protocolFile, "utf8"));
    fs.writeFileSync(driver, driverText);
    const uri = pathToFileURL(driver).href;
    await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text: driverText } });
    assert.deepEqual(
      (await pullFull(uri)).items.map((d) => d.code),
      ["AD001"],
    );
    fs.writeFileSync(protocol, fs.readFileSync(protocolFile, "utf8").replace(', txTimeout: "open"', ""));
    const refreshed = nextRefresh();
    await server.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(protocol).href, type: 2 }] });
    await refreshed;
    assert.deepEqual((await pullFull(uri)).items, [], "txTimeout is no longer enabled in 'open'");
    await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("an untitled document is analysed on its own text", async () => {
  const uri = "untitled:Untitled-1";
  const text = fs.readFileSync(path.join(conformance, "bad-protocol.ts"), "utf8");
  await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text } });
  assert.deepEqual(
    (await pullFull(uri)).items.map((d) => d.code),
    ["AD020", "AD020"],
  );
  await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
});

test("serverStats, then shutdown and exit end the process with status 0", async () => {
  const stats: ServerStatsResult = await server.connection.sendRequest("activeDriver/serverStats");
  assert.ok(stats.rssBytes > 0 && stats.peakRssBytes >= stats.rssBytes);
  assert.equal(stats.openDocuments, 1);
  await server.connection.sendRequest("shutdown");
  await server.connection.sendNotification("exit");
  assert.equal(await server.exited, 0);
});

test("the same server over node IPC (--node-ipc), as the extension starts it", async () => {
  const source = path.join(repo, "server", "src", "server.ts");
  const child =
    server.flavour === "dist"
      ? fork(path.join(repo, "dist", "server.js"), ["--node-ipc"], { silent: true })
      : fork(source, ["--node-ipc"], { execArgv: ["--conditions=source", "--import", "tsx"], silent: true });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  const init: InitializeResult = await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  assert.equal(init.serverInfo?.name, "active-driver-server");
  await connection.sendNotification("initialized", {});
  await connection.sendNotification("textDocument/didOpen", { textDocument: { uri: driverUri, languageId: "typescript", version: 1, text: driverText } });
  const report: FullDocumentDiagnosticReport = await connection.sendRequest("textDocument/diagnostic", { textDocument: { uri: driverUri } });
  assert.deepEqual(
    report.items.map((d) => d.code),
    ["AD001"],
  );
  await connection.sendRequest("shutdown");
  await connection.sendNotification("exit");
  assert.equal(await exited, 0);
  connection.dispose();
});
