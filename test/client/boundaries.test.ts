// The architecture invariants (ARCHITECTURE.md, "Code map"): only client/ talks to the VS Code API;
// runtime/ imports neither `vscode` nor server/; server/ imports no `vscode` and no client/; nothing
// imports cli/; the analyser's interpreter imports no rule. Code that runs outside the extension host
// (the TS server plugin in tsserver, the debug adapter on stdio, webview pages in the browser) must
// not reach `vscode`, and a view's page side and host side import only what runs where they run.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");
const skip = new Set(["node_modules", "dist", "out", ".git", ".cache", "test-results", "fixtures"]);

function sources(dir: string, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** Module specifiers a file imports or requires (static, dynamic, side-effect, re-export). */
function importedSpecifiers(text: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

function importers(files: readonly string[], matches: (specifier: string, file: string) => boolean): string[] {
  return files.filter((f) => importedSpecifiers(fs.readFileSync(f, "utf8")).some((s) => matches(s, f))).map((f) => path.relative(repo, f));
}

const isVscode = (s: string): boolean => s === "vscode";
/** A relative specifier from `file` that lands in `folder` (top-level folder of the repository). */
const into = (folder: string) => (s: string, file: string) =>
  s.startsWith(".") && path.resolve(path.dirname(file), s).startsWith(path.join(repo, folder) + path.sep);

test("the scan sees imports the ways code writes them", () => {
  assert.deepEqual(
    importedSpecifiers(
      `import * as vscode from "vscode";\nimport type { X } from 'vscode';\nconst v = require("vscode");\nawait import("vscode");\nimport "vscode";\nexport { y } from "vscode";`,
    ),
    ["vscode", "vscode", "vscode", "vscode", "vscode", "vscode"],
  );
  assert.deepEqual(importedSpecifiers(`const s = "vscode"; // a string, not an import`), []);
});

test("no file under runtime/ or server/ imports vscode", () => {
  assert.deepEqual(importers([...sources(path.join(repo, "runtime")), ...sources(path.join(repo, "server"))], isVscode), []);
});

test("only client/ imports vscode (of the shipped code: runtime, server, cli, scripts, samples)", () => {
  const outside = ["runtime", "server", "cli", "scripts", "samples"].flatMap((d) => sources(path.join(repo, d)));
  assert.ok(outside.length > 0, "there is code outside client/ to check");
  assert.deepEqual(importers(outside, isVscode), []);
  const client = sources(path.join(repo, "client", "src"));
  assert.ok(importers(client, isVscode).length > 0, "the extension itself does import vscode (the scan works)");
});

/** The page side of every view (client/views/<view>/page, runs in the webview's browser). */
function pageSources(): string[] {
  const views = path.join(repo, "client", "views");
  return fs.readdirSync(views).flatMap((view) => sources(path.join(views, view, "page")));
}

test("code that runs outside the extension host does not import vscode: TS plugin (tsserver), webviews (browser)", () => {
  const files = [...sources(path.join(repo, "client", "src", "tsPlugin")), ...pageSources()];
  assert.ok(files.length > 0);
  assert.deepEqual(importers(files, isVscode), []);
});

test("runtime/ imports nothing from server/ or client/; server/ nothing from client/", () => {
  const runtime = sources(path.join(repo, "runtime"));
  assert.deepEqual(
    importers(runtime, (s, f) => into("server")(s, f) || into("client")(s, f)),
    [],
  );
  assert.deepEqual(importers(sources(path.join(repo, "server")), into("client")), []);
});

test("nothing imports cli/, and cli/ nothing from client/: two front ends over runtime/ and server/", () => {
  const others = ["runtime", "server", "client"].flatMap((d) => sources(path.join(repo, d)));
  assert.deepEqual(importers(others, into("cli")), []);
  const cli = sources(path.join(repo, "cli"));
  assert.ok(importers(cli, into("server")).length > 0, "the CLI does use the analyser (the scan works)");
  assert.deepEqual(importers(cli, into("client")), []);
});

/** The file a specifier names from `file`: relative ones and the runtime package's exports; undefined for other packages. */
function resolveSource(specifier: string, file: string): string | undefined {
  const runtimeExports: Record<string, string> = {
    "active-driver": "runtime/src/index.ts",
    "active-driver/nic": "runtime/src/nic/index.ts",
    "active-driver/host": "runtime/src/workers/index.ts",
  };
  if (specifier in runtimeExports) return path.join(repo, runtimeExports[specifier]!);
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(file), specifier);
  return [base, `${base}.ts`, path.join(base, "index.ts")].find((f) => f.endsWith(".ts") && fs.existsSync(f));
}

/** Every source file `entry` loads, itself included, following relative imports and the runtime package. */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const s of importedSpecifiers(fs.readFileSync(file, "utf8"))) {
      const target = resolveSource(s, file);
      if (target !== undefined) todo.push(target);
    }
  }
  return [...seen];
}

