// `run` prints a capped list of protocol violations with a count of the rest, not 40,000 lines for
// 20,000 violations; --json still lists every one.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, tempDir, writeDriver } from "./helpers";

test("20,000 protocol violations print a capped list with a count", { timeout: 240_000 }, () => {
  const dir = tempDir("violations");
  const quiet = path.join(dir, "quiet.json");
  fs.writeFileSync(quiet, JSON.stringify({ name: "quiet", workload: { frames: 0, rxRate: 0 } }));
  const driver = writeDriver(
    dir,
    "noisy.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.close, d.mb.txTimeout, d.mb.unplug);
    if (r.name === "open") {
      d.send(d.mb.openComplete, { status: 0 });
      for (let i = 0; i < 20000; i++) d.send(d.mb.closeComplete, { status: 0 }); // not allowed in "open"
    } else if (r.name === "close") d.send(d.mb.closeComplete, { status: 0 });
    else if (r.name === "unplug") return;
  }
});
`,
  );
  const text = cli(["run", driver, "--scenario", quiet]);
  assert.equal(text.status, 1, text.stderr);
  const lines = text.stdout.split("\n");
  assert.ok(lines.length < 100, `${lines.length} lines`);
  assert.equal(lines.filter((l) => l.startsWith("violation  ")).length, 20);
  assert.ok(
    lines.some((l) => /… 19980 more not shown \(20000 in all; --json lists every one\)/.test(l)),
    text.stdout,
  );
  const json = cli(["run", driver, "--scenario", quiet, "--json"]);
  assert.equal((JSON.parse(json.stdout) as { summary: { violations: unknown[] } }).summary.violations.length, 20000);
});
