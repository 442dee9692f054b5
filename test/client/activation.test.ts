// Activation outside VS Code (a stand-in `vscode` module, see vscodeStub.ts): commands registered
// as contributed, a missing server shown to the user with the way to the output, Workspace Trust
// refusing run and debug even when called directly, launch configurations filled and checked,
// and deactivate disposing everything.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// First: the stand-in must be in place before the extension's modules load.
import { record, trust } from "./vscodeStubInstalled";
import * as vscode from "vscode";
import * as extension from "../../client/src/extension";

const repo = path.resolve(__dirname, "..", "..");
let tmp = "";
let api: extension.ActiveDriversApi;

const contributed = (
  JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { contributes: { commands: { command: string }[] } }
).contributes.commands.map((c) => c.command);

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ad-activation-"));
  const extensionUri = { scheme: "file", fsPath: tmp, toString: () => `file://${tmp}` };
  const context = {
    extensionUri,
    extensionPath: tmp,
    asAbsolutePath: (p: string) => path.join(tmp, p),
    subscriptions: [],
    globalStorageUri: { fsPath: path.join(tmp, "storage") },
  };
  api = extension.activate(context as unknown as Parameters<typeof extension.activate>[0]);
  await settle();
});

after(() => {
  if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true });
});

test("activation registers exactly the contributed commands", () => {
  assert.deepEqual([...record.commands.keys()].sort(), [...contributed].sort());
});

test("a server that cannot start is shown to the user, naming the missing file", () => {
  const shown = record.errors.find((m) => m.includes("analysis server"));
  assert.ok(shown, `errors shown: ${JSON.stringify(record.errors)}`);
  assert.match(shown, /dist\/server\.js is missing/);
});

test("Restricted Mode: the run command refuses when called directly, saying why", async () => {
  trust.trusted = false;
  record.errors.length = 0;
  await record.commands.get("activeDriver.run")!();
  assert.equal(record.errors.length, 1, JSON.stringify(record.errors));
  assert.match(record.errors[0]!, /cannot run a driver in Restricted Mode.*executes code from this workspace/);
});

test("Restricted Mode: debug configurations and the adapter factory refuse", async () => {
  trust.trusted = false;
  record.errors.length = 0;
  const initial = record.debugProviders.find((p) => p.type === "active-driver" && p.provider.resolveDebugConfiguration !== undefined)!.provider;
  const config = { type: "active-driver", request: "launch", name: "d", driver: "${file}", scenario: "default", seed: 1, stopOnEntry: true };
  assert.equal(await initial.resolveDebugConfiguration!(undefined, { ...config }), undefined);
  assert.equal(await initial.resolveDebugConfigurationWithSubstitutedVariables!(undefined, { ...config, driver: __filename }), undefined);
  assert.equal(record.errors.length, 2);
  for (const e of record.errors) assert.match(e, /cannot debug a driver in Restricted Mode/);
  const factory = record.adapterFactories.find((f) => f.type === "active-driver")!.factory;
  assert.throws(() => factory.createDebugAdapterDescriptor!({}), /Restricted Mode/);
});

test("trusted: F5 with no launch.json and no driver open asks for a driver file", async () => {
  trust.trusted = true;
  record.errors.length = 0;
  const initial = record.debugProviders.find((p) => p.provider.resolveDebugConfiguration !== undefined)!.provider;
  assert.equal(await initial.resolveDebugConfiguration!(undefined, {}), undefined);
  assert.match(record.errors[0] ?? "", /open a driver file/);
});

test("trusted: a launch configuration is completed with the defaults, then checked", async () => {
  trust.trusted = true;
  record.errors.length = 0;
  const initial = record.debugProviders.find((p) => p.provider.resolveDebugConfiguration !== undefined)!.provider;
  const filled = (await initial.resolveDebugConfiguration!(undefined, { type: "active-driver", request: "launch", name: "d" })) as Record<string, unknown>;
  assert.deepEqual(filled, { type: "active-driver", request: "launch", name: "d", driver: "${file}", scenario: "default", seed: 1, stopOnEntry: true });
  const missing = await initial.resolveDebugConfigurationWithSubstitutedVariables!(undefined, { ...filled, driver: path.join(tmp, "nope.ts") });
  assert.equal(missing, undefined);
  assert.match(record.errors.at(-1) ?? "", /nope\.ts does not exist/);
  const ok = (await initial.resolveDebugConfigurationWithSubstitutedVariables!(undefined, { ...filled, driver: __filename })) as Record<string, unknown>;
  assert.equal(ok.driver, __filename);
  const bad = await initial.resolveDebugConfigurationWithSubstitutedVariables!(undefined, { ...filled, driver: __filename, seed: "one" });
  assert.equal(bad, undefined);
  assert.match(record.errors.at(-1) ?? "", /"seed" must be a whole number/);
});

