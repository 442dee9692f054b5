// The language server over LSP (a real stdio server, as the extension runs it):
// - edit-to-diagnostics latency for generated 2,000-line drivers (the analysis bench's, so the
//   figures sit beside its parse ratio, and one with a 67-mailbox wait): 200 one-character edits,
//   each followed by a pull (textDocument/diagnostic); p50/p95/max beside the TypeScript parser's
//   own time to parse the same file (target: p95 <= 50 ms);
// - the server's peak RSS after opening (and diagnosing) a workspace of 500 drivers (target < 300 MB).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import type { DocumentDiagnosticReport, FullDocumentDiagnosticReport } from "vscode-languageserver-protocol";
import type { AnalysisStatusParams, ServerStatsResult } from "../../server/src/lsp/protocol";
import { clientCapabilities, startServer, type ServerProcess } from "../server/lspClient";

export interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const EDITS = 200;
const DRIVERS = 500;
const TARGET_LINES = 2000;

/** A self-contained driver (protocol + helpers + main) of at least `lines` lines, with one AD001: one state waits on 67 mailboxes. */
export function generateDriver(lines: number = TARGET_LINES): string {
  for (let k = 20; ; k += 5) {
    const text = driverWith(k);
    if (text.split("\n").length >= lines) return text;
  }
}

function driverWith(k: number): string {
  const cfg = Array.from({ length: k }, (_, i) => `cfg${i}`);
  const out: string[] = [];
  out.push(`// Generated for the LSP benchmark: ${k} configuration requests, each with a helper.`);
  out.push(`import { defineDriver, defineProtocol, msg, type DriverContext } from "active-driver";`, "");
  out.push(`export const Big = defineProtocol({`, `  name: "big",`, `  messages: {`);
  out.push(`    open: msg.in({ reply: "openComplete" }),`, `    openComplete: msg.out<{ status: number }>(),`);
  out.push(`    close: msg.in({ reply: "closeComplete" }),`, `    closeComplete: msg.out<{ status: number }>(),`);
  out.push(`    xmit: msg.in<{ frame: Uint8Array }>(),`, `    txTimeout: msg.in(),`);
  for (const c of cfg) out.push(`    ${c}: msg.in<{ value: number }>(),`);
  out.push(`  },`, `  initial: "closed",`, `  states: {`);
  out.push(`    closed: { open: "opening", txTimeout: "closed" },`, `    opening: { openComplete: "open", txTimeout: "opening" },`);
  out.push(`    open: { close: "closing", xmit: "open", txTimeout: "open", ${cfg.map((c) => `${c}: "open"`).join(", ")} },`);
  out.push(`    closing: { closeComplete: "closed", txTimeout: "closing" },`, `  },`, `});`, "");
  out.push(`type D = DriverContext<typeof Big>;`, "");
  cfg.forEach((c, i) => {
    out.push(`/** Applies ${c}: a bit-serial write, then a mode register picked by the value. */`);
    out.push(`function apply${i}(d: D, value: number): void {`);
    out.push(`  const base = 0x${(0x40 + (i % 32)).toString(16)};`);
    out.push(`  for (let bit = 0; bit < 8; bit++) {`);
    out.push(`    d.dev.write8(base, (value >> bit) & 1);`);
    out.push(`  }`);
    out.push(`  if (value > ${i * 3}) {`);
    out.push(`    d.dev.write16(0x60, value - ${i});`);
    out.push(`  } else if (value === 0) {`);
    out.push(`    d.dev.write16(0x62, 0);`);
    out.push(`  } else {`);
    out.push(`    d.dev.write16(0x64, value + ${i});`);
    out.push(`  }`);
    out.push(`  const status = d.dev.read8(0x3e);`);
    out.push(`  if ((status & 0x${((i % 7) + 1).toString(16)}) !== 0) d.dev.write8(0x3e, status);`);
    out.push(`}`, "");
  });
  out.push(`export default defineDriver({ protocol: Big }, async (d) => {`);
  out.push(`  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;`);
  out.push(`  let state: "closed" | "open" = "closed";`);
  out.push(`  for (;;) {`, `    switch (state) {`);
  out.push(`      case "closed": {`, `        const r = await d.wait(open, txTimeout);`, `        if (r.mb === open) {`);
  out.push(
    `          d.dev.write8(0x37, 0x10);`,
    `          d.send(openComplete, { status: 0 });`,
    `          state = "open";`,
    `        }`,
    `        break;`,
    `      }`,
  );
  // The one finding: the open state's wait forgets txTimeout.
  out.push(`      case "open": {`);
  out.push(`        const r = await d.wait(close, xmit, ${cfg.map((c) => `d.mb.${c}`).join(", ")});`);
  out.push(`        switch (r.name) {`);
  out.push(`          case "xmit":`, `            d.dev.write8(0x38, 0x40);`, `            break;`);
  cfg.forEach((c, i) => out.push(`          case "${c}":`, `            apply${i}(d, r.msg.value);`, `            break;`));
  out.push(`          case "close":`, `            d.send(closeComplete, { status: 0 });`, `            state = "closed";`, `            break;`);
  out.push(`        }`, `        break;`, `      }`, `    }`, `  }`, `});`, "");
  return out.join("\n");
}

