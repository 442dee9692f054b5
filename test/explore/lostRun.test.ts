// A run the watchdog stops reports no schedule of its own: the decisions its worker made until then
// are kept where the parent reads them (runtime/src/workers/choiceLog.ts), so the failure's schedule
// file replays the hang. Without them the replay takes the default choices and passes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readScheduleFile, writeScheduleFile } from "../../runtime/src/explore/schedule";

const root = path.resolve(__dirname, "..", "..");
const driver = path.join("test", "explore", "lost", "active-spins-on-suspend.ts");

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, "dist", "cli.js"), ...args], { cwd: root, encoding: "utf8", timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("a run stopped by the watchdog while exploring gets a schedule file that replays the hang", { timeout: 300_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "ad-lost-run-"));
  try {
    const r = cli("explore", driver, "--scenario", "protocol-fuzz", "--strategy", "random", "--budget", "20", "--out", out, "--json");
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { failures: Array<{ kind: string; schedule: string }> };
    const hang = report.failures.find((f) => f.kind === "timeout");
    assert.ok(hang !== undefined, `a timeout among ${report.failures.map((f) => f.kind).join(", ")}`);
    const schedule = readScheduleFile(hang.schedule);
    assert.ok(schedule.choices.length > 0, "the decisions made before the watchdog stopped the run");
    assert.ok(
      schedule.choices.some((c) => c > 0x7fffffff),
      "shares of a window (up to 2^32 - 1) are kept exactly",
    );
    const replayed = cli("run", "--replay", hang.schedule);
    assert.equal(replayed.status, 1, replayed.stderr);
    assert.match(replayed.stdout, /the failure recurs \(timeout\)/);
    // The same schedule without its choices passes: the hang depends on them.
    const bare = path.join(out, "bare.schedule.json");
    writeScheduleFile(bare, { ...schedule, choices: [] });
    assert.match(cli("run", "--replay", bare).stdout, /the run passes now \(recorded: timeout\)/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
