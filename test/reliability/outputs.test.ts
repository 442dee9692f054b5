// A run never destroys a user's file: `run --trace/--pcap` and the debugger's `trace` refuse an output
// that is the driver or one of its sources, refuse one path for two outputs, and write through a
// temporary file renamed into place at the end, so a failed run leaves the old file as it was.
import { afterEach, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { FEW_FRAMES, fixture, launch, startStdio, type Client } from "../debug/helpers";

const root = path.resolve(__dirname, "..", "..");
const cliBundle = path.join(root, "dist", "cli.js");
const PRECIOUS = "// precious: the user's own words\n";

function cli(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  assert.ok(fs.existsSync(cliBundle), `${cliBundle} is missing: run \`node esbuild.js\` first`);
  const r = spawnSync(process.execPath, [cliBundle, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A driver of two files (sink.ts imports protocol.ts) and an existing file, in a fresh directory. */
function workspace(): { dir: string; driver: string; imported: string; precious: string; contents: () => Map<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-outputs-"));
  const driver = path.join(dir, "sink.ts");
  const imported = path.join(dir, "protocol.ts");
  fs.copyFileSync(fixture("sink.ts"), driver);
  fs.copyFileSync(fixture("protocol.ts"), imported);
  const precious = path.join(dir, "notes.jsonl");
  fs.writeFileSync(precious, PRECIOUS);
  const contents = (): Map<string, string> => new Map(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), "utf8")]));
  return { dir, driver, imported, precious, contents };
}

describe("run: output files", () => {
  test("--trace naming the driver itself exits 2, names the clash and leaves the driver as it was", () => {
    const w = workspace();
    const before = w.contents();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "sink.ts");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /the trace file .*sink\.ts is the driver .*refusing to overwrite it/);
    assert.deepEqual(w.contents(), before);
  });

  test("--pcap naming a file the driver imports exits 2 before anything is written", () => {
    const w = workspace();
    const before = w.contents();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--pcap", "protocol.ts");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /the capture file .*protocol\.ts is a source file the driver loads/);
    assert.deepEqual(w.contents(), before);
  });

  test("a symbolic link to the driver is the driver", () => {
    const w = workspace();
    fs.symlinkSync(w.driver, path.join(w.dir, "alias.jsonl"));
    const before = w.contents();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "alias.jsonl");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /is the driver/);
    assert.deepEqual(w.contents(), before);
  });

  test("one path for the trace and the capture exits 2 and leaves that file as it was", () => {
    const w = workspace();
    const before = w.contents();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "notes.jsonl", "--pcap", "./notes.jsonl");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /the trace file and the capture file are the same file/);
    assert.deepEqual(w.contents(), before);
  });

  test("a run that does not finish leaves an existing trace file as it was, and no temporary file", () => {
    const w = workspace();
    fs.writeFileSync(w.driver, "export default (;\n"); // does not load
    const before = w.contents();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "notes.jsonl");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^trace {6}not written: the run did not finish \(notes\.jsonl is as it was\)$/m);
    assert.deepEqual(w.contents(), before);
  });

  test("a finished run replaces the trace file whole, and leaves no temporary file", () => {
    const w = workspace();
    // This driver finishes the scenario but fails its accounting (exit 1): its trace matters most.
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "notes.jsonl", "--pcap", "wire.pcap");
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^capture {4}wire\.pcap \(pcap/m);
    const lines = fs.readFileSync(w.precious, "utf8").trim().split("\n");
    assert.ok(lines.length > 10);
    for (const line of lines) JSON.parse(line);
    assert.deepEqual(fs.readdirSync(w.dir).sort(), ["notes.jsonl", "protocol.ts", "sink.ts", "wire.pcap"]);
  });

  test("an output in a directory that does not exist exits 2 without running", () => {
    const w = workspace();
    const r = cli(w.dir, "run", "sink.ts", "--scenario", FEW_FRAMES, "--trace", "missing/trace.jsonl");
    assert.equal(r.status, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /missing\/trace\.jsonl: cannot write the trace file \(no such directory /);
  });
});

describe("debugger: the trace file", () => {
  let client: Client;
  beforeEach(async () => {
    client = await startStdio();
  });
  afterEach(async () => {
    await client.close();
  });

  test("a trace naming a file the driver imports fails the launch and leaves the file as it was", async () => {
    const w = workspace();
    const before = w.contents();
    const { dc } = client;
    await dc.initializeRequest();
    await dc.configurationDoneRequest();
    const args = { type: "active-driver", request: "launch", driver: w.driver, scenario: FEW_FRAMES, trace: w.imported, stopOnEntry: true };
    await assert.rejects(
      dc.launchRequest(args as DebugProtocol.LaunchRequestArguments),
      /"trace": the trace file .*protocol\.ts is a source file the driver loads/,
    );
    assert.deepEqual(w.contents(), before);
  });

  test("an existing trace file keeps its content while the session runs and is replaced when it ends", async () => {
    const w = workspace();
    const { dc } = client;
    await launch(dc, { driver: w.driver, trace: w.precious });
    assert.equal(fs.readFileSync(w.precious, "utf8"), PRECIOUS, "not touched while the session runs");
    const ended = dc.waitForEvent("terminated");
    await dc.continueRequest({ threadId: 3 });
    await ended;
    const lines = fs.readFileSync(w.precious, "utf8").trim().split("\n");
    assert.ok(lines.length > 10);
    for (const line of lines) JSON.parse(line);
    assert.deepEqual(fs.readdirSync(w.dir).sort(), ["notes.jsonl", "protocol.ts", "sink.ts"], "no temporary file left");
  });
});
