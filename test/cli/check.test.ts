// `active-driver check`: formats (text, json, sarif, github), folders, exit codes (0 no errors, 1 errors,
// 2 bad usage or unreadable input). Runs the CLI from source the way `npm test` builds it.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { brokenDir, repoRoot } from "../analysis/harness";

function check(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", "cli/src/main.ts", "check", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = mkdtempSync(path.join(tmpdir(), "active-driver-check-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("text: one line per finding and a summary; errors exit 1", () => {
  const r = check("samples/broken");
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.ok(
    lines.includes("samples/broken/ad001-missing-wait.ts:13:23 error AD001 txTimeout can arrive in state 'open' but this wait does not accept it"),
    r.stdout,
  );
  assert.match(lines.at(-1)!, /^\d+ errors?, \d+ warnings?, 1 information in 11 files$/);
  assert.equal(lines.length - 1, 10);
});

test("json: an array of findings with 1-based positions", () => {
  const r = check("--format", "json", "samples/broken/ad004-illegal-send.ts");
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as unknown[];
  assert.deepEqual(findings, [
    {
      file: "samples/broken/ad004-illegal-send.ts",
      line: 14,
      column: 31,
      endLine: 14,
      endColumn: 68,
      code: "AD004",
      severity: "error",
      message: "closeComplete cannot be sent in state 'open': the protocol allows it only in state 'closing'",
    },
  ]);
});

test("sarif: a 2.1.0 log with a rule per code and results GitHub code scanning accepts", () => {
  const r = check("--format=sarif", "samples/broken");
  assert.equal(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout) as {
    version: string;
    $schema: string;
    runs: Array<{
      tool: {
        driver: {
          name: string;
          rules: Array<{ id: string; name: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }>;
        };
      };
      results: Array<{
        ruleId: string;
        ruleIndex: number;
        level: string;
        message: { text: string };
        locations: Array<{
          physicalLocation: {
            artifactLocation: { uri: string; uriBaseId?: string };
            region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
          };
        }>;
        relatedLocations?: Array<{ id: number; message: { text: string } }>;
      }>;
    }>;
  };
  assert.equal(log.version, "2.1.0");
  assert.match(log.$schema, /sarif-2\.1\.0/);
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, "active-driver");
  const ids = run.tool.driver.rules.map((rule) => rule.id);
  assert.deepEqual(ids, ["AD001", "AD002", "AD003", "AD004", "AD010", "AD011", "AD012", "AD013", "AD020", "AD030", "AD090"]);
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.help.text.length > 20 && rule.shortDescription.text.length > 10 && /^[A-Z][A-Za-z]+$/.test(rule.name));
    assert.ok(["error", "warning", "note"].includes(rule.defaultConfiguration.level));
  }
  assert.equal(run.results.length, 10);
  for (const result of run.results) {
    assert.equal(ids[result.ruleIndex], result.ruleId);
    assert.ok(["error", "warning", "note"].includes(result.level));
    const loc = result.locations[0]!.physicalLocation;
    assert.match(loc.artifactLocation.uri, /^samples\/broken\/ad\d{3}-[a-z-]+\.ts$/);
    assert.equal(loc.artifactLocation.uriBaseId, "%SRCROOT%");
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1 && loc.region.endLine >= loc.region.startLine);
  }
  const ad012 = run.results.find((x) => x.ruleId === "AD012")!;
  assert.equal(ad012.level, "note");
  const ad001 = run.results.find((x) => x.ruleId === "AD001")!;
  assert.equal(ad001.relatedLocations![0]!.id, 1);
});

test("github: one workflow command per finding (error, warning, notice) with its range, then the summary", () => {
  const r = check("--format", "github", "samples/broken");
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.ok(
    lines.includes(
      "::error file=samples/broken/ad001-missing-wait.ts,line=13,endLine=13,col=23,endColumn=42,title=AD001::txTimeout can arrive in state 'open' but this wait does not accept it",
    ),
    r.stdout,
  );
  const commands = lines.slice(0, -1);
  assert.equal(commands.length, 10);
  for (const line of commands) assert.match(line, /^::(error|warning|notice) file=[^,:]+,line=\d+,endLine=\d+,col=\d+,endColumn=\d+,title=AD\d{3}::[^\n]+$/);
  assert.ok(
    commands.some((l) => l.startsWith("::notice ")),
    "information findings become notices",
  );
  assert.match(lines.at(-1)!, /^\d+ errors?, \d+ warnings?, 1 information in 11 files$/);
});

