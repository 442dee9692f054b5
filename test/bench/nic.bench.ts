// Frames per second of wall-clock time through a driver on the simulated NIC (the default
// scenario: 500 frames out, ~20k frames/s in, no tracing), side by side for the drivers present:
// the test fixture, and samples/rtl8169/active.ts and passive.ts once they exist.
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { runScenario } from "active-driver/nic";
import type { AnyDriverDefinition } from "active-driver";
import { ringDriver } from "../nic/drivers";

export interface Row {
  name: string;
  value: number;
  unit: string;
  detail?: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const RUNS = 5;

function candidates(): { name: string; load: () => AnyDriverDefinition }[] {
  const list: { name: string; load: () => AnyDriverDefinition }[] = [
    { name: "fixture ring driver (active)", load: () => ringDriver },
  ];
  for (const sample of ["active", "passive"]) {
    const file = path.join(ROOT, "samples", "rtl8169", `${sample}.ts`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (fs.existsSync(file)) list.push({ name: `samples/rtl8169/${sample}.ts`, load: () => (require(file) as { default: AnyDriverDefinition }).default });
  }
  return list;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function runNicBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const { name, load } of candidates()) {
    let driver: AnyDriverDefinition;
    try {
      driver = load();
    } catch (error) {
      rows.push({ name, value: NaN, unit: "frames/s", detail: `not loadable: ${(error as Error).message.split("\n")[0]}` });
      continue;
    }
    await runScenario(driver, "default", { seed: 1, trace: false }); // warm-up
    const fps: number[] = [];
    const mps: number[] = [];
    let detail = "";
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const s = await runScenario(driver, "default", { seed: run + 1, trace: false });
      const seconds = (performance.now() - t0) / 1000;
      const frames = s.frames.tx.delivered + s.frames.rx.delivered;
      const messages = Object.values(s.messages).reduce((n: number, m) => n + m.sent, 0);
      fps.push(frames / seconds);
      mps.push(messages / seconds);
      detail = `${frames} frames, ${messages} messages, ${(s.virtualTimeUs / 1000).toFixed(1)} ms virtual per run${s.ok ? "" : " (run not ok)"}`;
    }
    rows.push({ name: `${name}: frames`, value: median(fps), unit: "frames/s", detail });
    rows.push({ name: `${name}: messages`, value: median(mps), unit: "messages/s" });
  }
  return rows;
}

if (require.main === module) {
  void runNicBench().then((rows) => {
    if (process.argv.includes("--json")) {
      console.log(JSON.stringify(rows));
      return;
    }
    console.log(`NIC: default scenario, no tracing, median of ${RUNS} runs (wall clock)`);
    for (const r of rows) console.log(`  ${r.name.padEnd(48)} ${Number.isFinite(r.value) ? Math.round(r.value).toLocaleString("en-US").padStart(12) : "-".padStart(12)} ${r.unit}${r.detail ? `  (${r.detail})` : ""}`);
  });
}
