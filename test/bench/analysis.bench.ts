// Analysis speed and memory, measured side by side with the TypeScript parser:
// - a generated 2,000-line active driver: analysis time (parse included) beside the parser's own
//   time to parse the same text (target: at most 3x the parse), for the file's first analysis (a
//   full parse) and after a one-character edit (the analyser reparses the edited file incrementally);
// - a workspace of 500 drivers analysed with one shared cache, every result kept: peak memory
//   (target: under 300 MB).
// Run directly: `node --conditions=source --import tsx test/bench/analysis.bench.ts [--json]`.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { analyzeFile, createAnalysisCache, type AnalysisHost, type AnalysisResult } from "../../server/src/analysis";

/** One figure (the same shape as the other benches' rows); `detail` puts it beside its peer and target. */
export interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const STATES = 21;

/** A protocol of STATES states: in each, a request go_k (reply done_k) moves on; tick and poke loop. */
export function generateProtocol(): string {
  const messages: string[] = [];
  const rows: string[] = [];
  for (let k = 0; k < STATES; k++) {
    messages.push(`    go${k}: msg.in<{ arg: number }>({ reply: "done${k}" }),`, `    done${k}: msg.out<{ status: number }>(),`);
  }
  messages.push("    tick: msg.in(),", "    poke: msg.in<{ value: number }>(),");
  for (let k = 0; k < STATES; k++) {
    rows.push(`    s${k}: { go${k}: "w${k}", tick: "s${k}", poke: "s${k}" },`, `    w${k}: { done${k}: "s${(k + 1) % STATES}", tick: "w${k}" },`);
  }
  return [
    'import { defineProtocol, msg } from "active-driver";',
    "",
    "export const Bench = defineProtocol({",
    '  name: "bench",',
    "  messages: {",
    ...messages,
    "  },",
    '  initial: "s0",',
    "  states: {",
    ...rows,
    "  },",
    "});",
    "",
  ].join("\n");
}

/** One case of the driver's state switch: about 95 lines of handlers, loops and register access. */
function generateCase(k: number, variant: number): string[] {
  const lines = [
    `      case "s${k}": {`,
    `        const r = await d.wait(d.mb.go${k}, d.mb.tick, d.mb.poke, d.dev.irq);`,
    "        switch (r.name) {",
    `          case "go${k}": {`,
  ];
  lines.push(`            let status = 0;`, `            d.dev.write8(0x37, ${k % 256});`);
  for (let i = 0; i < 12; i++) lines.push(`            d.dev.write32(0x${(0x20 + i * 4).toString(16)}, r.msg.arg + ${i});`);
  lines.push(
    "            for (let i = 0; i < 4; i++) {",
    "              d.dev.write8(0x38, i);",
    "              if ((d.dev.read8(0x38) & 1) !== 0) status = -1;",
    "            }",
    "            await settle(d);",
    "            if (status !== 0) {",
    `              d.log("go${k} failed", status);`,
    "            } else {",
    `              d.log("go${k} ok");`,
    "            }",
    `            d.send(d.mb.done${k}, { status });`,
    `            state = "s${(k + 1) % STATES}";`,
    "            break;",
    "          }",
    '          case "tick": {',
    `            ticks = ticks + ${variant + 1};`,
  );
  for (let i = 0; i < 10; i++) lines.push(`            d.dev.write16(0x${(0x40 + i * 2).toString(16)}, ${i * 3 + k});`);
  lines.push("            break;", "          }", '          case "poke": {', "            const value = r.msg.value;", "            if (value > 10) {");
  for (let i = 0; i < 12; i++) lines.push(`              d.dev.write8(0x${(0x60 + i).toString(16)}, value & 0x${(i + 1).toString(16)});`);
  lines.push("            } else {");
  for (let i = 0; i < 12; i++) lines.push(`              d.dev.write8(0x${(0x70 + i).toString(16)}, value | ${i});`);
  lines.push("            }", "            break;", "          }", "          default: {");
  for (let i = 0; i < 14; i++) lines.push(`            d.dev.write16(0x3e, r.msg.isr & 0x${(1 << (i % 16)).toString(16)});`);
  lines.push("            break;", "          }", "        }", "        break;", "      }");
  return lines;
}