test("--watch checks again when a file changes, until Ctrl+C (exit 0); it prints text only", async () => {
  const dir = mkdtempSync(path.join(scratch, "watch-"));
  copyFileSync(path.join(brokenDir, "protocol.ts"), path.join(dir, "protocol.ts"));
  const broken = readFileSync(path.join(brokenDir, "ad001-missing-wait.ts"), "utf8");
  writeFileSync(path.join(dir, "driver.ts"), broken);
  const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", "cli/src/main.ts", "check", "--watch", dir], { cwd: repoRoot });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const until = async (what: string, test: () => boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!test()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; output so far:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  try {
    await until("the first check", () => out.includes("watching for changes"));
    assert.match(out, /driver\.ts:13:23 error AD001/);
    // Once "watching for changes" is printed every folder is watched: one save is enough.
    const fixed = broken.replace("d.wait(close, xmit)", "d.wait(close, xmit, txTimeout)");
    writeFileSync(path.join(dir, "driver.ts"), fixed);
    await until("the check after the fix", () => /changed: .*driver\.ts[^\n]*\nno problems in 2 files/.test(out));
    // A folder created while watching is watched too (and what it brings is checked).
    const before = out.length;
    mkdirSync(path.join(dir, "nested"));
    await until("the check after the new folder", () => /no problems in 2 files/.test(out.slice(before)));
    const after = out.length;
    writeFileSync(path.join(dir, "nested", "protocol.ts"), readFileSync(path.join(brokenDir, "protocol.ts"), "utf8"));
    writeFileSync(path.join(dir, "nested", "driver.ts"), broken);
    await until("the check of the new folder's driver", () => /nested[\\/]driver\.ts:13:23 error AD001/.test(out.slice(after)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    assert.equal(await exited, 0);
  } finally {
    child.kill();
  }
  const r = check("--watch", "--format", "json", dir);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--watch prints text: it does not combine with --format json/);
});

test("warnings only exit 0", () => {
  const r = check("samples/broken/ad002-impossible-wait.ts", "samples/broken/protocol.ts");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /AD002/);
  assert.match(r.stdout, /0 errors, 1 warning, 0 information in 2 files/);
});

test("a folder of protocol files only is fine; folders skip node_modules and .d.ts", () => {
  const dir = path.join(scratch, "protocols");
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  mkdirSync(path.join(dir, "nested"), { recursive: true });
  copyFileSync(path.join(brokenDir, "protocol.ts"), path.join(dir, "protocol.ts"));
  copyFileSync(path.join(brokenDir, "ad001-missing-wait.ts"), path.join(dir, "node_modules", "bad.ts"));
  writeFileSync(path.join(dir, "types.d.ts"), "export declare const x: number;\n");
  let r = check(dir);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^no problems in 1 file\n$/);
  copyFileSync(path.join(brokenDir, "ad001-missing-wait.ts"), path.join(dir, "nested", "driver.ts"));
  copyFileSync(path.join(brokenDir, "protocol.ts"), path.join(dir, "nested", "protocol.ts"));
  r = check("--format", "json", dir);
  assert.equal(r.status, 1);
  const findings = JSON.parse(r.stdout) as Array<{ file: string; code: string }>;
  assert.deepEqual(
    findings.map((f) => [path.basename(f.file), f.code]),
    [["driver.ts", "AD001"]],
  );
});

test("unreadable input and bad usage exit 2 with a clear message", () => {
  let r = check("samples/broken/no-such-driver.ts");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read 'samples\/broken\/no-such-driver\.ts': no such file or directory/);
  r = check("--format", "xml", "samples/broken");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown format 'xml'/);
  r = check();
  assert.equal(r.status, 2);
  assert.match(r.stderr, /at least one file or folder/);
  r = check("--colour", "samples");
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--colour'/);
});

test("a helper two drivers reach in different states: one finding under the helper naming both states, with both calls", () => {
  const dir = mkdtempSync(path.join(scratch, "helper-two-drivers-"));
  copyFileSync(path.join(brokenDir, "protocol.ts"), path.join(dir, "protocol.ts"));
  writeFileSync(path.join(dir, "helper.ts"), `export async function settle(d: any) {\n  await d.wait(d.mb.txTimeout);\n}\n`);
  // a.ts calls `settle` in state 'closed' (line 6), b.ts in state 'open' (line 11).
  const driver = (beforeOpen: string, whileOpen: string) => `import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";
import { settle } from "./helper";
export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    ${beforeOpen}
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      ${whileOpen}
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
`;
  writeFileSync(path.join(dir, "a.ts"), driver("await settle(d);", ""));
  writeFileSync(path.join(dir, "b.ts"), driver("", "await settle(d);"));
  const message = "open can arrive in state 'closed'; close and xmit in state 'open': this wait does not accept them";
  let r = check("--format", "json", path.join(dir, "a.ts"), path.join(dir, "b.ts"));
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as Array<{ file: string; line: number; code: string; message: string }>;
  assert.deepEqual(
    findings.map((f) => [path.basename(f.file), f.line, f.code, f.message]),
    [["helper.ts", 2, "AD001", message]],
  );
  r = check("--format", "sarif", path.join(dir, "a.ts"), path.join(dir, "b.ts"));
  const log = JSON.parse(r.stdout) as {
    runs: Array<{
      results: Array<{
        message: { text: string };
        relatedLocations: Array<{ message: { text: string }; physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
      }>;
    }>;
  };
  const [result, ...others] = log.runs[0]!.results;
  assert.deepEqual(others, []);
  assert.equal(result!.message.text, message);
  assert.deepEqual(
    result!.relatedLocations
      .filter((l) => l.message.text.startsWith("reached from"))
      .map((l) => `${path.basename(l.physicalLocation.artifactLocation.uri)}:${l.physicalLocation.region.startLine} ${l.message.text}`),
    ["a.ts:6 reached from settle() in state 'closed'", "b.ts:11 reached from settle() in state 'open'"],
  );
  r = check(path.join(dir, "a.ts"), path.join(dir, "b.ts"));
  assert.match(r.stdout, /helper\.ts:2:9 error AD001 open can arrive in state 'closed'; close and xmit in state 'open'/);
  assert.match(r.stdout, /^1 error, 0 warnings, 0 information in 2 files$/m);
});
