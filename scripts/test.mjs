// Runs the whole suite with node's test runner: builds first (the CLI and the stdio adapter are
// tested as shipped), then every test/**/*.test.ts and the tests beside the server's modules
// (server/src/**/*.test.ts, e.g. each diagnostic code's beside its rule) through tsx. Arguments
// filter files by substring of their path.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const flags = process.argv.slice(2).filter((a) => a.startsWith("-"));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function collect(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === "node_modules" || name === "fixtures" || name === "e2e" || name === "electron") continue;
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith(".test.ts")) out.push(p);
  }
  return out;
}

if (!process.env.SKIP_BUILD) run(process.execPath, ["esbuild.js"]);
const files = [...collect("test"), ...collect(join("server", "src"))].filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(", ")}`);
  process.exit(1);
}
run(process.execPath, ["--conditions=source", "--import", "tsx", "--test", "--test-concurrency=2", ...flags, ...files.sort()]);
