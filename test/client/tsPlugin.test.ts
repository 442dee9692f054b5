// The TypeScript server plugin without VS Code or tsserver: a LanguageService over an in-memory
// folder with no `active-driver` installed, the plugin's create() applied to it, and the runtime's
// declarations emitted by scripts/emit-runtime-types.mjs (what dist/types ships).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import pluginInit from "../../client/src/tsPlugin/index";
import { driverTemplate } from "../../client/src/commands/templates";

const repo = path.resolve(__dirname, "..", "..");
let typesDirectory = "";
let tmp = "";

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ad-tsplugin-"));
  typesDirectory = path.join(tmp, "types");
  const r = spawnSync(process.execPath, [path.join(repo, "scripts", "emit-runtime-types.mjs"), "--out", typesDirectory], { encoding: "utf8" });
  assert.equal(r.status, 0, `emit-runtime-types failed:\n${r.stdout}\n${r.stderr}`);
});

after(() => {
  if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true });
});

/** A folder that exists only in memory; the TypeScript libs and the bundled types come from disk. */
const virtualRoot = "/virtual-active-driver-test";
const libDirectory = path.dirname(ts.getDefaultLibFilePath({}));

// The options VS Code gives a TypeScript file with no tsconfig (its implicit project), made strict.
const implicitProjectOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noImplicitAny: true,
  skipLibCheck: true,
  types: [],
};

interface Project {
  service: ts.LanguageService;
  host: ts.LanguageServiceHost;
}

