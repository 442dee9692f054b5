// `npm run test:electron` (@vscode/test-cli): the extension-host suite in test/electron/, run in a
// VS Code desktop build that @vscode/test-electron downloads into .cache/electron (needs access to
// update.code.visualstudio.com; set VSCODE_EXECUTABLE to use an installed VS Code instead).
// Loading this file builds the extension and bundles the tests into out/electron/*.test.js.
// Where VS Code cannot be downloaded, scripts/electron/in-code-server.mjs runs the same suite in code-server.
import { defineConfig } from "@vscode/test-cli";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { buildTests, makeUserData, makeWorkspace, repoRoot } from "./scripts/electron/build.mjs";
import { ensureVSCodeReachable } from "./scripts/electron/preflight.mjs";

const cache = join(repoRoot, ".cache", "electron");
/** Pinned: the VS Code of code-server 4.139.1 (the CI variant), within the ^1.100 engine range. */
const version = "1.139.1";
const executable = process.env.VSCODE_EXECUTABLE;

if (executable === undefined) await ensureVSCodeReachable({ cachePath: cache, version });
await buildTests();

export default defineConfig({
  label: "extension host",
  files: "out/electron/**/*.test.js",
  version,
  extensionDevelopmentPath: repoRoot,
  // Outside the repository (as in code-server): nothing up the tree resolves imports for the samples.
  workspaceFolder: makeWorkspace(join(tmpdir(), "active-drivers-electron-workspace")),
  cachePath: cache,
  ...(executable !== undefined ? { useInstallation: { fromPath: executable } } : {}),
  launchArgs: [`--user-data-dir=${makeUserData(join(cache, "user-data"))}`, `--extensions-dir=${join(cache, "extensions")}`],
  mocha: { ui: "tdd", timeout: 90_000, slow: 10_000 },
});
