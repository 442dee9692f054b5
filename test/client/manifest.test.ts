// The extension manifest (package.json) against the code and the contracts of docs/contracts.md: commands,
// settings, the debugger, Workspace Trust, the TS plugin, engines, and what the VSIX may hold.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { SCENARIO_NAMES } from "active-driver/nic";
import { builtinScenarios } from "../../client/src/scenarios";

const repo = path.resolve(__dirname, "..", "..");
const read = (file: string): string => fs.readFileSync(path.join(repo, file), "utf8");

interface Command {
  command: string;
  title?: string;
  category?: string;
}
interface Setting {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  enum?: unknown[];
}
interface Attribute {
  type?: string;
  description?: string;
  enum?: string[];
  anyOf?: { enum?: string[]; type?: string }[];
}
interface Debugger {
  type: string;
  label?: string;
  languages?: string[];
  configurationAttributes?: { launch?: { required?: string[]; anyOf?: { required: string[] }[]; properties: Record<string, Attribute> } };
  initialConfigurations?: Record<string, unknown>[];
  configurationSnippets?: { label: string; description?: string; body: Record<string, unknown> }[];
}
interface Manifest {
  main: string;
  icon?: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | "limited"; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: Command[];
    menus?: Record<string, { command: string; when?: string }[]>;
    configuration: { title: string; properties: Record<string, Setting> };
    debuggers: Debugger[];
    breakpoints: { language: string }[];
    typescriptServerPlugins: { name: string; enableForWorkspaceTypeScriptVersions?: boolean }[];
  };
}

const manifest = JSON.parse(read("package.json")) as Manifest;
const contributes = manifest.contributes;

/** Command ids the extension registers: the keys of commandFactories in client/src/commands/index.ts. */
function registeredCommands(): string[] {
  const source = read("client/src/commands/index.ts");
  const table = /commandFactories = \{([\s\S]*?)\} as const/.exec(source);
  assert.ok(table, "client/src/commands/index.ts declares commandFactories = { ... } as const");
  return [...table[1]!.matchAll(/^\s*"(activeDriver\.[A-Za-z]+)":/gm)].map((m) => m[1]!);
}

