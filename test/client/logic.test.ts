// The extension's pure parts: status bar wording, driver-file detection, launch configuration
// checks, webview message checks, and the New Active Driver name rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { driverFileKind, isAnalyserCode, statusText, type Finding } from "../../client/src/analysisState";
import { driverTemplate, pascalCase, validateDriverName } from "../../client/src/commands/templates";
import { isBuiltinScenario, launchProblem, type LaunchArguments } from "../../client/src/debug/launchConfig";
import { asWebviewMessage } from "../../client/views/shared/host/webviewMessage";
import { refusalMessage } from "../../client/src/trustMessage";

test("driver files are found by their define call, as the analyser finds them", () => {
  assert.equal(driverFileKind("export default defineDriver({ protocol: P }, async (d) => {});"), "active");
  assert.equal(driverFileKind("export default definePassiveDriver ({ protocol: P }, (k) => ({}));"), "passive");
  assert.equal(driverFileKind("export const P = defineProtocol({ name: 'p' });"), "protocol");
  assert.equal(driverFileKind("export const x = 1; // not a driver"), undefined);
  assert.equal(driverFileKind("const myDefineDriver = 1; redefineDriver(x);"), undefined);
});

test("the status bar counts errors and warnings of AD codes, and says 'protocol covered' when clean", () => {
  const errors: Finding[] = [
    { code: "AD001", severity: "error" },
    { code: "AD003", severity: "error" },
    { code: "AD002", severity: "warning" },
  ];
  const failing = statusText("active", "running", errors);
  assert.equal(failing.text, "$(pulse) Active driver: 2 errors, 1 warning");
  assert.equal(failing.emphasis, "error");
  assert.match(failing.tooltip, /AD001, AD002, AD003/);
  assert.equal(statusText("active", "running", [{ code: "AD001", severity: "error" }]).text, "$(pulse) Active driver: 1 error");
  assert.equal(statusText("active", "running", [{ code: "AD012", severity: "information" }]).text, "$(check) Active driver: protocol covered");
  assert.equal(statusText("passive", "running", [{ code: "AD010", severity: "warning" }]).text, "$(warning) Passive driver: 1 warning");
  assert.equal(statusText("protocol", "running", []).text, "$(check) Active driver protocol: protocol well-formed");
  assert.match(statusText("active", "disabled", errors).text, /analysis off/);
  assert.match(statusText("active", "starting", []).text, /^\$\(sync~spin\)/);
  assert.match(statusText("active", "failed", []).text, /analysis stopped/);
});

test("the server's status adds state coverage and a time-budget warning", () => {
  const covered = statusText("active", "running", [], { states: { waited: 4, covered: 4, uncovered: [] }, incomplete: false, durationMs: 12.4 });
  assert.equal(covered.text, "$(check) Active driver: protocol covered (4/4 states)");
  assert.match(covered.tooltip, /covered at their waits: 4 of 4/);
  assert.match(covered.tooltip, /Analysed in 12 ms/);
  const partial = statusText("active", "running", [{ code: "AD001", severity: "error" }], {
    states: { waited: 4, covered: 3, uncovered: ["open"] },
    incomplete: true,
  });
  assert.equal(partial.text, "$(pulse) Active driver: 1 error");
  assert.match(partial.tooltip, /3 of 4 \(not: open\)/);
  assert.match(partial.tooltip, /time budget/);
  assert.equal(statusText("active", "disabled", [], { states: { waited: 4, covered: 4, uncovered: [] } }).text, "$(circle-slash) Active driver: analysis off");
});

test("only AD codes count as analyser findings", () => {
  assert.ok(isAnalyserCode("AD001"));
  assert.ok(isAnalyserCode("AD030"));
  assert.ok(!isAnalyserCode(2307));
  assert.ok(!isAnalyserCode("TS2307"));
  assert.ok(!isAnalyserCode("AD1"));
  assert.ok(!isAnalyserCode(undefined));
});

