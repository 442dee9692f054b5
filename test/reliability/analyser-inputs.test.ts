// Hostile input to the analyser, in `check` and in the language server's analysis service: imports
// of a FIFO, of a link to /dev/zero and of a file over the size limit are refused with a finding on
// the import (never a hang, never a read that grows without end), and a file nested too deeply to
// analyse gets a finding instead of a silent empty answer (`check` exits 2, SARIF says so). Whatever
// could hang or balloon runs in a child process with a time and heap bound set here.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { analyzeFile, MAX_SOURCE_BYTES } from "../../server/src/analysis";

const repoRoot = path.resolve(__dirname, "../..");
const requireHere = createRequire(__filename);
/** Loaders resolved here, not from the child's working directory (a scratch folder). */
const tsxLoader = pathToFileURL(path.join(path.dirname(requireHere.resolve("tsx/package.json")), "dist/loader.mjs")).href;
const scratch = mkdtempSync(path.join(tmpdir(), "active-driver-inputs-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const posix = process.platform !== "win32";

/** Runs a TypeScript entry from source with a bounded heap and wall time. */
function runBounded(args: string[], cwd: string): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--max-old-space-size=256", "--conditions=source", "--import", tsxLoader, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function check(cwd: string, ...args: string[]) {
  return runBounded([path.join(repoRoot, "cli/src/main.ts"), "check", ...args], cwd);
}

const protocol = `import { defineProtocol, msg } from "active-driver";
export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: { open: msg.in({ reply: "openComplete" }), openComplete: msg.out(), txTimeout: msg.in() },
  initial: "closed",
  states: { closed: { open: "opening", txTimeout: "closed" }, opening: { openComplete: "closed", txTimeout: "opening" } },
});
`;

/** A driver importing its protocol and a helper from `helper`; it misses txTimeout (AD001) when the protocol is read. */
function driver(helper: string): string {
  return `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { setup } from "${helper}";
export default defineDriver({ protocol: Ethernet }, async (d) => {
  setup();
  for (;;) {
    await d.wait(d.mb.open);
    d.send(d.mb.openComplete, {});
  }
});
`;
}

/** A folder with the protocol, a FIFO, a link to /dev/zero and a file over the size limit, each imported by a driver. */
function hostileFolder(): string {
  const dir = mkdtempSync(path.join(scratch, "hostile-"));
  writeFileSync(path.join(dir, "protocol.ts"), protocol);
  spawnSync("mkfifo", [path.join(dir, "fifo.ts")]);
  symlinkSync("/dev/zero", path.join(dir, "zero.ts"));
  writeFileSync(path.join(dir, "big.ts"), `export function setup() {}\n${"//".padEnd(MAX_SOURCE_BYTES, "x")}\n`);
  for (const name of ["fifo", "zero", "big"]) writeFileSync(path.join(dir, `uses-${name}.ts`), driver(`./${name}`));
  return dir;
}

const reasons: Record<string, RegExp> = {
  fifo: /'\.\/fifo' is not analysed \(the file is a FIFO, not a regular file\)/,
  zero: /'\.\/zero' is not analysed \(the file is a character device, not a regular file\)/,
  big: /'\.\/big' is not analysed \(the file is 4\.0 MB, over the 4\.0 MB limit\)/,
};

test("check: imports of a FIFO, a link to /dev/zero and a file over 4 MB get AD090 on the import, and the rest is analysed", { skip: !posix }, () => {
  const dir = hostileFolder();
  for (const name of ["fifo", "zero", "big"]) {
    const r = check(dir, "--format", "json", `uses-${name}.ts`);
    assert.equal(r.signal, null, `check of an import of ${name} was stopped: it hung or ballooned`);
    const findings = JSON.parse(r.stdout) as { line: number; column: number; code: string; severity: string; message: string }[];
    const limit = findings.find((f) => f.code === "AD090");
    assert.ok(limit, `${name}: ${r.stdout}`);
    assert.deepEqual([limit.line, limit.column, limit.severity], [3, 23, "warning"]);
    assert.match(limit.message, reasons[name]!);
    assert.ok(
      findings.some((f) => f.code === "AD001"),
      `the protocol is still followed: ${r.stdout}`,
    );
    assert.equal(r.status, 1, r.stderr);
  }
});

test("check: a FIFO named on the command line is refused with exit 2, without blocking", { skip: !posix }, () => {
  const dir = hostileFolder();
  const r = check(dir, "fifo.ts");
  assert.equal(r.signal, null, "check of a FIFO hung");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read 'fifo\.ts': the file is a FIFO, not a regular file/);
});

