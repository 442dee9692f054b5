// Creates the TypeScript server plugin's shim package, node_modules/active-driver-ts-plugin, whose
// "main" is the bundled plugin (dist/tsPlugin.js). VS Code loads `contributes.typescriptServerPlugins`
// by package name from the extension's own node_modules, so the extension needs this folder: in a
// development host (F5 from this repository) it is this one; in the VSIX, scripts/package-vsix.mjs
// adds the same file (vsce never collects node_modules with --no-dependencies).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const pluginName = "active-driver-ts-plugin";
export const shimPath = `node_modules/${pluginName}/package.json`;

export function shimManifest(version) {
  const shim = {
    name: pluginName,
    version,
    private: true,
    description: "Shim: the Active Drivers TypeScript server plugin is bundled as dist/tsPlugin.js.",
    main: "../../dist/tsPlugin.js",
  };
  return JSON.stringify(shim, null, 2) + "\n";
}

/** Writes the shim under `root`; returns its path. */
export function writeShim(root) {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const file = join(root, shimPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, shimManifest(version));
  return file;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  console.log(`prepackage: wrote ${writeShim(root)}`);
}