/** A correct active driver of about `targetLines` lines over the generated protocol. */
export function generateDriver(targetLines: number, variant = 0): string {
  const head = [
    'import { defineDriver, type DriverContext } from "active-driver";',
    'import { Bench } from "./bench.protocol";',
    "",
    "type D = DriverContext<typeof Bench>;",
    "",
    "async function settle(d: D): Promise<void> {",
    "  d.dev.write8(0x3c, 0xff);",
    "  await d.wait(d.dev.irq);",
    "  d.dev.write8(0x3c, 0);",
    "}",
    "",
    "export default defineDriver({ protocol: Bench }, async (d) => {",
    '  let state = "s0";',
    "  let ticks = 0;",
    "  for (;;) {",
    "    switch (state) {",
  ];
  const tail = ["    }", "    if (ticks > 1000000) ticks = 0;", "  }", "});", ""];
  const body: string[] = [];
  for (let k = 0; head.length + body.length + tail.length < targetLines; k++) {
    if (k >= STATES) {
      // Past the protocol's states: filler cases with the same shape keep the line count honest.
      body.push(...generateCase(k % STATES, variant).map((l, i) => (i === 0 ? `      case "x${k}": {` : l)));
    } else body.push(...generateCase(k, variant));
  }
  return [...head, ...body, ...tail].join("\n");
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = "/bench";

export function benchHost(files: Map<string, string>): AnalysisHost {
  return { readFile: (p) => files.get(p) };
}

/** The last hex digit of the first register write's value: toggling it is a one-character edit (as in the LSP bench). */
export function editPoint(text: string): { offset: number; digits: [string, string] } {
  const m = /write\d+\(0x[0-9a-f]+, 0x[0-9a-f]*([0-9a-f])\)/.exec(text);
  if (m === null) throw new Error("no register write to edit in the generated driver");
  const digit = m[1]!;
  return { offset: m.index + m[0].length - 2, digits: [(parseInt(digit, 16) ^ 1).toString(16), digit] };
}

export interface LargeDriverFigures {
  lines: number;
  /** A file analysed for the first time (opened): full parse included. Median CPU ms. */
  analysisMs: number;
  bestAnalysisMs: number;
  /** The same file after a one-character edit (the server's case): incremental parse included. */
  editMs: number;
  bestEditMs: number;
  /** ts.createSourceFile of the same text. */
  parseMs: number;
  bestParseMs: number;
}

/**
 * Analysis time of a generated 2,000-line driver beside the parser's time to parse it: a file seen
 * for the first time (a full parse), and the same file after a one-character edit (the analyser
 * keeps the edited file's last tree and reparses incrementally, as while typing).
 */
export function measureLargeDriver(runs = 31): LargeDriverFigures & { result: AnalysisResult } {
  const protocol = generateProtocol();
  const driver = generateDriver(2000);
  const files = new Map([[`${dir}/bench.protocol.ts`, protocol]]);
  const host = benchHost(files);
  const fileName = `${dir}/driver.ts`;
  const cache = createAnalysisCache();
  const point = editPoint(driver);
  const edited = (i: number): string => driver.slice(0, point.offset) + point.digits[i % 2]! + driver.slice(point.offset + 1);
  let result = analyzeFile(fileName, driver, host, { cache });
  for (let i = 0; i < 5; i++) {
    // warm every path (the JIT) before timing
    analyzeFile(`${dir}/warm${i}.ts`, driver, host, { cache });
    analyzeFile(fileName, edited(i), host, { cache });
    ts.createSourceFile(fileName, driver, ts.ScriptTarget.Latest, true);
  }
  // Times are this process's CPU time (on a shared machine wall time mostly measures the
  // neighbours), taken in alternating blocks of first analyses, edits and parses: each block pays
  // for its own garbage, and load that drifts over the run hits all alike. A first analysis has a
  // file name of its own (no earlier tree to reuse); an edit toggles one digit of the driver.
  const cold: number[] = [];
  const edits: number[] = [];
  const parse: number[] = [];
  const block = Math.max(1, Math.floor(runs / 4));
  let edit = 0;
  for (let i = 0; i < runs;) {
    for (let j = 0; j < block; j++, i++) {
      const t = cpuMs();
      result = analyzeFile(`${dir}/opened${i}.ts`, driver, host, { cache });
      cold.push(cpuMs() - t);
    }
    for (let j = 0; j < block; j++) {
      const text = edited(edit++);
      const t = cpuMs();
      analyzeFile(fileName, text, host, { cache });
      edits.push(cpuMs() - t);
    }
    for (let j = 0; j < block; j++) {
      const text = driver + " ".repeat(1 + ((i + j) % 7));
      const t = cpuMs();
      ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
      parse.push(cpuMs() - t);
    }
  }
  return {
    lines: driver.split("\n").length,
    analysisMs: median(cold),
    bestAnalysisMs: Math.min(...cold),
    editMs: median(edits),
    bestEditMs: Math.min(...edits),
    parseMs: median(parse),
    bestParseMs: Math.min(...parse),
    result,
  };
}

export interface WorkspaceFigures {
  drivers: number;
  lines: number;
  /** High-water mark of the process's resident memory, MB. */
  peakRssMb: number;
  /** Heap still used by the kept results after a full GC, MB. */
  retainedMb: number;
  totalMs: number;
  diagnostics: number;
}

/** Analyses a workspace of `count` drivers with one shared cache, keeping every result (runs in this process). */
export function analyzeWorkspace(count = 500): WorkspaceFigures {
  const files = new Map([[`${dir}/bench.protocol.ts`, generateProtocol()]]);
  for (let i = 0; i < count; i++) files.set(`${dir}/driver${i}.ts`, generateDriver(120 + (i % 5) * 40, i % 3));
  const host = benchHost(files);
  const cache = createAnalysisCache();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const results: AnalysisResult[] = [];
  const t = performance.now();
  for (const [fileName, text] of files) results.push(analyzeFile(fileName, text, host, { cache }));
  const totalMs = performance.now() - t;
  gc?.();
  return {
    drivers: count,
    lines: [...files.values()].reduce((n, text) => n + text.split("\n").length, 0),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    retainedMb: gc ? (process.memoryUsage().heapUsed - before) / 2 ** 20 : Number.NaN,
    totalMs,
    diagnostics: results.reduce((n, r) => n + r.diagnostics.length + (r.drivers.length > 0 ? 0 : 1), 0),
  };
}

/**
 * Runs one measurement in a fresh process on the analyser bundled as it ships (esbuild, like
 * dist/server.js): this process's own baseline (tsx, the test runner, earlier measurements) would
 * otherwise count against the analysis.
 */
function inChild<T>(mode: "large" | "workspace"): T {
  const root = path.resolve(__dirname, "..", "..");
  const outfile = path.join(root, ".cache", "bench", "analysis-bench.js");
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  esbuild.buildSync({
    entryPoints: [__filename],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    conditions: ["source"],
    external: ["typescript", "esbuild"],
    logLevel: "error",
  });
  const run = spawnSync(process.execPath, ["--expose-gc", outfile], { env: { ...process.env, ACTIVE_DRIVER_BENCH_CHILD: mode }, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`analysis benchmark (${mode}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export async function runAnalysisBench(): Promise<Row[]> {
  const large = inChild<LargeDriverFigures>("large");
  const ws = inChild<WorkspaceFigures>("workspace");
  const ratio = large.analysisMs / large.parseMs;
  const best = large.bestAnalysisMs / large.bestParseMs;
  return [
    {
      name: `analysis of a ${large.lines}-line driver (CPU time, parse included)`,
      value: large.analysisMs,
      unit: "ms",
      detail: `first analysis of the file (full parse): ${ratio.toFixed(2)}x the TypeScript parse of the same text (median ${large.parseMs.toFixed(1)} ms); best runs ${large.bestAnalysisMs.toFixed(1)} vs ${large.bestParseMs.toFixed(1)} ms = ${best.toFixed(2)}x; target <= 3x`,
    },
    {
      name: `analysis of the ${large.lines}-line driver after a one-character edit`,
      value: large.editMs,
      unit: "ms",
      detail: `incremental parse included: ${(large.editMs / large.parseMs).toFixed(2)}x the full parse; best ${large.bestEditMs.toFixed(1)} ms`,
    },
    { name: `TypeScript parse of the ${large.lines}-line driver`, value: large.parseMs, unit: "ms", detail: "the peer (median)" },
    {
      name: `peak RSS, ${ws.drivers} drivers (${ws.lines} lines) analysed, results kept`,
      value: ws.peakRssMb,
      unit: "MB",
      detail: "fresh process, bundled analyser; target < 300 MB",
    },
    { name: `heap kept by the ${ws.drivers} results after GC`, value: ws.retainedMb, unit: "MB" },
    { name: `workspace analysis, ${ws.drivers} drivers`, value: ws.totalMs, unit: "ms", detail: `${(ws.totalMs / ws.drivers).toFixed(1)} ms per driver` },
  ];
}

const child = process.env.ACTIVE_DRIVER_BENCH_CHILD;
if (child === "large") {
  const { result: _result, ...figures } = measureLargeDriver(41);
  process.stdout.write(JSON.stringify(figures));
} else if (child === "workspace") {
  process.stdout.write(JSON.stringify(analyzeWorkspace()));
} else if (require.main === module) {
  void runAnalysisBench().then((rows) => {
    if (process.argv.includes("--json")) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return;
    }
    const width = Math.max(...rows.map((r) => r.name.length));
    process.stdout.write("Driver analysis (test/bench/analysis.bench.ts)\n");
    for (const r of rows) process.stdout.write(`  ${r.name.padEnd(width)}  ${r.value.toFixed(1).padStart(8)} ${r.unit.padEnd(3)}  ${r.detail ?? ""}\n`);
  });
}
