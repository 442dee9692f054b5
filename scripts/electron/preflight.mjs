// Fails fast, with what to do instead, when the VS Code build `npm run test:electron` needs is
// neither cached nor downloadable (machines that reach only the npm registry, like the CI here).
// Asks the same release API as @vscode/test-electron, through its request module (proxy-aware).
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";

const require = createRequire(import.meta.url);
const releasesApi = "https://update.code.visualstudio.com/api/releases/stable?released=true";

function isCached(cachePath, version) {
  if (!existsSync(cachePath)) return false;
  return readdirSync(cachePath).some((d) => d.startsWith("vscode-") && d.endsWith(`-${version}`) && existsSync(join(cachePath, d, "is-complete")));
}

export async function ensureVSCodeReachable({ cachePath, version, timeoutMs = 8_000 }) {
  if (isCached(cachePath, version)) return;
  const { getJSON } = require("@vscode/test-electron/out/request");
  let problem;
  try {
    const versions = await getJSON(releasesApi, timeoutMs);
    if (Array.isArray(versions) && !versions.includes(version)) problem = `${releasesApi} does not list VS Code ${version}`;
  } catch (error) {
    problem = `${releasesApi} cannot be reached (${error instanceof Error ? error.message : String(error)})`;
  }
  if (problem === undefined) return;
  console.error(
    [
      `test:electron: VS Code ${version} is not in ${cachePath} and cannot be downloaded: ${problem}.`,
      "  - with an installed VS Code: VSCODE_EXECUTABLE=/path/to/code npm run test:electron",
      "  - without one: npm run test:electron:code-server (the same suite in code-server, from the npm registry)",
    ].join("\n"),
  );
  process.exit(2);
}