test("the debug adapter runs without VS Code: nothing dist/debugAdapter.js loads imports vscode", () => {
  const graph = moduleGraph(path.join(repo, "client", "src", "debug", "debugAdapter.ts"));
  for (const reached of [path.join("debug", "session.ts"), path.join("debug", "variables.ts"), path.join("runtime", "src", "workers", "runner.ts")]) {
    assert.ok(
      graph.some((f) => f.endsWith(reached)),
      `the walk reaches ${reached}`,
    );
  }
  assert.deepEqual(importers(graph, isVscode), []);
});

test("a view's page side imports only page code, the message types and defined(); its host side imports no page code", () => {
  const views = path.join(repo, "client", "views");
  const pageOk = (target: string): boolean =>
    target.split(path.sep).includes("page") ||
    target === path.join(views, "shared", "messages.ts") ||
    target === path.join(repo, "runtime", "src", "trace.ts") ||
    target === path.join(repo, "runtime", "src", "defined.ts");
  const pages = pageSources();
  assert.ok(pages.length > 0);
  assert.deepEqual(
    importers(pages, (s, f) => {
      const t = resolveSource(s, f);
      return t !== undefined && !pageOk(t);
    }),
    [],
  );
  const hosts = fs.readdirSync(views).flatMap((view) => sources(path.join(views, view, "host")));
  assert.ok(hosts.length > 0);
  assert.deepEqual(
    importers(hosts, (s, f) => resolveSource(s, f)?.split(path.sep).includes("page") === true),
    [],
  );
});

test("the analyser's interpreter and passive walker import no rule: rules hear them through hooks (listeners.ts)", () => {
  const analysis = path.join(repo, "server", "src", "analysis");
  const rulesDir = path.join(analysis, "rules") + path.sep;
  for (const entry of [path.join(analysis, "core", "index.ts"), path.join(analysis, "passive", "walker.ts")]) {
    const graph = moduleGraph(entry);
    assert.ok(
      graph.some((f) => f.endsWith(path.join("analysis", "listeners.ts"))),
      `the walk from ${path.relative(repo, entry)} reaches listeners.ts`,
    );
    assert.deepEqual(
      graph.filter((f) => f.startsWith(rulesDir)).map((f) => path.relative(repo, f)),
      [],
    );
  }
  const registry = moduleGraph(path.join(analysis, "rules.ts"));
  assert.ok(
    registry.some((f) => f.startsWith(rulesDir)),
    "the registry does reach the rules (the scan works)",
  );
});

test("tests beside modules (server/src/**/*.test.ts) never ship: no entry point of esbuild.js reaches one, or test/", async () => {
  const loaded = (await import(path.join(repo, "esbuild.js"))) as { nodeEntries: [string, string][]; browserEntries: [string, string][] };
  const entries = [...loaded.nodeEntries, ...loaded.browserEntries].map(([source]) => path.join(repo, source));
  assert.ok(entries.length > 0);
  const reached = new Set(entries.flatMap(moduleGraph));
  assert.ok(reached.has(path.join(repo, "server", "src", "analysis", "rules.ts")), "the walk reaches the rule registry");
  const testCode = [...reached].filter((f) => f.endsWith(".test.ts") || f.startsWith(path.join(repo, "test") + path.sep));
  assert.deepEqual(
    testCode.map((f) => path.relative(repo, f)),
    [],
  );
});

test("under server/, only tests import from test/ (the rule tester)", () => {
  const server = sources(path.join(repo, "server"));
  const tests = server.filter((f) => f.endsWith(".test.ts"));
  assert.ok(importers(tests, into("test")).length > 0, "the rules' tests do use the tester (the scan works)");
  assert.deepEqual(
    importers(
      server.filter((f) => !f.endsWith(".test.ts")),
      into("test"),
    ),
    [],
  );
});
