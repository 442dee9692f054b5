// Packages the extension: one platform-neutral VSIX at the root, from the built dist/ (run
// `node esbuild.js --production && npm run build:types` first). vsce with --no-dependencies (every
// bundle is self-contained) and the .vscodeignore whitelist; then the TS plugin's shim package is
// added (see prepackage.mjs) and the result is checked: no sources, no maps, at most 5 MB.
import { existsSync, readFileSync, renameSync, statSync, createWriteStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { shimManifest, shimPath, writeShim } from "./prepackage.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const vsce = require("@vscode/vsce");
// vsce's own zip libraries (its dependencies), so packaging needs nothing more installed.
const vsceRequire = createRequire(require.resolve("@vscode/vsce/package.json"));
const yauzl = vsceRequire("yauzl");
const yazl = vsceRequire("yazl");

const maxBytes = 5 * 1024 * 1024;
const required = ["dist/extension.js", "dist/server.js", "dist/tsPlugin.js", "dist/types/index.d.ts", "dist/types/nic.d.ts"];

function fail(message) {
  console.error(`package-vsix: ${message}`);
  process.exit(1);
}

/** Copies `source` to `target` with `extra` ({ path, text }) entries added. */
function addEntries(source, target, extra) {
  return new Promise((done, failed) => {
    yauzl.open(source, { lazyEntries: true }, (error, zip) => {
      if (error) return failed(error);
      const out = new yazl.ZipFile();
      const names = [];
      zip.on("entry", (entry) => {
        names.push(entry.fileName);
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return failed(streamError);
          out.addReadStream(stream, entry.fileName, { mtime: entry.getLastModDate(), mode: entry.externalFileAttributes >>> 16 || 0o100644 });
          stream.on("end", () => zip.readEntry());
        });
      });
      zip.on("end", () => {
        for (const { path, text } of extra) {
          names.push(path);
          out.addBuffer(Buffer.from(text, "utf8"), path);
        }
        out.end();
        const file = createWriteStream(target);
        out.outputStream.pipe(file).on("finish", () => done(names)).on("error", failed);
      });
      zip.on("error", failed);
      zip.readEntry();
    });
  });
}

async function main() {
  const missing = required.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) fail(`missing ${missing.join(", ")}: build first (node esbuild.js --production && npm run build:types)`);
  writeShim(root); // the same shim a development host uses
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const packagePath = join(root, `${manifest.name}-${manifest.version}.vsix`);
  await vsce.createVSIX({ cwd: root, packagePath, dependencies: false, allowMissingRepository: true });
  const staged = `${packagePath}.tmp`;
  const names = await addEntries(packagePath, staged, [{ path: `extension/${shimPath}`, text: shimManifest(manifest.version) }]);
  renameSync(staged, packagePath);
  const forbidden = names.filter((n) => /\.map$|\.tsbuildinfo$/.test(n) || (/\.ts$/.test(n) && !/\.d\.ts$/.test(n)) || (/\/node_modules\//.test(n) && !n.endsWith(shimPath)));
  if (forbidden.length > 0) fail(`the VSIX holds files it must not: ${forbidden.join(", ")}`);
  const size = statSync(packagePath).size;
  if (size > maxBytes) fail(`${packagePath} is ${(size / 1048576).toFixed(2)} MB, over the 5 MB limit`);
  console.log(`package-vsix: ${packagePath} (${names.length} files, ${(size / 1048576).toFixed(2)} MB)`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