/** Small drivers for the workspace: the conformance shapes, each with its own names. */
function workspaceDriver(i: number): string {
  const v = i % 3;
  const head = `// Workspace driver ${i}.\nimport { defineDriver } from "active-driver";\nimport { Ethernet } from "./ethernet.protocol";\n\n`;
  const waitOpen = v === 0 ? "close, xmit" : "close, xmit, txTimeout";
  return (
    head +
    `export default defineDriver({ protocol: Ethernet }, async (d) => {\n` +
    `  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;\n` +
    `  let state${i}: "closed" | "open" = "closed";\n` +
    `  for (;;) {\n` +
    `    switch (state${i}) {\n` +
    `      case "closed": {\n` +
    `        const r = await d.wait(open, txTimeout);\n` +
    `        if (r.mb === open) {\n` +
    `          d.dev.write8(0x37, ${i % 256});\n` +
    (v === 2 ? "" : `          d.send(openComplete, { status: 0 });\n`) +
    `          state${i} = "open";\n` +
    `        }\n` +
    `        break;\n` +
    `      }\n` +
    `      case "open": {\n` +
    `        const r = await d.wait(${waitOpen});\n` +
    `        if (r.mb === close) {\n` +
    `          d.send(closeComplete, { status: 0 });\n` +
    `          state${i} = "closed";\n` +
    `        } else if (r.mb === xmit) {\n` +
    `          d.dev.write8(0x38, ${(i * 7) % 256});\n` +
    `        }\n` +
    `        break;\n` +
    `      }\n` +
    `    }\n` +
    `  }\n` +
    `});\n`
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function initialize(server: ServerProcess, rootUri: string): Promise<void> {
  await server.connection.sendRequest("initialize", {
    processId: process.pid,
    rootUri,
    capabilities: clientCapabilities,
    initializationOptions: { analysis: { timeBudgetMs: 2000 } },
  });
  await server.connection.sendNotification("initialized", {});
}

async function stop(server: ServerProcess): Promise<void> {
  await server.connection.sendRequest("shutdown");
  await server.connection.sendNotification("exit");
  await server.exited;
  server.connection.dispose();
}

async function pull(server: ServerProcess, uri: string): Promise<FullDocumentDiagnosticReport> {
  const report = (await server.connection.sendRequest("textDocument/diagnostic", { textDocument: { uri } })) as DocumentDiagnosticReport;
  if (report.kind !== "full") throw new Error(`expected a full report for ${uri}`);
  return report;
}

interface LatencyCase {
  name: string;
  /** file name (relative to the case's folder) -> text; the first is the driver that is edited. */
  files: [string, string][];
}

/** The last hex digit of the first register write's value: toggling it is a one-character edit. */
function editPoint(text: string): { offset: number; digits: [string, string] } {
  const m = /write\d+\(0x[0-9a-f]+, 0x[0-9a-f]*([0-9a-f])\)/.exec(text);
  if (m === null) throw new Error("no register write to edit in the generated driver");
  const offset = m.index + m[0].length - 2;
  const digit = m[1]!;
  const other = (parseInt(digit, 16) ^ 1).toString(16);
  return { offset, digits: [other, digit] };
}

async function editLatency(dir: string, c: LatencyCase): Promise<Row[]> {
  const folder = path.join(dir, c.name.replace(/\W+/g, "-"));
  fs.mkdirSync(folder);
  for (const [name, text] of c.files) fs.writeFileSync(path.join(folder, name), text);
  const [driverName, text] = c.files[0]!;
  const fileName = path.join(folder, driverName);
  const uri = pathToFileURL(fileName).href;
  const lines = text.split("\n").length;

  const parseTimes: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    parseTimes.push(performance.now() - t0);
  }
  parseTimes.sort((a, b) => a - b);
  const parse = percentile(parseTimes, 50);

  const server = startServer();
  // The server reports each analysis' own duration: latency minus that is the LSP layer's share.
  const analysisMs = new Map<number, number>();
  server.connection.onNotification("activeDriver/analysisStatus", (s: AnalysisStatusParams) => {
    analysisMs.set(s.version, s.durationMs);
  });
  await initialize(server, pathToFileURL(folder).href);
  await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text } });
  const first = await pull(server, uri);
  const findings = first.items.map((d) => d.code).join(", ");
  const point = editPoint(text);
  const before = text.slice(0, point.offset);
  const line = before.split("\n").length - 1;
  const character = before.length - (before.lastIndexOf("\n") + 1);
  const latencies: number[] = [];
  const overheads: number[] = [];
  let lastCount = first.items.length;
  for (let i = 0; i < EDITS; i++) {
    const t0 = performance.now();
    await server.connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: point.digits[i % 2]! }],
    });
    const report = await pull(server, uri);
    const latency = performance.now() - t0;
    latencies.push(latency);
    const analysis = analysisMs.get(i + 2);
    if (analysis !== undefined) overheads.push(latency - analysis);
    lastCount = report.items.length;
  }
  await stop(server);
  latencies.sort((a, b) => a - b);
  overheads.sort((a, b) => a - b);
  const analyses = [...analysisMs.values()].sort((a, b) => a - b);
  const detail = `${lines} lines, ${EDITS} edits, server ${server.flavour}, findings ${findings || "none"} (last ${lastCount})`;
  return [
    { name: `${c.name}: edit-to-diagnostics p50`, value: percentile(latencies, 50), unit: "ms", detail },
    { name: `${c.name}: edit-to-diagnostics p95 (target <= 50)`, value: percentile(latencies, 95), unit: "ms" },
    { name: `${c.name}: edit-to-diagnostics max`, value: latencies[latencies.length - 1]!, unit: "ms" },
    {
      name: `${c.name}:   of which analysis (p50)`,
      value: percentile(analyses, 50),
      unit: "ms",
      detail: `p95 ${percentile(analyses, 95).toFixed(2)} ms (durationMs of activeDriver/analysisStatus)`,
    },
    {
      name: `${c.name}:   of which LSP + transport (p50)`,
      value: percentile(overheads, 50),
      unit: "ms",
      detail: `p95 ${percentile(overheads, 95).toFixed(2)} ms`,
    },
    {
      name: `${c.name}: TypeScript parse (p50)`,
      value: parse,
      unit: "ms",
      detail: `ts.createSourceFile here; p50 latency = ${(percentile(latencies, 50) / parse).toFixed(1)}x parse`,
    },
  ];
}

