// Schedule files end to end: explore writes a shrunk schedule for a failure; `run --replay`
// reproduces it (exit 1), gives the same trace bytes each time, exits 0 for a schedule that passes,
// 2 for a file it cannot read, and warns when the driver changed; dfs counts its schedules.
// As shipped (dist/cli.js) when the build is current, else the TypeScript source through tsx.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readScheduleFile, sha256File, writeScheduleFile, type ScheduleFile } from "active-driver/explore";
import type { ExploreReport } from "../../cli/src/explore";

const root = path.resolve(__dirname, "..", "..");
const bundle = path.join(root, "dist", "cli.js");
const reopen = path.join(__dirname, "..", "workers", "fixtures", "reopen.ts");
const samples = path.join(root, "samples", "rtl8169");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ad-replay-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bundleIsCurrent(): boolean {
  if (!fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  const dirs = ["runtime/src/workers", "runtime/src/explore", "runtime/src/nic", "cli/src"].map((d) => path.join(root, d));
  return dirs.flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f))).every((f) => fs.statSync(f).mtimeMs <= built);
}
const useBundle = bundleIsCurrent();

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const command = useBundle ? [bundle] : ["--conditions=source", "--import", "tsx", path.join(root, "cli", "src", "main.ts")];
  const r = spawnSync(process.execPath, [...command, ...args], { cwd: tmp, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A schedule of a sample with no failure recorded: every decision at its default, or the given ones. */
function scheduleOf(driver: string, choices: number[], dir = tmp): string {
  const file = path.join(dir, `${path.basename(driver, ".ts")}.protocol-fuzz.${choices.length}.schedule.json`);
  const schedule: ScheduleFile = {
    format: "active-driver-schedule",
    version: 1,
    driver: { path: path.relative(dir, driver), sha256: sha256File(driver) },
    scenario: "protocol-fuzz",
    strategy: "random",
    choices,
  };
  writeScheduleFile(file, schedule);
  return file;
}

describe("schedule files and run --replay", () => {
  let failing = "";

  it("explore finds the re-open bug with protocol-fuzz, shrinks it and writes its schedule", () => {
    const out = path.join(tmp, "out");
    const r = cli("explore", reopen, "--scenario", "protocol-fuzz", "--budget", "2", "--seed", "1", "--json", "--out", out);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as ExploreReport;
    assert.equal(report.strategy, "random");
    assert.ok(report.failed >= 1);
    const f = report.failures[0]!;
    assert.equal(f.kind, "driver-error");
    assert.match(f.message, /open after close/);
    assert.equal(f.schedule, path.join(out, "reopen.protocol-fuzz.1.schedule.json"));
    assert.equal(f.replay, `active-driver run --replay ${f.schedule}`);
    const { before, after: shrunk } = f.shrink!;
    assert.ok(shrunk.choices <= before.choices && shrunk.nonDefault < before.nonDefault, JSON.stringify(f.shrink));
    const written = readScheduleFile(f.schedule);
    assert.equal(written.choices.length, shrunk.choices);
    assert.equal(written.failure?.kind, "driver-error");
    assert.ok(written.failure!.seq > 0);
    assert.equal(path.resolve(out, written.driver.path), reopen);
    assert.equal(written.driver.sha256, sha256File(reopen));
    assert.ok(report.coverage.transitions.some((t) => t.state === "closed" && t.message === "open"));
    failing = f.schedule;
  });

  it("replay reproduces the failure (exit 1), with the same trace bytes every time", () => {
    assert.ok(failing !== "", "the exploration above wrote a schedule");
    const traces = ["a.jsonl", "b.jsonl"].map((name) => {
      const r = cli("run", "--replay", failing, "--trace", name);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /the failure recurs \(driver-error, event \d+ at/);
      assert.equal(r.stderr, "");
      return fs.readFileSync(path.join(tmp, name));
    });
    assert.ok(traces[0]!.length > 0 && traces[0]!.equals(traces[1]!));
  });

  it("replay of a schedule that passes exits 0", () => {
    const r = cli("run", "--replay", scheduleOf(path.join(samples, "active.ts"), [0, 0, 0, 1, 0, 2]));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /the run passes now/);
  });

  it("an unreadable or invalid schedule exits 2 naming the file", () => {
    const bad = path.join(tmp, "bad.schedule.json");
    fs.writeFileSync(
      bad,
      JSON.stringify({
        format: "active-driver-schedule",
        version: 1,
        driver: { path: "x.ts", sha256: "0".repeat(64) },
        scenario: "default",
        strategy: "random",
        choices: [1, -2],
      }),
    );
    for (const [file, cause] of [
      [path.join(tmp, "missing.schedule.json"), /cannot read the schedule file \(ENOENT\)/],
      [bad, /choices\[1\]: expected a non-negative integer, got -2/],
    ] as const) {
      const r = cli("run", "--replay", file);
      assert.equal(r.status, 2, r.stdout + r.stderr);
      assert.ok(r.stderr.includes(file), r.stderr);
      assert.match(r.stderr, cause);
      assert.equal(r.stdout, "");
    }
  });

  it("a driver changed since the schedule was recorded: a warning, and the replay still runs", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "changed-"));
    for (const f of ["active.ts", "hw.ts", "protocol.ts"]) fs.copyFileSync(path.join(samples, f), path.join(dir, f));
    const file = scheduleOf(path.join(dir, "active.ts"), [0, 0, 0, 1], dir);
    fs.appendFileSync(path.join(dir, "active.ts"), "\n// edited\n");
    const r = cli("run", "--replay", file);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /warning: the driver changed since this schedule was recorded: .*active\.ts/);
    assert.match(r.stdout, /the run passes now/);
  });
});

