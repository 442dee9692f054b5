// Packaging (scripts/package-vsix.mjs) on a stand-in build: the real manifest, .vscodeignore and
// scripts over placeholder bundles, packed by vsce. The VSIX must hold the bundles, the declarations
// and the TS plugin's shim package, and no sources, maps or other node_modules.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { createRequire } from "node:module";
import * as path from "node:path";

const repo = path.resolve(__dirname, "..", "..");
let tmp = "";

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
  fs.writeFileSync(path.join(tmp, file), text);
}

interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  on(event: "entry", fn: (entry: ZipEntry) => void): void;
  on(event: "end" | "error", fn: (error?: Error) => void): void;
  readEntry(): void;
  openReadStream(entry: ZipEntry, cb: (error: Error | null, stream: NodeJS.ReadableStream) => void): void;
}

/** Entries of a zip file (name -> text), read with vsce's own zip reader. */
function readZip(file: string): Promise<Map<string, string>> {
  const vsceRequire = createRequire(require.resolve("@vscode/vsce/package.json"));
  const yauzl = vsceRequire("yauzl") as { open(f: string, o: object, cb: (e: Error | null, zip: ZipFile) => void): void };
  return new Promise((resolve, reject) => {
    const entries = new Map<string, string>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on("entry", (entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (c: Buffer) => chunks.push(c));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ad-package-"));
  for (const file of ["package.json", "LICENSE", ".vscodeignore", "scripts/package-vsix.mjs", "scripts/prepackage.mjs"])
    write(file, fs.readFileSync(path.join(repo, file), "utf8"));
  write("README.md", "# Active Drivers\n\nStand-in README for the packaging test.\n");
  fs.mkdirSync(path.join(tmp, "media"));
  fs.copyFileSync(path.join(repo, "media", "icon.png"), path.join(tmp, "media", "icon.png"));
  for (const file of [
    "dist/extension.js",
    "dist/server.js",
    "dist/tsPlugin.js",
    "dist/debugAdapter.js",
    "dist/worker.js",
    "dist/typescript.js",
    "dist/webview/traffic.js",
    "dist/webview/machine.js",
  ])
    write(file, "module.exports = {};\n");
  write("dist/extension.js.map", "{}");
  write("dist/types/index.d.ts", "export declare const x: number;\n");
  write("dist/types/nic.d.ts", 'export * from "./nic/index";\n');
  write("dist/types/nic/index.d.ts", "export declare const y: number;\n");
  write("client/views/media/webview.css", "body {}\n");
  write("client/src/extension.ts", "// a source: must stay out\n");
  write("runtime/src/index.ts", "// a source: must stay out\n");
  write("server/src/analysis/rules/ad001-missing-wait.test.ts", "// a test beside its module: must stay out\n");
  fs.symlinkSync(path.join(repo, "node_modules"), path.join(tmp, "node_modules"), "dir");
});

after(() => {
  if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true });
});

test("package-vsix packs the whitelist plus the TS plugin shim, and nothing else", async () => {
  const r = spawnSync(process.execPath, [path.join(tmp, "scripts", "package-vsix.mjs"), "-o", path.join(tmp, "out.vsix")], { cwd: tmp, encoding: "utf8" });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const entries = await readZip(path.join(tmp, "out.vsix"));
  const names = [...entries.keys()];
  for (const expected of [
    "extension/package.json",
    "extension/dist/extension.js",
    "extension/dist/server.js",
    "extension/dist/tsPlugin.js",
    "extension/dist/types/nic.d.ts",
    "extension/dist/webview/traffic.js",
    "extension/client/views/media/webview.css",
    "extension/media/icon.png",
    "extension/node_modules/active-driver-ts-plugin/package.json",
  ]) {
    assert.ok(names.includes(expected), `${expected} in ${names.join(", ")}`);
  }
  const stray = names.filter(
    (n) =>
      n.endsWith(".map") ||
      (n.endsWith(".ts") && !n.endsWith(".d.ts")) ||
      (n.includes("/node_modules/") && !n.endsWith("active-driver-ts-plugin/package.json")),
  );
  assert.deepEqual(stray, []);
  // The shim, as tsserver resolves it: main points at the bundled plugin.
  const shim = JSON.parse(entries.get("extension/node_modules/active-driver-ts-plugin/package.json")!) as { name: string; main: string };
  assert.equal(shim.name, "active-driver-ts-plugin");
  assert.equal(path.posix.join("extension/node_modules/active-driver-ts-plugin", shim.main), "extension/dist/tsPlugin.js");
  assert.ok(!names.some((n) => n.endsWith(".map")), "no source maps");
});