/** The analysis bench's generated driver (the same file its parse ratio is measured on), when present. */
function analysisBenchCase(): LatencyCase | undefined {
  const file = path.join(__dirname, "analysis.bench.ts");
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const bench = require(file) as { generateProtocol?: () => string; generateDriver?: (lines: number) => string };
  if (bench.generateProtocol === undefined || bench.generateDriver === undefined) return undefined;
  return {
    name: "analysis-bench driver",
    files: [
      ["bench-driver.ts", bench.generateDriver(TARGET_LINES)],
      ["bench.protocol.ts", bench.generateProtocol()],
    ],
  };
}

async function workspaceMemory(dir: string): Promise<Row[]> {
  const ws = path.join(dir, "workspace");
  fs.mkdirSync(ws);
  fs.copyFileSync(path.resolve(__dirname, "..", "server", "fixtures", "ethernet.protocol.ts"), path.join(ws, "ethernet.protocol.ts"));
  const server = startServer();
  await initialize(server, pathToFileURL(ws).href);
  const t0 = performance.now();
  let findings = 0;
  for (let i = 0; i < DRIVERS; i++) {
    const fileName = path.join(ws, `driver${String(i).padStart(3, "0")}.ts`);
    const text = workspaceDriver(i);
    fs.writeFileSync(fileName, text);
    const uri = pathToFileURL(fileName).href;
    await server.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "typescript", version: 1, text } });
    findings += (await pull(server, uri)).items.length;
  }
  const elapsed = performance.now() - t0;
  const stats = (await server.connection.sendRequest("activeDriver/serverStats")) as ServerStatsResult;
  await stop(server);
  const mb = (bytes: number): number => bytes / 2 ** 20;
  return [
    {
      name: `peak RSS, ${DRIVERS} drivers open (target < 300)`,
      value: mb(stats.peakRssBytes),
      unit: "MB",
      detail: `heap used ${mb(stats.heapUsedBytes).toFixed(1)} MB, ${stats.openDocuments} documents, ${findings} findings, server ${server.flavour}`,
    },
    { name: `open + diagnose ${DRIVERS} drivers`, value: elapsed, unit: "ms", detail: `${(elapsed / DRIVERS).toFixed(2)} ms per driver` },
  ];
}

export async function runLspBench(): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-lsp-bench-"));
  try {
    const cases = [analysisBenchCase(), { name: "wide-wait driver", files: [["wide-driver.ts", generateDriver()]] } satisfies LatencyCase];
    const rows: Row[] = [];
    for (const c of cases) if (c !== undefined) rows.push(...(await editLatency(dir, c)));
    return [...rows, ...(await workspaceMemory(dir))];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runLspBench().then(
    (rows) => {
      if (process.argv.includes("--json")) {
        console.log(JSON.stringify(rows));
        return;
      }
      console.log("Language server over stdio (LSP pull diagnostics)");
      for (const r of rows)
        console.log(`  ${r.name.padEnd(62)} ${r.value.toFixed(r.value < 100 ? 2 : 0).padStart(10)} ${r.unit}${r.detail ? `  (${r.detail})` : ""}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
