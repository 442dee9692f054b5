// Frames per second of wall-clock time through a driver on the simulated NIC (the default
// scenario: 500 frames out, ~20k frames/s in, no tracing), side by side for the drivers present:
// the test fixture, and samples/rtl8169/active.ts, threaded.ts and passive.ts.
//
// What runs is what `active-driver run` runs: the built runtime (runtime/dist, `npm run bench`
// builds first) and each driver loaded by its loader (TypeScript transpile, CommonJS).
//
// Method: every driver is warmed up first (the JIT, not the driver, would otherwise dominate a
// 10 ms-virtual run), then measured in interleaved rounds (each round runs every driver for a
// batch of runs, in alternating order, so load on the machine hits all alike); figures are
// medians over rounds, and the cost ratio to the passive driver is the median of per-round ratios.
// The first run after loading (cold JIT) is shown as a detail.
// Run: npm run build && node --expose-gc --import tsx test/bench/nic.bench.ts [--json]
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { AnyDriverDefinition } from "active-driver";
import type * as NicApi from "active-driver/nic";
import type * as HostApi from "active-driver/host";

export interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const HOST_BUNDLE = path.join(ROOT, "runtime", "dist", "host.js");
if (!fs.existsSync(HOST_BUNDLE)) throw new Error(`${HOST_BUNDLE} is missing: run \`npm run build\` first`);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const host = require(HOST_BUNDLE) as typeof HostApi;
/** The NIC API of the same runtime copy the loader gives drivers. */
const { runScenario } = host.defaultModules()["active-driver/nic"] as typeof NicApi;
const WARMUP_RUNS = 20;
const ROUNDS = 7;
const RUNS_PER_BATCH = 10;
/** Issue 3's targets. */
const TARGET_FPS = 5e5;
const TARGET_RATIO = 1.3;

interface Candidate {
  name: string;
  driver: AnyDriverDefinition;
  fps: number[];
  mps: number[];
  cold: number;
  detail: string;
}

function candidates(): { name: string; load: () => AnyDriverDefinition }[] {
  const files: [string, string][] = [["fixture ring driver (active)", path.join(ROOT, "test", "nic", "fixtures", "ring-driver.ts")]];
  for (const sample of ["active", "threaded", "passive"]) files.push([`samples/rtl8169/${sample}.ts`, path.join(ROOT, "samples", "rtl8169", `${sample}.ts`)]);
  return files.filter(([, file]) => fs.existsSync(file)).map(([name, file]) => ({ name, load: () => host.loadDriver(file).driver as AnyDriverDefinition }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `runs` default-scenario runs; frames and messages per second of wall time, and the last run's shape. */
async function batch(driver: AnyDriverDefinition, runs: number, seed: number): Promise<{ fps: number; mps: number; detail: string }> {
  let frames = 0;
  let messages = 0;
  let detail = "";
  const t0 = performance.now();
  for (let run = 0; run < runs; run++) {
    const s = await runScenario(driver, "default", { seed: seed + run, trace: false });
    const f = s.frames.tx.delivered + s.frames.rx.delivered;
    const m = Object.values(s.messages).reduce((n: number, x) => n + x.sent, 0);
    frames += f;
    messages += m;
    detail = `${f} frames, ${m} messages, ${(s.virtualTimeUs / 1000).toFixed(1)} ms virtual per run${s.ok ? "" : " (run not ok)"}`;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { fps: frames / seconds, mps: messages / seconds, detail };
}

export async function runNicBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const measured: Candidate[] = [];
  for (const { name, load } of candidates()) {
    let driver: AnyDriverDefinition;
    try {
      driver = load();
    } catch (error) {
      rows.push({ name, value: NaN, unit: "frames/s", detail: `not loadable: ${(error as Error).message.split("\n")[0]}` });
      continue;
    }
    const cold = await batch(driver, 1, 1);
    await batch(driver, WARMUP_RUNS, 1000);
    measured.push({ name, driver, fps: [], mps: [], cold: cold.fps, detail: cold.detail });
  }
  const passive = measured.find((c) => c.name.endsWith("passive.ts"));
  const ratios = new Map<Candidate, number[]>(measured.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? measured : [...measured].reverse();
    for (const c of order) {
      const b = await batch(c.driver, RUNS_PER_BATCH, 1 + round * RUNS_PER_BATCH);
      c.fps.push(b.fps);
      c.mps.push(b.mps);
      c.detail = b.detail;
    }
    // Cost per frame relative to the passive driver's, in this round.
    if (passive !== undefined) for (const c of measured) ratios.get(c)!.push(passive.fps[round] / c.fps[round]);
  }
  for (const c of measured) {
    const fps = median(c.fps);
    rows.push({
      name: `${c.name}: frames`,
      value: fps,
      unit: "frames/s",
      detail: `${c.detail}; first run after load ${Math.round(c.cold).toLocaleString("en-US")} frames/s`,
    });
    rows.push({ name: `${c.name}: messages`, value: median(c.mps), unit: "messages/s" });
    if (passive !== undefined && c !== passive) rows.push({ name: `${c.name}: cost per frame vs passive.ts`, value: median(ratios.get(c)!), unit: "x" });
  }
  const active = measured.find((c) => c.name.endsWith("rtl8169/active.ts"));
  if (active !== undefined) {
    const fps = median(active.fps);
    const checks: [string, boolean][] = [[`active.ts >= ${TARGET_FPS.toExponential(0)} frames/s (${fps.toExponential(2)})`, fps >= TARGET_FPS]];
    if (passive !== undefined) {
      const ratio = median(ratios.get(active)!);
      checks.push([`active.ts cost per frame <= ${TARGET_RATIO}x passive.ts (${ratio.toFixed(2)}x)`, ratio <= TARGET_RATIO]);
    }
    for (const [name, ok] of checks) rows.push({ name: `target: ${name}`, value: ok ? 1 : 0, unit: ok ? "met" : "missed" });
  }
  return rows;
}

if (require.main === module) {
  void runNicBench().then((rows) => {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(rows));
      return;
    }
    console.log(
      `NIC: default scenario, no tracing; ${WARMUP_RUNS} warm-up runs per driver, then the median of ${ROUNDS} interleaved rounds of ${RUNS_PER_BATCH} runs (wall clock)`,
    );
    for (const r of rows) {
      if (r.name.startsWith("target:")) {
        console.log(`  ${r.name}: ${r.unit}`);
        continue;
      }
      const value = !Number.isFinite(r.value) ? "-" : r.unit === "x" ? r.value.toFixed(2) : Math.round(r.value).toLocaleString("en-US");
      console.log(`  ${r.name.padEnd(52)} ${value.padStart(12)} ${r.unit}${r.detail ? `  (${r.detail})` : ""}`);
    }
  });
}
