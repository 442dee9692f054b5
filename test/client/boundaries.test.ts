// The layout's boundaries (DESIGN.md): only client/ talks to the VS Code API; runtime/ imports
// neither `vscode` nor server/; server/ imports no `vscode` and no client/. Also code that runs
// outside the extension host (the TS server plugin in tsserver, webviews in the browser) must not
// import `vscode`.
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
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) out.push(m[1]!);
  return out;
}

function importers(files: readonly string[], matches: (specifier: string, file: string) => boolean): string[] {
  return files.filter((f) => importedSpecifiers(fs.readFileSync(f, "utf8")).some((s) => matches(s, f))).map((f) => path.relative(repo, f));
}

const isVscode = (s: string): boolean => s === "vscode";
/** A relative specifier from `file` that lands in `folder` (top-level folder of the repository). */
const into = (folder: string) => (s: string, file: string) => s.startsWith(".") && path.resolve(path.dirname(file), s).startsWith(path.join(repo, folder) + path.sep);

test("the scan sees imports the ways code writes them", () => {
  assert.deepEqual(importedSpecifiers(`import * as vscode from "vscode";\nimport type { X } from 'vscode';\nconst v = require("vscode");\nawait import("vscode");\nimport "vscode";\nexport { y } from "vscode";`), ["vscode", "vscode", "vscode", "vscode", "vscode", "vscode"]);
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
  assert.deepEqual(importers(runtime, (s, f) => into("server")(s, f) || into("client")(s, f)), []);
  assert.deepEqual(importers(sources(path.join(repo, "server")), into("client")), []);
});