test("trusted: the dynamic configurations are empty with no driver open", async () => {
  const dynamic = record.debugProviders.filter((p) => p.type === "active-driver" && p.provider.resolveDebugConfiguration === undefined);
  assert.equal(dynamic.length, 1);
  assert.deepEqual(await dynamic[0]!.provider.provideDebugConfigurations!(undefined), []);
});

test("Test Explorer: each driver file is a test item with its scenarios; Restricted Mode refuses to explore, saying why", async () => {
  const samples = path.join(repo, "samples", "rtl8169");
  record.workspaceFiles.push(path.join(samples, "active.ts"), path.join(samples, "passive.ts"), path.join(samples, "protocol.ts"));
  const controller = record.testControllers.find((c) => c.id === "activeDriver.explore")!;
  assert.ok(controller, "a test controller");
  assert.deepEqual(
    controller.profiles.map((p) => [p.label, p.kind]),
    [
      ["Explore", 1],
      ["Debug failing schedule", 2],
    ],
  );
  await controller.resolveHandler!(undefined);
  const drivers: string[] = [];
  controller.items.forEach((i) => drivers.push(i.label));
  assert.deepEqual(drivers, ["active.ts", "passive.ts"], "the protocol file is no driver");
  const active = controller.items.get(`file://${path.join(samples, "active.ts")}`)!;
  const scenarios: string[] = [];
  active.children.forEach((c) => scenarios.push(c.label));
  assert.deepEqual(scenarios, ["protocol-fuzz", "default", "tx-timeout", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug"]);

  trust.trusted = false;
  record.errors.length = 0;
  await controller.profiles[0]!.run({ include: [active], exclude: [] }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) });
  const run = controller.runs.at(-1)!;
  assert.equal(run.ended, true);
  assert.equal(run.states.size, 8, "every scenario of the driver");
  for (const { state, messages } of run.states.values()) {
    assert.equal(state, "errored");
    assert.match((messages[0] as { message: string }).message, /cannot explore a driver in Restricted Mode.*executes code from this workspace/);
  }
  assert.equal(record.errors.length, 1, "and says so once");
});

test("Test Explorer: Explore runs the CLI in a child process; a failure is a failed test at the driver line it points to", async () => {
  // The CLI as the extension finds it (dist/cli.js), played by a stand-in that answers per FAKE_EXPLORE.
  fs.mkdirSync(path.join(tmp, "dist"), { recursive: true });
  fs.copyFileSync(path.join(__dirname, "fixtures", "fake-explore-cli.js"), path.join(tmp, "dist", "cli.js"));
  trust.trusted = true;
  const driver = vscode.Uri.file(path.join(repo, "samples", "rtl8169", "active.ts"));
  const controller = record.testControllers.find((c) => c.id === "activeDriver.explore")!;
  const explore = async (mode: string) => {
    process.env.FAKE_EXPLORE = mode;
    try {
      return await api.exploreScenario(driver, "protocol-fuzz");
    } finally {
      delete process.env.FAKE_EXPLORE;
    }
  };

  const failed = await explore("fail");
  assert.equal(failed?.state, "failed");
  assert.equal(failed?.location?.file, path.join(repo, "samples", "rtl8169", "active.ts"), "the report's location, relative to where the CLI ran");
  assert.equal(failed?.location?.line, 40);
  const run = controller.runs.at(-1)!;
  const state = run.states.get(`${driver.toString()}#protocol-fuzz`)!;
  assert.equal(state.state, "failed");
  const message = state.messages[0] as { message: string; location: { uri: { fsPath: string }; range: { line: number; character: number } } };
  assert.match(message.message, /^lost-frames: lost frames\nSchedule: .*active\.protocol-fuzz\.1\.schedule\.json/);
  assert.deepEqual(
    [message.location.uri.fsPath, message.location.range.line, message.location.range.character],
    [failed!.location!.file, 39, 6],
    "0-based in the editor",
  );
  const args = run.output.join("");
  assert.match(args, /Exploring active\.ts on protocol-fuzz \(pct, budget 200\)/, "the default strategy and budget");
  assert.match(args, /progress: 20 runs/, "the CLI's progress lines go to the run's output");
  assert.equal(run.ended, true);

  assert.deepEqual(await explore("pass"), { state: "passed" });
  const usage = await explore("usage");
  assert.equal(usage?.state, "errored");
  assert.match(usage!.message!, /exited with code 2: active-driver explore: unknown strategy 'x'/);
});

test("deactivate disposes the commands and the rest", async () => {
  const before = record.disposed;
  await extension.deactivate();
  assert.equal(record.commands.size, 0, "commands unregistered");
  assert.ok(record.disposed > before, "other disposables disposed");
});