function createProject(files: Record<string, string>, withPlugin: boolean): Project {
  const memory = new Map(Object.entries(files).map(([name, text]) => [path.posix.join(virtualRoot, name), text]));
  const versions = new Map<string, number>();
  const onDisk = (f: string): boolean =>
    !f.startsWith(virtualRoot) && (f.startsWith(libDirectory) || f.startsWith(typesDirectory.split(path.sep).join("/")) || f.startsWith(typesDirectory));
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => implicitProjectOptions,
    getScriptFileNames: () => [...memory.keys()].filter((f) => f.endsWith(".ts") && !f.includes("/node_modules/")),
    getScriptVersion: (f) => String(versions.get(f) ?? 0),
    getScriptSnapshot: (f) => {
      const text = memory.get(f) ?? (onDisk(f) && fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => virtualRoot,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (f) => memory.has(f) || (onDisk(f) && fs.existsSync(f)),
    readFile: (f) => memory.get(f) ?? (onDisk(f) && fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined),
    directoryExists: (d) => [...memory.keys()].some((f) => f.startsWith(d + "/")) || (onDisk(d) && fs.existsSync(d)),
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => true,
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  if (withPlugin) {
    const plugin = pluginInit({ typescript: ts });
    const info = {
      languageService: service,
      languageServiceHost: host,
      config: { typesDirectory },
      project: undefined,
      serverHost: undefined,
    } as unknown as ts.server.PluginCreateInfo;
    const decorated = plugin.create(info);
    return { service: decorated, host };
  }
  return { service, host };
}

function diagnostics(project: Project, file: string): ts.Diagnostic[] {
  const name = path.posix.join(virtualRoot, file);
  return [...project.service.getSyntacticDiagnostics(name), ...project.service.getSemanticDiagnostics(name)];
}

function describe(ds: readonly ts.Diagnostic[]): string {
  return ds.map((d) => `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`).join("\n");
}

/** Completion names at the end of the first occurrence of `marker` in `file`. */
function completionsAfter(project: Project, file: string, text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `marker ${marker} not in ${file}`);
  const info = project.service.getCompletionsAtPosition(path.posix.join(virtualRoot, file), at + marker.length, { triggerCharacter: "." });
  return info?.entries.map((e) => e.name) ?? [];
}

const driverText = `import { defineProtocol, msg, defineDriver } from "active-driver";
import { Rtl8169 } from "active-driver/nic";

export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: {
    open: msg.in({ reply: "openComplete" }),
    openComplete: msg.out<{ status: number }>(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    xmit: msg.in<{ frame: Uint8Array }>(),
    txTimeout: msg.in(),
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", xmit: "open", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
});

export default defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
  const { open, openComplete } = d.mb;
  for (;;) {
    const r = await d.wait(open, d.mb.close, d.mb.xmit, d.mb.txTimeout);
    if (r.name === "xmit") d.log(r.msg.frame.length);
    if (r.name === "open") d.send(openComplete, { status: 0 });
    void d.dev.read32(0);
  }
});
`;

test("without the plugin, a folder with no active-driver installed cannot find the module", () => {
  const project = createProject({ "drivers/nic.ts": driverText }, false);
  const codes = diagnostics(project, "drivers/nic.ts").map((d) => d.code);
  assert.ok(codes.includes(2307), `expected TS2307 (Cannot find module), got ${codes.join(", ")}`);
});

test("with the plugin, active-driver and active-driver/nic resolve to the bundled declarations: no errors", () => {
  const project = createProject({ "drivers/nic.ts": driverText }, true);
  const ds = diagnostics(project, "drivers/nic.ts");
  assert.deepEqual(
    ds.map((d) => d.code),
    [],
    describe(ds),
  );
});

test("the bundled types are real types: a wrong payload and an unknown mailbox are errors", () => {
  const text = driverText
    .replace("d.send(openComplete, { status: 0 })", 'd.send(openComplete, { status: "ok" })')
    .replace("void d.dev.read32(0);", "void d.dev.read32(0);\n    void d.mb.noSuchMailbox;");
  const project = createProject({ "drivers/nic.ts": text }, true);
  const ds = diagnostics(project, "drivers/nic.ts");
  assert.ok(!ds.some((d) => d.code === 2307), describe(ds));
  const lines = ds.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
  const lineOf = (needle: string): number => text.slice(0, text.indexOf(needle)).split("\n").length;
  assert.ok(lines.includes(lineOf('status: "ok"')), `expected an error on the wrong payload line, got:\n${describe(ds)}`);
  assert.ok(lines.includes(lineOf("noSuchMailbox")), `expected an error on the unknown mailbox line, got:\n${describe(ds)}`);
});

test("completion works on d., d.mb. and r.name", () => {
  const text = driverText.replace("    void d.dev.read32(0);\n", "    void d.dev.read32(0);\n    d.mb.open;\n    d.wait;\n    r.name;\n");
  const project = createProject({ "drivers/nic.ts": text }, true);
  const onD = completionsAfter(project, "drivers/nic.ts", text, "    d.");
  for (const member of ["mb", "wait", "send", "spawn", "sleep", "dev", "log", "mailbox"])
    assert.ok(onD.includes(member), `d. completes ${member} (got ${onD.join(", ")})`);
  const onMb = completionsAfter(project, "drivers/nic.ts", text, "    d.mb.");
  for (const mailbox of ["open", "openComplete", "close", "closeComplete", "xmit", "txTimeout"])
    assert.ok(onMb.includes(mailbox), `d.mb. completes ${mailbox} (got ${onMb.join(", ")})`);
  const nameAt = text.indexOf('r.name === "xmit"') + 'r.name === "'.length;
  const names =
    project.service.getCompletionsAtPosition(path.posix.join(virtualRoot, "drivers/nic.ts"), nameAt, { triggerCharacter: '"' })?.entries.map((e) => e.name) ??
    [];
  for (const name of ["open", "close", "xmit", "txTimeout"]) assert.ok(names.includes(name), `r.name === " completes ${name} (got ${names.join(", ")})`);
});

test("where the workspace has its own active-driver, that one wins", () => {
  const project = createProject(
    {
      "own/node_modules/active-driver/package.json": JSON.stringify({ name: "active-driver", version: "9.9.9", types: "index.d.ts" }),
      "own/node_modules/active-driver/index.d.ts": "export declare const installedMarker: number;\n",
      "own/driver.ts": 'import { installedMarker } from "active-driver";\nexport const n: number = installedMarker;\n',
    },
    true,
  );
  const ds = diagnostics(project, "own/driver.ts");
  assert.deepEqual(
    ds.map((d) => d.code),
    [],
    describe(ds),
  );
});

test("the New Active Driver template type-checks with the bundled types", () => {
  const files = driverTemplate("my-nic");
  const project = createProject({ [`new/${files.protocolFile}`]: files.protocolText, [`new/${files.driverFile}`]: files.driverText }, true);
  for (const file of [files.protocolFile, files.driverFile]) {
    const ds = diagnostics(project, `new/${file}`);
    assert.deepEqual(
      ds.map((d) => d.code),
      [],
      `${file}:\n${describe(ds)}`,
    );
  }
});
