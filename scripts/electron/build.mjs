// Builds what the extension-host suite runs: the extension (node esbuild.js, unless SKIP_BUILD=1)
// and each test/electron/*.test.ts bundled on its own into out/electron/*.test.js (CommonJS, with
// `vscode` left to the extension host), which is how @vscode/test-cli's mocha runner loads tests.
// Also prepares the workspace (a fresh copy of samples/) and the user settings of a run.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const testsOutDir = join(repoRoot, "out", "electron");
const testsSrcDir = join(repoRoot, "test", "electron");

/** Settings of the test instance: nothing that prompts, updates or saves on its own. */
export const userSettings = {
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "files.autoSave": "off",
  "debug.openDebug": "neverOpen",
  "window.restoreWindows": "none",
  "chat.disableAIFeatures": true,
};

export async function buildTests() {
  if (process.env.SKIP_BUILD !== "1") {
    const r = spawnSync(process.execPath, ["esbuild.js"], { cwd: repoRoot, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`electron suite: 'node esbuild.js' failed with status ${r.status}`);
  }
  const esbuild = createRequire(join(repoRoot, "package.json"))("esbuild");
  const entries = readdirSync(testsSrcDir).filter((f) => f.endsWith(".test.ts"));
  if (entries.length === 0) throw new Error(`electron suite: no *.test.ts in ${testsSrcDir}`);
  rmSync(testsOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries.map((f) => join(testsSrcDir, f)),
    outdir: testsOutDir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: "inline",
    conditions: ["source"],
    external: ["vscode", "mocha"],
    logLevel: "warning",
  });
  return entries.map((f) => join(testsOutDir, f.replace(/\.ts$/, ".js")));
}

/** A fresh copy of samples/ in `dir` (the tests edit files; the repository stays clean). */
export function makeWorkspace(dir) {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(repoRoot, "samples"), dir, { recursive: true });
  return dir;
}

/** A user-data folder holding the test settings. */
export function makeUserData(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "User"), { recursive: true });
  writeFileSync(join(dir, "User", "settings.json"), JSON.stringify(userSettings, null, 2));
  return dir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await buildTests();
  console.log(`electron suite: built ${files.length} test bundles into ${testsOutDir}`);
}
