// The worker runner: a clean run, a driver that spins without waiting (the watchdog stops it and
// names the line), a driver that throws, one that runs out of memory, load errors, batches that
// survive a lost worker, and finding the worker entry bundled and from source.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findWorkerEntry, resolveWorkerEntry, runDriverBatch, runDriverInWorker } from "active-driver/host";

const fixtures = path.join(__dirname, "fixtures");
const active = path.resolve(__dirname, "..", "..", "samples", "rtl8169", "active.ts");

function lineOf(file: string, marker: string): number {
  return (
    fs
      .readFileSync(file, "utf8")
      .split("\n")
      .findIndex((l) => l.includes(marker)) + 1
  );
}

test("runs the active sample in a worker and returns its summary", async () => {
  const result = await runDriverInWorker({ driverPath: active, scenario: "default", seed: 1 });
  assert.equal(result.error, undefined);
  assert.equal(result.ok, true);
  assert.equal(result.summary?.model, "active");
  assert.equal(result.summary?.frames.tx.delivered, result.summary?.frames.tx.offered);
  assert.deepEqual(
    result.files.map((f) => path.basename(f)),
    ["active.ts", "hw.ts", "protocol.ts"],
  );
  assert.ok(result.events > 0);
});

test("a driver that loops without waiting is stopped, and the error names its file and line", async () => {
  const file = path.join(fixtures, "spin.ts");
  // locateMs: a loaded test machine may take a while to pause the worker; the line must be found.
  const result = await runDriverInWorker({ driverPath: file, scenario: "default", seed: 1, locateMs: 10000 });
  assert.equal(result.ok, false);
  assert.equal(result.summary, undefined);
  assert.equal(result.error?.kind, "timeout");
  assert.match(result.error?.message ?? "", /without waiting/);
  assert.ok(result.error?.message.includes(file), result.error?.message);
  assert.deepEqual(result.error?.loc, { file, line: lineOf(file, "for (;;) n++"), column: 3 });
});

test("a driver that throws is reported with the .ts file and line of the throw", async () => {
  const helper = path.join(fixtures, "helpers", "check.ts");
  const result = await runDriverInWorker({ driverPath: path.join(fixtures, "throws.ts"), scenario: "default", seed: 1 });
  assert.equal(result.ok, false);
  assert.equal(result.summary?.failureLoc?.file, helper);
  assert.equal(result.summary?.failureLoc?.line, lineOf(helper, "throw new RangeError"));
  assert.match(result.summary?.failure ?? "", /RangeError: runt frame of 3 bytes/);
});

test("a driver that grows without bound is stopped at the heap limit", async () => {
  const file = path.join(fixtures, "hog.ts");
  const result = await runDriverInWorker({ driverPath: file, scenario: "default", seed: 1, maxOldGenerationSizeMb: 48 });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "out-of-memory");
  // V8's own heap limit, or the sampled heap + external memory passing the same limit first.
  assert.match(result.error?.message ?? "", /ran out of memory: the worker's (heap limit of 48 MB was reached|memory limit of 48 MB was passed)/);
  assert.ok(result.error?.message.includes(file));
});

test("a driver that does not load reports the load error with file:line:col", async () => {
  const file = path.join(fixtures, "syntax.ts");
  const result = await runDriverInWorker({ driverPath: file, scenario: "default", seed: 1 });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "load");
  assert.ok(result.error?.message.startsWith(`${file}:6:35: syntax error`), result.error?.message);
  assert.deepEqual(result.error?.loc, { file, line: 6, column: 35 });
});

test("an unknown scenario is an error of the run, not of the worker", async () => {
  const result = await runDriverInWorker({ driverPath: active, scenario: "no-such-scenario", seed: 1 });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "scenario");
  assert.match(result.error?.message ?? "", /unknown scenario "no-such-scenario"/);
});

test("a batch goes on in a fresh worker after one run is stopped", async () => {
  const file = path.join(fixtures, "spin-on-timeout.ts");
  const seen: number[] = [];
  const results = await runDriverBatch(
    file,
    [
      { scenario: "default", seed: 1 },
      { scenario: "tx-timeout", seed: 1 },
      { scenario: "default", seed: 2 },
    ],
    { locateMs: 10000 },
    { onResult: (index) => seen.push(index) },
  );
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(
    results.map((r) => r.ok),
    [true, false, true],
  );
  assert.equal(results[1]!.error?.kind, "timeout");
  assert.equal(results[1]!.error?.loc?.line, lineOf(file, "while (spins >= 0)"));
  assert.equal(results[2]!.summary?.seed, 2);
});

test("the worker entry: dist/worker.js beside a bundle, the TypeScript source through tsx otherwise", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-entry-"));
  try {
    fs.mkdirSync(path.join(dir, "dist"));
    fs.mkdirSync(path.join(dir, "runtime", "dist"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dist", "worker.js"), "");
    // dist/cli.js (and the other bundles in dist/) find it beside them...
    assert.deepEqual(resolveWorkerEntry(path.join(dir, "dist", "cli.js")), { file: path.join(dir, "dist", "worker.js"), execArgv: [] });
    // ...and the runtime package's own bundle finds the repository's dist/.
    assert.deepEqual(resolveWorkerEntry(path.join(dir, "runtime", "dist", "host.js")), { file: path.join(dir, "dist", "worker.js"), execArgv: [] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const source = resolveWorkerEntry();
  assert.equal(source.file, path.resolve(__dirname, "..", "..", "runtime", "src", "workers", "worker.ts"));
  assert.equal(source.execArgv[0], "--conditions=source");
  assert.equal(source.execArgv[1], "--require");
  assert.match(source.execArgv[2] ?? "", /tsx[/\\]dist[/\\]cjs[/\\]index\.cjs$/);
});

test("a worker entry that is nowhere: the error names the worker and every place looked at", () => {
  const missing = [path.join(os.tmpdir(), "ad-no-such-dir", "debugWorker.js"), path.join(os.tmpdir(), "ad-no-such-dir", "debugWorker.ts")];
  assert.throws(
    () => findWorkerEntry("the debug worker", missing),
    (error: Error) => {
      assert.match(error.message, /^cannot find the debug worker/);
      for (const file of missing) assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /node esbuild\.js/);
      return true;
    },
  );
});
