// Over the stdio protocol: a finding that an open driver's analysis locates in a helper's file is
// shown in that file (pushed while the helper is closed, pulled once it is open), at the helper's
// line, with the driver's calls as related information; one finding for several open drivers that
// reach it; it goes when the drivers close.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { Diagnostic, FullDocumentDiagnosticReport, PublishDiagnosticsParams } from "vscode-languageserver";
import { clientCapabilities, startServer, type ServerProcess } from "./lspClient";

const cases = path.resolve(__dirname, "..", "analysis", "cases");
const driverFile = path.join(cases, "ad001-helper-two-callers.ts");
const helperFile = path.join(cases, "lib", "serve-open.ts");
const driverUri = pathToFileURL(driverFile).href;
/** A second driver that reaches the same helper, in the open state only. */
const secondDriverFile = path.join(cases, "ad001-helper-open-only.ts");
const secondDriverUri = pathToFileURL(secondDriverFile).href;
const helperUri = pathToFileURL(helperFile).href;

let server: ServerProcess;
const published: PublishDiagnosticsParams[] = [];
let waiting: { uri: string; resolve: (p: PublishDiagnosticsParams) => void } | undefined;
let onRefresh: (() => void) | undefined;

/** The next diagnostics pushed for `uri` (fails after 20 s rather than hanging). */
function nextPublished(uri: string): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing published for ${uri}; server stderr:\n${server.stderr()}`)), 20_000);
    waiting = {
      uri,
      resolve: (p) => {
        clearTimeout(timer);
        resolve(p);
      },
    };
  });
}

function nextRefresh(): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostic refresh; server stderr:\n${server.stderr()}`)), 20_000);
    onRefresh = () => {
      clearTimeout(timer);
      resolve();
    };
  });
}

async function pullFull(uri: string): Promise<FullDocumentDiagnosticReport> {
  const report = (await server.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as FullDocumentDiagnosticReport;
  assert.equal(report.kind, "full");
  return report;
}

function open(file: string): Promise<void> {
  return server.connection.sendNotification("textDocument/didOpen", {
    textDocument: { uri: pathToFileURL(file).href, languageId: "typescript", version: 1, text: fs.readFileSync(file, "utf8") },
  });
}

function assertHelperFinding(items: readonly Diagnostic[]): void {
  assert.deepEqual(
    items.map((d) => [d.code, d.range.start.line]),
    [["AD001", 30]],
  );
  const calls = (items[0]!.relatedInformation ?? []).filter((r) => r.message.startsWith("reached from"));
  assert.deepEqual(
    calls.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
    [
      [driverUri, 8, "reached from awaitWatchdog() in state 'closed'"],
      [driverUri, 12, "reached from awaitWatchdog() in state 'open'"],
    ],
  );
}

before(async () => {
  server = startServer();
  server.connection.onRequest("workspace/diagnostic/refresh", () => {
    onRefresh?.();
    return null;
  });
  server.connection.onRequest("workspace/codeLens/refresh", () => null);
  server.connection.onRequest("client/registerCapability", () => null);
  server.connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    published.push(params);
    if (waiting?.uri === params.uri) waiting.resolve(params);
  });
  server.connection.onNotification("activeDriver/analysisStatus", () => undefined);
  server.connection.onNotification("window/logMessage", () => undefined);
  await server.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri: pathToFileURL(cases).href,
    capabilities: clientCapabilities,
    initializationOptions: { analysis: { timeBudgetMs: 5000 } },
  });
  await server.connection.sendNotification("initialized", {});
});

after(() => {
  if (server.child.exitCode === null) server.child.kill();
  server.connection.dispose();
});

test("the driver open, the helper closed: the helper's finding is pushed to the helper's file", async () => {
  await open(driverFile);
  const pushed = nextPublished(helperUri);
  const own = await pullFull(driverUri);
  assert.deepEqual(own.items, [], "nothing at the calls in the driver's file");
  assertHelperFinding((await pushed).diagnostics);
});

test("the helper opened: its pulled diagnostics carry the finding, and the pushed ones are cleared", async () => {
  const cleared = nextPublished(helperUri);
  await open(helperFile);
  assert.deepEqual((await cleared).diagnostics, []);
  assertHelperFinding((await pullFull(helperUri)).items);
});

test("a second driver open that reaches the helper: still one finding, with the calls of both drivers", async () => {
  let refreshed = nextRefresh();
  await open(secondDriverFile);
  assert.deepEqual((await pullFull(secondDriverUri)).items, []);
  await refreshed;
  const items = (await pullFull(helperUri)).items;
  assert.deepEqual(
    items.map((d) => [d.code, d.range.start.line, d.message]),
    [["AD001", 30, "open can arrive in state 'closed'; close and xmit in state 'open': this wait does not accept them"]],
  );
  const calls = (items[0]!.relatedInformation ?? []).filter((r) => r.message.startsWith("reached from"));
  assert.deepEqual(
    calls.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
    [
      [secondDriverUri, 13, "reached from awaitWatchdog() in state 'open'"],
      [driverUri, 8, "reached from awaitWatchdog() in state 'closed'"],
      [driverUri, 12, "reached from awaitWatchdog() in state 'open'"],
    ],
  );
  refreshed = nextRefresh();
  await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri: secondDriverUri } });
  await refreshed;
  assertHelperFinding((await pullFull(helperUri)).items);
});

test("the driver closed: the helper's finding goes", async () => {
  const refreshed = nextRefresh();
  await server.connection.sendNotification("textDocument/didClose", { textDocument: { uri: driverUri } });
  await refreshed;
  assert.deepEqual((await pullFull(helperUri)).items, []);
});
