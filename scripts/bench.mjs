// `npm run bench`: every test/bench/*.bench.ts in its own process (fresh heap and JIT), each printing
// its own side-by-side table; `--json` collects their figures into one JSON document on stdout.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";

const json = process.argv.includes("--json");
const only = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const benches = readdirSync("test/bench")
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => only.length === 0 || only.some((s) => f.includes(s)))
  .sort();

const machine = `${os.cpus()[0]?.model ?? "unknown CPU"} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
// Benchmarks measure the shipped bundles (runtime/dist, dist/), as users run them: build first.
// (No `source` condition: "active-driver" resolves to runtime/dist, not to the TypeScript sources.)
if (!process.env.SKIP_BUILD) {
  const b = spawnSync(process.execPath, ["esbuild.js"], { stdio: ["ignore", json ? "ignore" : "inherit", "inherit"] });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const results = {};
if (!json) console.log(`Active Drivers benchmarks, ${new Date().toISOString().slice(0, 10)}, ${machine}\n`);
let failed = false;
for (const file of benches) {
  const args = ["--expose-gc", "--import", "tsx", `test/bench/${file}`, ...(json ? ["--json"] : [])];
  const r = spawnSync(process.execPath, args, { stdio: json ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    failed = true;
    console.error(`bench ${file} failed with status ${r.status}`);
    continue;
  }
  if (json) results[file.replace(/\.bench\.ts$/, "")] = JSON.parse(r.stdout);
  else console.log();
}
if (json) console.log(JSON.stringify({ date: new Date().toISOString(), machine, results }, null, 2));
process.exit(failed ? 1 : 0);