describe("explore --strategy dfs", () => {
  it("enumerates every schedule of a small bound and says so; a smaller budget is not exhaustive", () => {
    const bound = path.join(tmp, "tiny.json");
    fs.writeFileSync(
      bound,
      JSON.stringify({ name: "tiny", extends: "protocol-fuzz", workload: { frames: 4, rxRate: 0, requestBudget: 1, faultBudget: 0, maxSteps: 3 } }),
    );
    const r = cli("explore", path.join(samples, "active.ts"), "--scenario", bound, "--strategy", "dfs", "--budget", "1000");
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const count = /^exhaustive: (\d+) schedules, all pass$/m.exec(r.stdout);
    assert.ok(count !== null, r.stdout);
    const n = Number(count[1]);
    assert.ok(n > 3, `${n} schedules`);
    assert.match(r.stdout, new RegExp(`^${n} runs \\(1 scenario: ${bound.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, dfs\\)`, "m"));
    const json = cli("explore", path.join(samples, "active.ts"), "--scenario", bound, "--strategy", "dfs", "--budget", "1000", "--json");
    const report = JSON.parse(json.stdout) as ExploreReport;
    assert.deepEqual([report.runs, report.exhaustive, report.failed], [n, true, 0], "the same count, as JSON");
    const cut = cli("explore", path.join(samples, "active.ts"), "--scenario", bound, "--strategy", "dfs", "--budget", "2");
    assert.equal(cut.status, 0, cut.stdout + cut.stderr);
    assert.match(cut.stdout, /^not exhaustive: the budget ended after 2 schedules$/m);
  });

  it("finds the re-open bug within a bound that lets the OS open twice, shrunk to open, close, open", () => {
    const bound = path.join(tmp, "twice.json");
    fs.writeFileSync(
      bound,
      JSON.stringify({ name: "twice", extends: "protocol-fuzz", workload: { frames: 4, rxRate: 0, requestBudget: 2, faultBudget: 0, maxSteps: 4 } }),
    );
    const out = path.join(tmp, "dfs-out");
    const r = cli("explore", reopen, "--scenario", bound, "--strategy", "dfs", "--budget", "1000", "--json", "--out", out);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout) as ExploreReport;
    assert.equal(report.exhaustive, true);
    assert.ok(report.failed > 0 && report.failed < report.runs, `${report.failed} of ${report.runs}`);
    const first = readScheduleFile(report.failures[0]!.schedule);
    assert.equal(first.strategy, "dfs");
    assert.equal(first.scenario, path.relative(out, bound));
    assert.equal(first.failure?.kind, "driver-error");
    assert.equal(first.shrink?.after.requests, 3, "open, close, open");
    const replayed = cli("run", "--replay", report.failures[0]!.schedule);
    assert.equal(replayed.status, 1, replayed.stdout + replayed.stderr);
  });

  it("bad strategy options exit 2", () => {
    for (const [args, message] of [
      [["--strategy", "bfs"], /--strategy: expected one of random, pct, dfs, got 'bfs'/],
      [["--strategy", "random", "--depth", "3"], /--depth is for --strategy pct/],
      [["--strategy", "pct", "--depth", "0"], /--depth: expected an integer from 1 to 1000/],
      [["--budget", "3", "--runs", "3"], /--runs is a synonym of --budget/],
    ] as const) {
      const r = cli("explore", path.join(samples, "active.ts"), ...args);
      assert.equal(r.status, 2, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
