// `npm run test:e2e`: installs Node 24 + code-server (cached in .cache/e2e), packages the VSIX,
// then runs test/e2e/*.test.ts with node's test runner. Screenshots and logs: test-results/e2e/.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`e2e: '${cmd} ${args.join(" ")}' failed with status ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

run("bash", ["scripts/e2e/setup.sh"]);
if (!process.argv.includes("--no-package")) run("npm", ["run", "package", "--silent"]);
const files = readdirSync("test/e2e")
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => `test/e2e/${f}`);
run(process.execPath, ["--conditions=source", "--import", "tsx", "--test", "--test-concurrency=1", ...files]);