test("launch configurations: one check for the adapter and the editor; the contract's passes once ${file} is substituted; wrong attributes are named", () => {
  const contract: LaunchArguments = {
    type: "active-driver",
    request: "launch",
    name: "d",
    driver: "/w/active.ts",
    scenario: "default",
    seed: 1,
    stopOnEntry: true,
  };
  assert.equal(launchProblem(contract), undefined);
  assert.equal(launchProblem({ ...contract, scenario: "/w/my.scenario.json", trace: "/w/t.jsonl" }), undefined);
  assert.equal(
    launchProblem({ driver: "/w/active.ts" }),
    undefined,
    "absent optional attributes take the contract's defaults (a DAP client need not send them)",
  );
  assert.match(launchProblem({ ...contract, driver: undefined })!, /"driver"/);
  assert.match(launchProblem({ ...contract, driver: "${file}" })!, /could not be resolved/);
  assert.match(launchProblem({ ...contract, scenario: "" })!, /"scenario" must be one of default, tx-timeout/);
  assert.match(launchProblem({ ...contract, seed: 1.5 })!, /"seed"/);
  assert.match(launchProblem({ ...contract, seed: -1 })!, /"seed"/);
  assert.match(launchProblem({ ...contract, stopOnEntry: "yes" as unknown as boolean })!, /"stopOnEntry"/);
  assert.match(launchProblem({ ...contract, trace: 3 as unknown as string })!, /"trace"/);
  assert.ok(isBuiltinScenario("suspend-unplug"));
  assert.ok(!isBuiltinScenario("scenarios/mine.json"));
});

test("launch configurations: a replay takes its driver, scenario and seed from the schedule unless given", () => {
  const replay: LaunchArguments = {
    type: "active-driver",
    request: "launch",
    name: "r",
    replay: "/w/active.protocol-fuzz.1.schedule.json",
    stopOnEntry: false,
  };
  assert.equal(launchProblem(replay), undefined);
  assert.equal(launchProblem({ ...replay, driver: "/w/active.ts", scenario: "protocol-fuzz", seed: 3 }), undefined);
  assert.match(launchProblem({ ...replay, replay: "/w/active.ts" })!, /"replay" must be the path of a \.schedule\.json file/);
  assert.match(launchProblem({ ...replay, replay: "${workspaceFolder}/x.schedule.json" })!, /"replay" has a variable that could not be resolved/);
  assert.match(launchProblem({ ...replay, seed: -2 })!, /"seed"/);
  assert.match(launchProblem({ ...replay, driver: "" })!, /"driver"/);
});

test("webview messages are shape-checked before the extension acts on them", () => {
  assert.deepEqual(asWebviewMessage({ type: "ready", view: "traffic" }), { type: "ready", view: "traffic" });
  assert.ok(asWebviewMessage({ type: "export", format: "chrome" }));
  assert.ok(asWebviewMessage({ type: "reveal", seq: 3, loc: { file: "/w/a.ts", line: 4, column: 5 } }));
  for (const bad of [
    null,
    "ready",
    { type: "ready", view: "other" },
    { type: "export", format: "exe" },
    { type: "reveal", seq: 3, loc: { file: 7, line: 4, column: 5 } },
    { type: "reveal", loc: { file: "/a", line: 1, column: 1 } },
    { type: "run", command: "rm -rf" },
  ]) {
    assert.equal(asWebviewMessage(bad), undefined, JSON.stringify(bad));
  }
});

test("Restricted Mode refusals say what was refused and why", () => {
  const text = refusalMessage("run a driver");
  assert.match(text, /cannot run a driver in Restricted Mode/);
  assert.match(text, /executes code from this workspace/);
  assert.match(text, /trust/i);
});

test("New Active Driver: names become file names and a PascalCase protocol", () => {
  assert.equal(validateDriverName("my-nic"), undefined);
  assert.equal(validateDriverName("e1000"), undefined);
  for (const bad of ["", "My-Nic", "1nic", "my_nic", "my nic", "../evil", "nic-"]) assert.ok(validateDriverName(bad) !== undefined, bad);
  assert.equal(pascalCase("my-nic-2"), "MyNic2");
  const files = driverTemplate("my-nic");
  assert.equal(files.protocolFile, "my-nic.protocol.ts");
  assert.equal(files.driverFile, "my-nic.ts");
  assert.match(files.protocolText, /export const MyNicProtocol = defineProtocol\(/);
  assert.match(files.driverText, /import \{ MyNicProtocol \} from "\.\/my-nic\.protocol";/);
  assert.equal(driverFileKind(files.driverText), "active");
  assert.equal(driverFileKind(files.protocolText), "protocol");
});
