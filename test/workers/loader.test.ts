// The driver loader: TypeScript drivers from disk, imports across files, the runtime's own module
// objects, source-mapped locations, and load errors that name file:line:col and the cause.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launch } from "active-driver";
import * as nic from "active-driver/nic";
import { DriverLoadError, loadDriver, resolveDriverFile, transpileFile } from "active-driver/host";

const fixtures = path.join(__dirname, "fixtures");
const samples = path.resolve(__dirname, "..", "..", "samples", "rtl8169");

function lineOf(file: string, marker: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(marker));
  assert.ok(index >= 0, `${marker} not in ${file}`);
  return index + 1;
}

function loadError(file: string): DriverLoadError {
  try {
    loadDriver(file);
  } catch (error) {
    assert.ok(error instanceof DriverLoadError, `expected a DriverLoadError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${file} loaded`);
}

test("loads the active sample with its imports, bound to this process's runtime", () => {
  const loaded = loadDriver(path.join(samples, "active.ts"));
  const driver = loaded.driver as { kind: string; device: unknown; protocol: { name: string } };
  assert.equal(driver.kind, "active");
  assert.equal(driver.device, nic.Rtl8169, "active-driver/nic in the driver is the module the host process loaded");
  assert.equal(driver.protocol.name, "ethernet");
  assert.deepEqual(
    loaded.files.map((f) => path.basename(f)),
    ["active.ts", "hw.ts", "protocol.ts"],
  );
  assert.equal(loaded.entry, path.join(samples, "active.ts"));
});

test("resolves extensionless, NodeNext .js, folder, plain .js and JSON imports, and Node builtins", () => {
  const loaded = loadDriver(path.join(fixtures, "multi", "entry.ts"));
  assert.deepEqual(loaded.exports["facts"], { double: 4, triple: 6, folder: "dir/index.ts", shout: "HI!", limit: 16, base: "b.ts" });
  const names = loaded.files.map((f) => path.relative(path.join(fixtures, "multi"), f)).sort();
  assert.deepEqual(names, ["../../../../samples/rtl8169/protocol.ts", "dir/index.ts", "entry.ts", "lib.ts", "limits.json", "plain.js", "util.ts"].sort());
});

test("each load evaluates the driver afresh", () => {
  const a = loadDriver(path.join(samples, "active.ts"));
  const b = loadDriver(path.join(samples, "active.ts"));
  assert.notEqual(a.driver, b.driver);
});

test("resolveDriverFile probes .ts, .js for .ts, and index.ts", () => {
  const dir = path.join(fixtures, "multi");
  assert.equal(resolveDriverFile("./lib", dir), path.join(dir, "lib.ts"));
  assert.equal(resolveDriverFile("./util.js", dir), path.join(dir, "util.ts"));
  assert.equal(resolveDriverFile("./dir", dir), path.join(dir, "dir", "index.ts"));
  assert.equal(resolveDriverFile("./plain", dir), path.join(dir, "plain.js"));
  assert.equal(resolveDriverFile("./nothing", dir), undefined);
});

test("a syntax error names file:line:col and the compiler's message", () => {
  const file = path.join(fixtures, "syntax.ts");
  const error = loadError(file);
  assert.equal(error.file, file);
  assert.equal(error.line, 6);
  assert.equal(error.column, 35);
  assert.match(error.message, new RegExp(`^${escape(file)}:6:35: syntax error: '\\)' expected\\. \\(TS1005\\)`));
});

test("a missing import names the importing file, the line of the import and the specifier", () => {
  const file = path.join(fixtures, "missing-import.ts");
  const error = loadError(file);
  assert.equal(error.file, file);
  assert.equal(error.line, 4);
  assert.match(error.message, /cannot find module '\.\/no-such-helper'/);
  assert.ok(error.message.startsWith(`${file}:4:`), error.message);
});

test("a module without a default export, or whose default is not a driver, says so", () => {
  const noDefault = loadError(path.join(fixtures, "no-default.ts"));
  assert.match(noDefault.message, /no-default\.ts: the module has no default export; a driver module ends with `export default defineDriver\(\.\.\.\)`/);
  const notDriver = loadError(path.join(fixtures, "not-a-driver.ts"));
  assert.match(notDriver.message, /not-a-driver\.ts: the default export is not a driver \(got an object with keys name, version\)/);
});

test("an error thrown while the driver's module loads points at the .ts line that threw", () => {
  const file = path.join(fixtures, "bad-protocol.ts");
  const error = loadError(file);
  assert.equal(error.file, file);
  assert.equal(error.line, lineOf(file, "const Broken = defineProtocol"));
  assert.match(error.message, /error while loading the driver: TypeError: protocol "broken": state "idle", message "start" goes to unknown state "running"/);
  assert.ok(error.cause instanceof TypeError);
});

test("a missing driver file is a load error naming it", () => {
  const file = path.join(fixtures, "nope.ts");
  const error = loadError(file);
  assert.equal(error.message, `${file}: no such file`);
});

test("trace locations and stack traces point at the driver's .ts lines", async () => {
  const file = path.join(fixtures, "located.ts");
  const loaded = loadDriver(file);
  const inst = launch(loaded.exports as never);
  const os = inst.os as unknown as { open(): Promise<{ status: number }> };
  assert.deepEqual(await os.open(), { status: 0 });
  await inst.idle();
  const reply = inst.trace.find((e) => e.kind === "send" && e.mailbox === "openComplete");
  assert.ok(reply?.loc !== undefined, "the send of openComplete has a location");
  assert.equal(reply.loc.file, file);
  const line = lineOf(file, "// REPLY");
  assert.equal(reply.loc.line, line);
  // V8 places a method call at the method's name: `send` in `d.send(...)`.
  assert.equal(reply.loc.column, fs.readFileSync(file, "utf8").split("\n")[line - 1]!.indexOf("send(") + 1);
  await inst.stop();
});

test("a runtime error in a helper file reports the helper's file and .ts line", async () => {
  const file = path.join(fixtures, "throws.ts");
  const loaded = loadDriver(file);
  const summary = await nic.runScenario(loaded.exports as never, "default", { seed: 1 });
  const helper = path.join(fixtures, "helpers", "check.ts");
  assert.equal(summary.ok, false);
  assert.match(summary.failure ?? "", new RegExp(`${escape(helper)}:${lineOf(helper, "throw new RangeError")}:\\d+: RangeError: runt frame of 3 bytes`));
});

test("transpiled output is cached by path and mtime", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-loader-"));
  try {
    const file = path.join(dir, "x.ts");
    fs.writeFileSync(file, "export const x: number = 1;\n");
    const first = transpileFile(file);
    assert.equal(transpileFile(file), first, "unchanged file: the cached output");
    fs.writeFileSync(file, "export const x: number = 22;\n");
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    const second = transpileFile(file);
    assert.notEqual(second, first);
    assert.match(second.code, /exports\.x = 22/);
    assert.match(second.code, /\/\/# sourceMappingURL=data:application\/json;base64,/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
