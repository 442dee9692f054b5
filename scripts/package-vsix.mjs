// Packages the extension: one platform-neutral VSIX at the root, from the built dist/ (run
// `node esbuild.js --production && npm run build:types` first). vsce with --no-dependencies (every
// bundle is self-contained) and the .vscodeignore whitelist; then the TS plugin's shim package is
// added (see prepackage.mjs) and the result is checked: no sources, no maps, at most 5 MB.
// Usage: node scripts/package-vsix.mjs [-o FILE.vsix]   (default: <name>-<version>.vsix at the root)
import { existsSync, readFileSync, renameSync, statSync, createWriteStream } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { shimManifest, shimPath } from "./prepackage.mjs";

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
      // Consumed from the start: yazl reads each entry's stream only as its output drains.
      const file = createWriteStream(target);
      out.outputStream
        .pipe(file)
        .on("finish", () => done(names))
        .on("error", failed);
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
      });
      zip.on("error", failed);
      zip.readEntry();
    });
  });
}

let finished = false;
// A promise that never settles would let node exit with status 0 and no VSIX: fail loudly instead.
process.on("beforeExit", () => {
  if (!finished) fail("packaging stopped before it finished (an unsettled step)");
});

async function main() {
  const missing = required.filter((f) => !existsSync(join(root, f)));
  if (missing.length > 0) fail(`missing ${missing.join(", ")}: build first (node esbuild.js --production && npm run build:types)`);
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const out = process.argv.indexOf("-o");
  const packagePath = out >= 0 && process.argv[out + 1] ? resolve(process.argv[out + 1]) : join(root, `${manifest.name}-${manifest.version}.vsix`);
  // README images stay relative: VS Code shows them from the installed extension folder (docs/images ships).
  await vsce.createVSIX({ cwd: root, packagePath, dependencies: false, allowMissingRepository: true, rewriteRelativeLinks: false });
  const staged = `${packagePath}.tmp`;
  const names = await addEntries(packagePath, staged, [{ path: `extension/${shimPath}`, text: shimManifest(manifest.version) }]);
  renameSync(staged, packagePath);
  const forbidden = names.filter(
    (n) => /\.map$|\.tsbuildinfo$/.test(n) || (/\.ts$/.test(n) && !/\.d\.ts$/.test(n)) || (/\/node_modules\//.test(n) && !n.endsWith(shimPath)),
  );
  if (forbidden.length > 0) fail(`the VSIX holds files it must not: ${forbidden.join(", ")}`);
  const size = statSync(packagePath).size;
  if (size > maxBytes) fail(`${packagePath} is ${(size / 1048576).toFixed(2)} MB, over the 5 MB limit`);
  finished = true;
  console.log(`package-vsix: ${packagePath} (${names.length} files, ${(size / 1048576).toFixed(2)} MB)`);
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
