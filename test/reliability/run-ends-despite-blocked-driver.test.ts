// A driver blocked in a child process it runs synchronously does not keep `run` alive once the result
// is printed: the worker is terminated and let go, and the child processes drivers left are ended at
// exit. (The child would run 120 s; the test's own bound on the command is 60 s.)
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, repoRoot, sampleProtocol, tempDir } from "./helpers";

test("a driver blocked in a child process does not keep run alive after the result", { skip: process.platform === "win32" ? "uses sleep(1)" : false }, () => {
  const dir = tempDir("blocked");
  const quiet = path.join(dir, "quiet.json");
  fs.writeFileSync(quiet, JSON.stringify({ name: "quiet", workload: { frames: 0, rxRate: 0 } }));
  const driver = path.join(dir, "blocked.ts");
  fs.writeFileSync(
    driver,
    `import { execFileSync } from "node:child_process";
import { defineDriver } from "active-driver";
import { Ethernet } from ${JSON.stringify(sampleProtocol.replace(/\.ts$/, ""))};
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open);
  execFileSync("sleep", ["120"]); // blocks the driver's thread in a child process
});
`,
  );
  const r = cli(["run", driver, "--scenario", quiet], repoRoot, 60_000);
  assert.equal(r.signal, null, "run was still alive at the test's bound");
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /result {5}FAILED: driver .*blocked\.ts was stopped: it ran for \d+ ms without waiting/);
});
