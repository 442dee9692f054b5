// `active-driver run` and `explore` as shipped (dist/cli.js after `node esbuild.js`; the TypeScript
// source through tsx when there is no build): exit codes, the summary, trace files, usage errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parsePcap } from "active-driver/nic";

const root = path.resolve(__dirname, "..", "..");
const fixtures = path.join(__dirname, "..", "workers", "fixtures");
const bundle = path.join(root, "dist", "cli.js");
const active = "samples/rtl8169/active.ts";

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The bundle when it is built and newer than the sources it holds from this area; else the sources. */
function bundleIsCurrent(): boolean {
  if (!fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  const workersDir = path.join(root, "runtime", "src", "workers");
  const sources = [
    path.join(root, "cli", "src", "run.ts"),
    path.join(root, "cli", "src", "explore.ts"),
    ...fs.readdirSync(workersDir).map((f) => path.join(workersDir, f)),
  ];
  return sources.every((f) => fs.statSync(f).mtimeMs <= built);
}
const useBundle = bundleIsCurrent();

function cli(...args: string[]): Ran {
  const command = useBundle ? [bundle] : ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts")];
  const r = spawnSync(process.execPath, [...command, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lineOf(file: string, marker: string): number {
  return (
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes(marker)) + 1
  );
}

test("run: a clean run exits 0 and prints mailboxes, frames, time", () => {
  const r = cli("run", active, "--scenario", "default", "--seed", "1");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^driver {5}samples\/rtl8169\/active\.ts \(active\)$/m);
  assert.match(r.stdout, /^scenario {3}default, seed 1: /m);
  assert.match(r.stdout, /^result {5}ok; protocol state at the end: closed$/m);
  assert.match(r.stdout, /^time {7}\d+\.\d{3} ms virtual, [\d.]+ m?s wall, \d+ trace events$/m);
  assert.match(r.stdout, /^frames {5}TX: 500 from the OS, 500 on the wire$/m);
  assert.match(r.stdout, /^ {11}RX: (\d+) from the wire, \1 to the OS$/m);
  assert.match(r.stdout, /^messages {3}mailbox +sent +taken +queued$/m);
  assert.match(r.stdout, /^ {11}xmit +500 +500 +0$/m);
  assert.equal(r.stderr, "");
});

test("run --json: one JSON document with what ran, ok and the whole summary; the exit status as without it", () => {
  const r = cli("run", active, "--scenario", "tx-timeout", "--seed", "3", "--json");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const doc = JSON.parse(r.stdout) as {
    driver: string;
    scenario: string;
    seed: number;
    ok: boolean;
    summary: {
      frames: { tx: { offered: number; delivered: number; dropped: Record<string, number> } };
      txTimeouts: number;
      messages: Record<string, { sent: number }>;
    };
    files: string[];
    wallMs: number;
  };
  assert.equal(doc.driver, active);
  assert.equal(doc.scenario, "tx-timeout");
  assert.equal(doc.seed, 3);
  assert.equal(doc.ok, true);
  assert.ok(doc.summary.txTimeouts >= 1, "the watchdog fired");
  const tx = doc.summary.frames.tx;
  assert.equal(tx.offered, tx.delivered + Object.values(tx.dropped).reduce((a, b) => a + b, 0), "every frame is accounted for");
  assert.equal(doc.summary.messages["xmit"]!.sent, tx.offered);
  assert.ok(doc.files.some((f) => f.endsWith("active.ts")) && doc.wallMs > 0);
  const failed = cli("run", path.join(fixtures, "throws.ts"), "--json");
  assert.equal(failed.status, 1);
  assert.equal((JSON.parse(failed.stdout) as { ok: boolean }).ok, false);
});

test("run --trace writes one JSON event per line and says where", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-cli-"));
  try {
    const trace = path.join(dir, "run.jsonl");
    const r = cli("run", active, "--scenario", "tx-timeout", "--seed", "2", "--trace", trace);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = fs.readFileSync(trace, "utf8").trimEnd().split("\n");
    assert.match(r.stdout, new RegExp(`^trace {6}${trace.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(${lines.length} events`, "m"));
    const first = JSON.parse(lines[0]!) as { seq: number; kind: string };
    const last = JSON.parse(lines[lines.length - 1]!) as { seq: number };
    assert.equal(first.seq, 0);
    assert.equal(last.seq, lines.length - 1);
    assert.match(r.stdout, /^fault {6}at \d+\.\d{3} ms: tx-lockup: /m);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("run --pcap writes what crossed the wire as a capture Wireshark opens", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-cli-"));
  try {
    const capture = path.join(dir, "wire.pcap");
    const r = cli("run", active, "--scenario", "default", "--pcap", capture);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^capture {4}.*wire\.pcap \(pcap/m);
    const { header, records } = parsePcap(fs.readFileSync(capture));
    assert.equal(header.network, 1, "link type 1: Ethernet");
    const onWire = /^nic {8}(\d+) frames sent, (\d+) received/m.exec(r.stdout);
    assert.ok(onWire !== null, r.stdout);
    assert.equal(records.length, Number(onWire[1]) + Number(onWire[2]), "every frame sent and received is in the capture");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("run: a driver that throws exits 1 and names the .ts file and line", () => {
  const helper = path.join(fixtures, "helpers", "check.ts");
  const r = cli("run", path.join(fixtures, "throws.ts"));
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^result {5}FAILED: driver error; /m);
  assert.ok(r.stdout.includes(`${helper}:${lineOf(helper, "throw new RangeError")}:`), r.stdout);
});

test("run: a protocol violation exits 1 with the state, the message and the file:line", () => {
  const file = path.join(fixtures, "illegal.ts");
  const r = cli("run", file);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /^result {5}FAILED: 1 protocol violation, frames or requests unaccounted for; workload not completed; protocol state at the end: closing$/m,
  );
  const line = lineOf(file, "d.send(openComplete, { status: 0 });") + 1;
  assert.ok(r.stdout.includes(`violation  illegal-send: "openComplete" in state "open" (thread main) at ${file}:${line}:`), r.stdout);
});

test("run: a driver that does not load exits 1 with file:line:col", () => {
  const file = path.join(fixtures, "syntax.ts");
  const r = cli("run", file);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes(`result     FAILED: ${file}:6:35: syntax error: ')' expected.`), r.stdout);
});

test("run: a driver that loops without waiting is stopped: exit 1, the error names the driver", () => {
  const file = path.join(fixtures, "spin.ts");
  const r = cli("run", file);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.ok(r.stdout.includes(`result     FAILED: driver ${file} was stopped: it ran for `), r.stdout);
  assert.match(r.stdout, /without waiting/);
});

test("run: a scenario file runs; bad usage and unreadable input exit 2 with a message naming it", () => {
  const ok = cli("run", active, "--scenario", "samples/rtl8169/scenarios/suspend-cycles.json");
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^scenario {3}suspend-cycles, seed 1: /m);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-cli-"));
  try {
    const broken = path.join(dir, "broken.json");
    fs.writeFileSync(broken, "{ not json");
    const cases: [string[], RegExp][] = [
      [["run"], /run: give the driver file/],
      [["run", "samples/rtl8169/no-such-driver.ts"], /samples\/rtl8169\/no-such-driver\.ts: cannot read the driver \(no such file\)/],
      [["run", "samples/rtl8169"], /samples\/rtl8169: not a file/],
      [["run", "samples/README.md"], /samples\/README\.md: not a driver source file/],
      [["run", active, "--scenario", "sunny-day"], /unknown scenario 'sunny-day': use one of default, tx-timeout, link-flap/],
      [["run", active, "--scenario", broken], new RegExp(`${broken.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: not valid JSON`)],
      [["run", active, "--scenario", path.join(dir, "missing.json")], /missing\.json: cannot read the scenario file \(ENOENT\)/],
      [["run", active, "--seed", "-3"], /--seed: expected a non-negative integer, got '-3'/],
      [["run", active, "--trace", path.join(dir, "no", "such", "dir.jsonl")], /dir\.jsonl: cannot write the trace file \(no such directory /],
      [["run", active, "--frobnicate"], /unknown option '--frobnicate'/],
      [["explore", active, "--runs", "0"], /--runs: expected a positive integer, got '0'/],
    ];
    for (const [args, message] of cases) {
      const r = cli(...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message, args.join(" "));
      assert.equal(r.stdout, "", args.join(" "));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("explore: every scenario once over a seed passes for active.ts", () => {
  const r = cli("explore", active, "--runs", "8", "--seed", "3");
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^8 runs \(8 scenarios, random\) in [\d.]+ s \([\d.]+ runs\/s\): all passed$/m);
});

test("explore: each failure comes with its schedule file and the command that replays it, and the replay fails the same way", () => {
  const file = path.relative(root, path.join(fixtures, "illegal.ts"));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "ad-explore-"));
  try {
    const r = cli("explore", file, "--runs", "2", "--seed", "5", "--out", out);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^FAIL {2}default seed 5: illegal-send: send of "openComplete" in state "open"/m);
    const schedules = ["default.1", "tx-timeout.2"].map((s) => path.join(out, `illegal.${s}.schedule.json`));
    for (const schedule of schedules) assert.ok(r.stdout.includes(`      replay: active-driver run --replay ${schedule}\n`), r.stdout);
    assert.match(r.stdout, /^2 runs \(8 scenarios, random\) in [\d.]+ s \([\d.]+ runs\/s\): 2 failed$/m);
    const replay = cli("run", "--replay", schedules[0]!);
    assert.equal(replay.status, 1);
    assert.match(replay.stdout, /violation {2}illegal-send: "openComplete" in state "open"/);
    assert.match(replay.stdout, /the failure recurs \(illegal-send/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test("npm start: the bundle runs the active sample on the default scenario", { skip: !fs.existsSync(bundle) && "no build (run `node esbuild.js`)" }, () => {
  const r = spawnSync(process.execPath, [bundle, "run", active, "--scenario", "default"], { cwd: root, encoding: "utf8", timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^result {5}ok/m);
});
