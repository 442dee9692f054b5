// Scale: `explore --shard i/n` splits one plan between machines, `explore merge` joins their JSON
// reports, and the progress line appears only on a terminal.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { mergeCoverage, mergeReports, type MergeableReport } from "../../cli/src/exploreMerge";
import { ExploreProgress } from "../../cli/src/exploreProgress";
import { inShard, parseShard, shardPlan } from "../../cli/src/exploreShard";
import { UsageError } from "../../cli/src/usage";

const root = path.resolve(__dirname, "..", "..");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts"), ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function report(over: Partial<MergeableReport>): MergeableReport {
  return { driver: "d.ts", runs: 0, passed: 0, failed: 0, failures: [], ...over };
}

describe("--shard i/n", () => {
  it("parses i/n and refuses anything else with a usage error", () => {
    assert.deepEqual(parseShard("2/4"), { index: 2, count: 4 });
    assert.deepEqual(parseShard("1/1"), { index: 1, count: 1 });
    for (const bad of ["0/4", "5/4", "2", "a/b", "2/0", "-1/3", "1/2/3", ""]) assert.throws(() => parseShard(bad), UsageError, bad);
  });

  it("splits a plan into n disjoint shares of whole rounds that together are the plan, each with every scenario", () => {
    const plan = Array.from({ length: 23 }, (_, k) => ({ k, scenario: ["a", "b", "c"][k % 3]! }));
    const shares = [1, 2, 3, 4].map((index) => shardPlan(plan, { index, count: 4 }, 3));
    assert.deepEqual(
      shares
        .flat()
        .map((r) => r.k)
        .sort((x, y) => x - y),
      plan.map((r) => r.k),
    );
    for (const share of shares) assert.deepEqual(new Set(share.map((r) => r.scenario)), new Set(["a", "b", "c"]));
    assert.deepEqual(
      shares.map((s) => s.length),
      [6, 6, 6, 5],
    );
    assert.deepEqual(shardPlan(plan, undefined), plan);
    assert.equal(inShard(3, { index: 2, count: 4 }, 3), true, "run 3 opens the second round");
    assert.equal(inShard(3, { index: 4, count: 4 }), true, "rounds of one run: k mod n");
  });
});