test("the language server's analysis service: the same finding on the import, without blocking", { skip: !posix }, () => {
  const dir = hostileFolder();
  const script = path.join(dir, "serve.ts");
  const service = pathToFileURL(path.join(repoRoot, "server/src/workspace/analysisService.ts")).href;
  const analysis = pathToFileURL(path.join(repoRoot, "server/src/analysis/index.ts")).href;
  writeFileSync(
    script,
    `import { readFileSync } from "node:fs";
import { TextDocument } from ${JSON.stringify(pathToFileURL(requireHere.resolve("vscode-languageserver-textdocument")).href)};
import { AnalysisService } from ${JSON.stringify(service)};
import { analyzeFile } from ${JSON.stringify(analysis)};
const service = new AnalysisService({ analyze: analyzeFile });
for (const name of ["fifo", "zero", "big"]) {
  const file = ${JSON.stringify(dir)} + "/uses-" + name + ".ts";
  const doc = TextDocument.create("file://" + file, "typescript", 1, readFileSync(file, "utf8"));
  service.documentChanged(doc);
  const { result } = service.analysisOf(doc);
  for (const d of result.diagnostics) console.log(name, d.code, d.range.start.line, d.message);
}
`,
  );
  const r = runBounded([script], repoRoot);
  assert.equal(r.signal, null, "the analysis service hung or ballooned");
  assert.equal(r.status, 0, r.stderr);
  for (const name of ["fifo", "zero", "big"]) {
    const line = r.stdout.split("\n").find((l) => l.startsWith(`${name} AD090 2 `));
    assert.ok(line, r.stdout);
    assert.match(line, reasons[name]!);
    assert.ok(r.stdout.includes(`${name} AD001 `), r.stdout);
  }
});

/** A driver whose wait (missing txTimeout: AD001) sits inside `depth` nested blocks. */
function nested(depth: number): string {
  return `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
export default defineDriver({ protocol: Ethernet }, async (d) => {
${"{".repeat(depth)}
  await d.wait(d.mb.open);
${"}".repeat(depth)}
});
`;
}

test("1,500 nested blocks: an AD090 error on the file, never a silent empty answer", () => {
  const host = { readFile: (f: string) => (f.endsWith("protocol.ts") ? protocol : undefined) };
  const shallow = analyzeFile("/drivers/shallow.ts", nested(100), host);
  assert.deepEqual(
    shallow.diagnostics.map((d) => d.code),
    ["AD001", "AD003"],
  );
  const deep = analyzeFile("/drivers/deep.ts", nested(1500), host);
  assert.deepEqual(deep.internalErrors, []);
  assert.deepEqual(
    deep.diagnostics.map((d) => [d.code, d.severity, d.range.start.line]),
    [["AD090", "error", 3]],
  );
  assert.match(deep.diagnostics[0]!.message, /too deeply nested to analyse/);
  // Deeper than the parser itself takes on: the same finding, at the file's start.
  const deeper = analyzeFile("/drivers/deeper.ts", `const x = ${"(".repeat(20_000)}1${")".repeat(20_000)};\n${nested(1)}`, host);
  assert.deepEqual(deeper.internalErrors, []);
  assert.deepEqual(
    deeper.diagnostics.map((d) => [d.code, d.range.start.line]),
    [["AD090", 0]],
  );
});

test("check: a file too deeply nested exits 2 and SARIF carries a tool-execution notification", () => {
  const dir = mkdtempSync(path.join(scratch, "deep-"));
  writeFileSync(path.join(dir, "protocol.ts"), protocol);
  writeFileSync(path.join(dir, "deep.ts"), nested(1500));
  const text = check(dir, "deep.ts");
  assert.equal(text.status, 2, text.stderr);
  assert.match(text.stdout, /^deep\.ts:4:\d+ error AD090 this file is too deeply nested to analyse/m);
  assert.match(text.stderr, /not analysed: deep\.ts: this file is too deeply nested/);
  const sarif = check(dir, "--format", "sarif", "deep.ts");
  assert.equal(sarif.status, 2);
  const log = JSON.parse(sarif.stdout) as {
    runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string } }[] }[] }[];
  };
  const invocation = log.runs[0]!.invocations[0]!;
  assert.equal(invocation.executionSuccessful, false);
  assert.equal(invocation.toolExecutionNotifications.length, 1);
  assert.match(invocation.toolExecutionNotifications[0]!.message.text, /deep\.ts: this file is too deeply nested/);
});

test("check: a helper file too deeply nested is an import not followed, and the driver is still analysed", () => {
  const dir = mkdtempSync(path.join(scratch, "deep-helper-"));
  mkdirSync(path.join(dir, "lib"));
  writeFileSync(path.join(dir, "protocol.ts"), protocol);
  writeFileSync(path.join(dir, "lib", "setup.ts"), `export function setup() {${"{".repeat(1500)}${"}".repeat(1500)}}\n`);
  writeFileSync(path.join(dir, "driver.ts"), driver("./lib/setup"));
  const r = check(dir, "driver.ts");
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /driver\.ts:3:23 warning AD090 '\.\/lib\/setup' is not analysed \(the file is nested more than 500 levels deep\)/);
  assert.match(r.stdout, /error AD001/);
});