function listTypeScriptFiles(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) listTypeScriptFiles(p, out);
    else if (entry.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

test("every command registered in code is contributed, and every contributed command is registered", () => {
  const registered = registeredCommands();
  assert.ok(registered.length >= 4, `found ${registered.join(", ")}`);
  const contributed = contributes.commands.map((c) => c.command);
  assert.deepEqual([...registered].sort(), [...contributed].sort());
  for (const required of ["activeDriver.run", "activeDriver.showTraffic", "activeDriver.showStateMachine", "activeDriver.newDriver"]) {
    assert.ok(contributed.includes(required), `${required} is contributed`);
  }
});

test("commands executed by id in the extension are contributed or built in", () => {
  const contributed = new Set(contributes.commands.map((c) => c.command));
  const files = listTypeScriptFiles(path.join(repo, "client", "src"));
  for (const file of files) {
    for (const m of fs.readFileSync(file, "utf8").matchAll(/executeCommand\(\s*"(activeDriver\.[^"]+)"/g)) {
      assert.ok(contributed.has(m[1]!), `${path.relative(repo, file)} executes ${m[1]}, which package.json does not contribute`);
    }
  }
});

test("each command has a title and the Active Driver category", () => {
  for (const c of contributes.commands) {
    assert.ok(typeof c.title === "string" && c.title.length > 3, `${c.command} has a title`);
    assert.equal(c.category, "Active Driver", `${c.command} category`);
  }
  const titles = Object.fromEntries(contributes.commands.map((c) => [c.command, c.title]));
  assert.equal(titles["activeDriver.run"], "Run Driver on Simulated NIC");
  assert.equal(titles["activeDriver.showTraffic"], "Show Mailbox Traffic");
  assert.equal(titles["activeDriver.showStateMachine"], "Show Protocol State Machine");
  assert.equal(titles["activeDriver.newDriver"], "New Active Driver");
});

test("menus only name contributed commands", () => {
  const contributed = new Set(contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(contributes.menus ?? {})) {
    for (const item of items) assert.ok(contributed.has(item.command), `menu ${menu} names ${item.command}`);
  }
});

test("every setting has a description, a type and a default; settings read in code are contributed", () => {
  const properties = contributes.configuration.properties;
  for (const [key, setting] of Object.entries(properties)) {
    const text = setting.description ?? setting.markdownDescription ?? "";
    assert.ok(text.length >= 30, `${key} has a clear description (got ${JSON.stringify(text)})`);
    assert.ok(setting.type !== undefined, `${key} has a type`);
    assert.ok("default" in setting, `${key} has a default`);
    assert.ok(key.startsWith("activeDriver."), `${key} is in the activeDriver section`);
  }
  const config = read("client/src/config.ts");
  const readInCode = [...config.matchAll(/\.get\(\s*"([a-zA-Z.]+)"/g)].map((m) => `activeDriver.${m[1]}`);
  assert.ok(readInCode.length >= 5, `config.ts reads settings (found ${readInCode.join(", ")})`);
  for (const key of readInCode) assert.ok(key in properties, `${key} is read in client/src/config.ts but not contributed`);
  for (const key of [
    "activeDriver.trace.server",
    "activeDriver.analysis.enable",
    "activeDriver.analysis.timeBudgetMs",
    "activeDriver.run.defaultScenario",
    "activeDriver.run.seed",
    "activeDriver.debug.runInline",
  ]) {
    assert.ok(key in properties, `${key} is contributed`);
  }
  assert.deepEqual(properties["activeDriver.trace.server"]!.enum, ["off", "messages", "verbose"]);
});

test("the debugger follows the DAP contract of docs/contracts.md", () => {
  const debuggers = contributes.debuggers.filter((d) => d.type === "active-driver");
  assert.equal(debuggers.length, 1, "one debugger of type active-driver");
  const d = debuggers[0]!;
  assert.equal(d.label, "Active Driver");
  assert.deepEqual(d.languages, ["typescript"]);
  const launch = d.configurationAttributes?.launch;
  assert.ok(launch, "launch attributes");
  // A driver to run, or a schedule file to replay (which names its driver).
  assert.deepEqual(launch.anyOf, [{ required: ["driver"] }, { required: ["replay"] }]);
  const types: Record<string, string> = { driver: "string", scenario: "string", seed: "integer", stopOnEntry: "boolean", trace: "string", replay: "string" };
  for (const [name, type] of Object.entries(types)) {
    const attribute = launch.properties[name];
    assert.ok(attribute, `launch attribute ${name}`);
    assert.ok(attribute.type === type || (type === "integer" && attribute.type === "number"), `${name} is a ${type}`);
    assert.ok((attribute.description ?? "").length > 10, `${name} has a description`);
  }
  const scenarioNames = launch.properties.scenario!.anyOf?.flatMap((a) => a.enum ?? []) ?? launch.properties.scenario!.enum ?? [];
  assert.deepEqual(scenarioNames, [...builtinScenarios], "scenario names are the NIC's built-in ones");
  assert.deepEqual([...builtinScenarios], [...SCENARIO_NAMES], "the extension's list is the NIC's");
  assert.ok(
    launch.properties.scenario!.anyOf?.some((a) => a.type === "string" && a.enum === undefined),
    "scenario also takes a custom scenario file path",
  );
  // The contract's launch configuration, exactly.
  const contract = { type: "active-driver", request: "launch", driver: "${file}", scenario: "default", seed: 1, stopOnEntry: true };
  assert.ok(d.initialConfigurations?.length, "initial configurations");
  const { name, ...initial } = d.initialConfigurations![0]!;
  assert.ok(typeof name === "string" && name.length > 0);
  assert.deepEqual(initial, contract);
  assert.ok((d.configurationSnippets ?? []).length >= 1, "configuration snippets");
  for (const s of d.configurationSnippets!) {
    assert.equal(s.body.type, "active-driver");
    assert.equal(s.body.request, "launch");
    assert.ok(typeof s.body.driver === "string" && typeof s.body.name === "string", `snippet ${s.label} has driver and name`);
  }
  assert.ok(
    contributes.breakpoints.some((b) => b.language === "typescript"),
    "breakpoints in TypeScript files",
  );
});

test("activation: TypeScript files and the debugger", () => {
  for (const event of ["onLanguage:typescript", "onDebugResolve:active-driver", "onDebugDynamicConfigurations:active-driver"]) {
    assert.ok(manifest.activationEvents.includes(event), `activation event ${event}`);
  }
  assert.ok(!manifest.activationEvents.includes("*"), "no eager activation");
  assert.equal(manifest.main, "./dist/extension.js");
  assert.match(read("esbuild.js"), /\["client\/src\/extension\.ts", "dist\/extension\.js"\]/);
});

test("Workspace Trust: limited support, with a description and restricted settings that exist", () => {
  const trust = manifest.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, "limited");
  assert.ok((trust.description ?? "").length > 30, "says what Restricted Mode disables");
  for (const key of trust.restrictedConfigurations ?? []) assert.ok(key in contributes.configuration.properties, `${key} is a contributed setting`);
  // Refused in code as well as in the UI: the command and the debug resolvers check trust.
  assert.match(read("client/src/commands/run.ts"), /requireTrust\(/);
  const debugging = read("client/src/editorDebug/registration.ts");
  assert.equal((debugging.match(/requireTrust\(/g) ?? []).length >= 2, true, "both debug configuration resolvers check trust");
  assert.match(debugging, /isTrusted/, "the adapter factory checks trust too");
});

test("the TypeScript server plugin is contributed and built", () => {
  const plugin = contributes.typescriptServerPlugins.find((p) => p.name === "active-driver-ts-plugin");
  assert.ok(plugin, "typescriptServerPlugins names active-driver-ts-plugin");
  assert.equal(plugin.enableForWorkspaceTypeScriptVersions, true);
  assert.match(read("esbuild.js"), /\["client\/src\/tsPlugin\/index\.ts", "dist\/tsPlugin\.js"\]/);
  assert.match(read("scripts/prepackage.mjs"), /"\.\.\/\.\.\/dist\/tsPlugin\.js"/);
});

test("engines.vscode is at most 1.139 and not below @types/vscode", () => {
  const m = /^\^?(\d+)\.(\d+)\.(\d+)$/.exec(manifest.engines.vscode);
  assert.ok(m, `engines.vscode ${manifest.engines.vscode} is ^major.minor.patch`);
  const minor = Number(m[2]);
  assert.equal(Number(m[1]), 1);
  assert.ok(minor <= 139, `engines.vscode ${manifest.engines.vscode} is at most 1.139`);
  const types = /(\d+)\.(\d+)/.exec(manifest.devDependencies["@types/vscode"] ?? "");
  assert.ok(types, "@types/vscode is pinned");
  assert.ok(Number(types[2]) <= minor, "vsce refuses @types/vscode newer than engines.vscode");
});

test("the VSIX file list is a whitelist: no sources, maps or node_modules", async () => {
  const ignore = read(".vscodeignore")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  assert.equal(ignore[0], "**", ".vscodeignore starts by ignoring everything");
  // vsce's own file selection (what `vsce package --no-dependencies` packs), on this checkout.
  const vsce = (await import("@vscode/vsce")) as {
    PackageManager: { None: number };
    listFiles(options: { cwd: string; packageManager: number }): Promise<string[]>;
  };
  const files = await vsce.listFiles({ cwd: repo, packageManager: vsce.PackageManager.None });
  assert.ok(files.includes("package.json") && files.includes("LICENSE"), files.join(", "));
  const offending = files.filter(
    (f) =>
      f.endsWith(".map") ||
      (f.endsWith(".ts") && !f.endsWith(".d.ts")) ||
      f.startsWith("node_modules/") ||
      /^(runtime|server|cli|test|samples|scripts)\//.test(f),
  );
  assert.deepEqual(offending, []);
  for (const f of files)
    assert.ok(
      /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|media\/|dist\/|client\/views\/media\/|docs\/images\/)/.test(f),
      `${f} is whitelisted on purpose`,
    );
  assert.ok(files.includes("CHANGELOG.md"), "the changelog the Marketplace shows is packed");
  if (manifest.icon !== undefined) assert.ok(files.includes(manifest.icon), `the icon ${manifest.icon} is packed`);
});

test("LICENSE is MIT", () => {
  assert.match(read("LICENSE"), /^MIT License/);
});

test("the problem matcher reads what `active-driver check` prints, severity and code included", () => {
  const manifest = JSON.parse(read("package.json")) as {
    contributes: {
      problemMatchers: {
        name: string;
        owner: string;
        pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number };
      }[];
    };
  };
  const matcher = manifest.contributes.problemMatchers.find((m) => m.name === "active-driver");
  assert.ok(matcher !== undefined);
  const pattern = new RegExp(matcher.pattern.regexp);
  const cli = path.join(repo, "dist", "cli.js");
  const out = spawnSync(process.execPath, [cli, "check", path.join(repo, "samples", "broken")], { encoding: "utf8" }).stdout;
  const findings = out.split("\n").filter((line) => /: ?\d+:\d+ /.test(line));
  assert.ok(findings.length >= 9, out);
  for (const line of findings) {
    const m = pattern.exec(line);
    assert.ok(m !== null, `the matcher misses: ${line}`);
    assert.ok(fs.existsSync(m[matcher.pattern.file]!), line);
    assert.match(m[matcher.pattern.code]!, /^AD\d{3}$/);
    // VS Code knows error, warning and info: "information" must reach it as "info".
    assert.ok(["error", "warning", "info"].includes(m[matcher.pattern.severity]!), line);
    assert.ok(Number(m[matcher.pattern.line]) >= 1 && Number(m[matcher.pattern.column]) >= 1, line);
  }
  assert.ok(!pattern.test(out.trim().split("\n").at(-1)!), "the summary line is not a problem");
});

test("the walkthrough's links name contributed commands, its pages are packed, its steps complete", async () => {
  const m = JSON.parse(read("package.json")) as {
    contributes: {
      commands: Command[];
      walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[] }[];
    };
  };
  const contributed = new Set(m.contributes.commands.map((c) => c.command));
  const [walkthrough] = m.contributes.walkthroughs;
  assert.ok(walkthrough !== undefined && walkthrough.steps.length >= 4);
  const vsce = (await import("@vscode/vsce")) as {
    PackageManager: { None: number };
    listFiles(options: { cwd: string; packageManager: number }): Promise<string[]>;
  };
  const packed = new Set(await vsce.listFiles({ cwd: repo, packageManager: vsce.PackageManager.None }));
  for (const step of walkthrough.steps) {
    for (const [, id] of step.description.matchAll(/\(command:([\w.]+)\)/g))
      assert.ok(contributed.has(id!) || id === "workbench.action.debug.start", `${step.id}: command ${id}`);
    for (const event of step.completionEvents ?? []) {
      const onCommand = /^onCommand:(.+)$/.exec(event);
      if (onCommand !== null) assert.ok(contributed.has(onCommand[1]!), `${step.id}: ${event}`);
    }
    const page = step.media.markdown;
    assert.ok(page !== undefined && fs.existsSync(path.join(repo, page)), `${step.id}: page ${page}`);
    assert.ok(packed.has(page), `${step.id}: ${page} is in the VSIX`);
  }
});