describe("explore merge", () => {
  it("sums runs and failures in shard order and joins coverage", () => {
    const a = report({
      shard: { index: 2, count: 2 },
      runs: 3,
      passed: 2,
      failed: 1,
      failures: [{ scenario: "x", message: "second shard" }],
      coverage: {
        transitions: [{ state: "open", message: "xmit", count: 5 }],
        unreached: [
          { state: "closing", message: "txTimeout" },
          { state: "open", message: "suspend" },
        ],
        waitSites: [{ file: "d.ts", line: 4, column: 3, messages: { xmit: 5 } }],
        faults: [{ kind: "tx-lockup", state: "open", count: 1 }],
      },
    });
    const b = report({
      shard: { index: 1, count: 2 },
      runs: 4,
      passed: 4,
      failed: 0,
      failures: [],
      coverage: {
        transitions: [
          { state: "open", message: "xmit", count: 2 },
          { state: "open", message: "suspend", count: 1 },
        ],
        unreached: [{ state: "closing", message: "txTimeout" }],
        waitSites: [{ file: "d.ts", line: 4, column: 3, messages: { xmit: 2, suspend: 1 } }],
        faults: [{ kind: "tx-lockup", state: "open", count: 2 }],
      },
    });
    const m = mergeReports([a, b]);
    assert.equal(m.runs, 7);
    assert.equal(m.passed, 6);
    assert.equal(m.failed, 1);
    assert.deepEqual(m.failures, [{ scenario: "x", message: "second shard" }]);
    assert.deepEqual(m.shards, { count: 2, merged: [1, 2], missing: [] });
    assert.equal(m.shard, undefined);
    assert.deepEqual(m.coverage!.transitions, [
      { state: "open", message: "xmit", count: 7 },
      { state: "open", message: "suspend", count: 1 },
    ]);
    assert.deepEqual(m.coverage!.unreached, [{ state: "closing", message: "txTimeout" }], "reached by one shard: not unreached");
    assert.deepEqual(m.coverage!.waitSites, [{ file: "d.ts", line: 4, column: 3, messages: { xmit: 7, suspend: 1 } }]);
    assert.deepEqual(m.coverage!.faults, [{ kind: "tx-lockup", state: "open", count: 3 }]);
  });

  it("refuses reports of different drivers or strategies, repeated shards, and says which shards are missing", () => {
    assert.throws(
      () => mergeReports([report({}), report({ driver: "other.ts" })], ["a.json", "b.json"]),
      /b\.json: driver other\.ts differs from d\.ts in a\.json/,
    );
    assert.throws(() => mergeReports([report({ strategy: "pct" }), report({ strategy: "random" })]), /strategy random differs from pct/);
    assert.throws(
      () => mergeReports([report({ shard: { index: 1, count: 3 } }), report({ shard: { index: 1, count: 3 } })], ["a", "b"]),
      /b: shard 1\/3 given twice/,
    );
    assert.deepEqual(mergeReports([report({ shard: { index: 3, count: 3 } })]).shards, { count: 3, merged: [3], missing: [1, 2] });
    assert.throws(() => mergeReports([]), UsageError);
  });

  it("a transition unreached in every shard stays unreached", () => {
    const c = mergeCoverage([
      { transitions: [], unreached: [{ state: "s", message: "m" }], waitSites: [], faults: [] },
      { transitions: [], unreached: [{ state: "s", message: "m" }], waitSites: [], faults: [] },
    ]);
    assert.deepEqual(c.unreached, [{ state: "s", message: "m" }]);
  });

  it("end to end: two shards of a plan, merged, are the whole plan; bad reports exit 2", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "explore-shards-"));
    const driver = "test/explore/bugs/active-no-resend-after-reset.ts";
    const files: string[] = [];
    for (const shard of ["1/2", "2/2"]) {
      const r = cli("explore", driver, "--scenario", "default,tx-timeout", "--runs", "5", "--shard", shard, "--out", dir, "--json");
      assert.equal(r.status, 1, r.stderr);
      const file = path.join(dir, `shard-${shard[0]}.json`);
      fs.writeFileSync(file, r.stdout);
      files.push(file);
    }
    const shares = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as MergeableReport);
    assert.deepEqual(
      shares.map((s) => s.runs),
      [3, 2],
    );
    const merged = cli("explore", "merge", "--json", ...files);
    assert.equal(merged.status, 1, merged.stderr);
    const m = JSON.parse(merged.stdout) as MergeableReport & { shards: unknown };
    assert.equal(m.runs, 5);
    assert.equal(m.failed, shares[0]!.failed + shares[1]!.failed);
    assert.ok(m.failed >= 2, "every tx-timeout run of this driver fails");
    assert.deepEqual(m.shards, { count: 2, merged: [1, 2], missing: [] });
    const text = cli("explore", "merge", files[0]!);
    assert.equal(text.status, 1);
    assert.match(text.stderr, /shard\(s\) 2\/2 missing/);
    assert.match(text.stdout, /^FAIL {2}tx-timeout seed \d+: TX: \d+ frame\(s\)/m);
    fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
    const bad = cli("explore", "merge", path.join(dir, "bad.json"));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /bad\.json: not valid JSON/);
    assert.equal(cli("explore", driver, "--shard", "3/2").status, 2);
  });
});

describe("the progress line", () => {
  it("is drawn in place on a terminal, throttled, and cleared around printed lines", () => {
    let t = 0;
    const out: string[] = [];
    const p = new ExploreProgress({ isTTY: true, write: (s) => out.push(s) > 0 }, 10, true, () => t);
    t = 1000;
    p.result(true);
    assert.equal(out.at(-1), "\r\x1b[Kexplore: 1/10 runs, 1.0 runs/s, 0 failed");
    p.result(false); // within 100 ms of the last draw: not redrawn
    assert.equal(out.length, 1);
    t = 2000;
    p.coverage(3, 31);
    assert.equal(out.at(-1), "\r\x1b[Kexplore: 2/10 runs, 1.0 runs/s, 1 failed, coverage 3/31");
    p.print("FAIL  x\n");
    assert.deepEqual(out.slice(-3), ["\r\x1b[K", "FAIL  x\n", "\r\x1b[Kexplore: 2/10 runs, 1.0 runs/s, 1 failed, coverage 3/31"]);
    p.done();
    assert.equal(out.at(-1), "\r\x1b[K");
  });

  it("is off for a pipe and for --json, and explore's piped output has no carriage returns", () => {
    assert.equal(ExploreProgress.wanted({ isTTY: false, write: () => true }, false), false);
    assert.equal(ExploreProgress.wanted({ isTTY: true, write: () => true }, true), false);
    const off: string[] = [];
    const p = new ExploreProgress({ write: (s) => off.push(s) > 0 }, 1, false);
    p.result(true);
    p.print("line\n");
    p.done();
    assert.deepEqual(off, ["line\n"]);
    const r = cli("explore", "samples/rtl8169/active.ts", "--scenario", "default", "--runs", "2");
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes("\r"), JSON.stringify(r.stdout));
  });
});
