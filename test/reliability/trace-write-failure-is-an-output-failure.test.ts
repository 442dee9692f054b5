// A trace file that stops taking writes mid-run (a full disk: ENOSPC; here a pipe whose reader goes
// away: EPIPE, the same path) fails the run as an output failure naming the file, which `run`
// reports with exit 2, never as the driver failing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { runDriverBatch } from "active-driver/host";
import { repoRoot, tempDir } from "./helpers";

test(
  "a trace write that fails mid-run is an output failure, not the driver's",
  { skip: process.platform === "win32" ? "needs a FIFO" : false, timeout: 120_000 },
  async () => {
    const dir = tempDir("trace-write");
    const fifo = path.join(dir, "trace.jsonl");
    execFileSync("mkfifo", [fifo]);
    // The reader takes the first chunk and goes away: every later write fails.
    const reader = fs.createReadStream(fifo);
    reader.once("data", () => reader.destroy());
    reader.on("error", () => undefined);
    const driver = path.join(repoRoot, "samples", "rtl8169", "active.ts");
    const [result] = await runDriverBatch(driver, [{ scenario: "default", seed: 1, tracePath: fifo }]);
    assert.equal(result?.ok, false);
    assert.equal(result?.error?.kind, "output", JSON.stringify(result?.error ?? result?.summary?.failure));
    assert.match(result?.error?.message ?? "", new RegExp(`cannot write the trace file ${fifo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: EPIPE`));
  },
);
