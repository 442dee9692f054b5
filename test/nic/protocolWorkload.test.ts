// The protocol-driven OS workload ("workload": { "mode": "protocol" }, the protocol-fuzz scenario):
// the OS issues requests and notifications in orders no script issues, stays a correct OS (nothing
// the protocol forbids, one request at a time), and keeps within its budgets.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { randomChooser, RecordingChooser, replayChooser } from "active-driver/explore";
import { loadDriver } from "active-driver/host";
import { loadScenarioFile, runScenario, type RunSummary } from "active-driver/nic";

const rtl = path.resolve(__dirname, "..", "..", "samples", "rtl8169");

interface Seen {
  summary: RunSummary;
  /** "message@state" for each OS send, with the protocol state it was sent in. */
  sends: string[];
}

async function fuzz(driver: string, seed: number): Promise<Seen> {
  const sends: string[] = [];
  const summary = await runScenario(loadDriver(path.join(rtl, driver)).exports as never, "protocol-fuzz", {
    chooser: randomChooser(seed),
    onLaunch: (inst) => {
      inst.onEvent((e) => {
        if (e.kind === "send" && e.from === "os" && e.mailbox !== "xmit") sends.push(`${e.mailbox}@${String(inst.protocolState)}`);
      });
    },
  });
  return { summary, sends };
}

test("protocol-fuzz: orders no script issues, nothing the protocol forbids, budgets kept, samples clean", async () => {
  const seen = new Set<string>();
  for (const driver of ["active.ts", "passive.ts"]) {
    for (let seed = 1; seed <= 12; seed++) {
      const { summary, sends } = await fuzz(driver, seed);
      const label = `${driver} seed ${seed}`;
      assert.equal(summary.ok, true, `${label}: ${summary.failure ?? summary.violations[0]?.detail ?? summary.problems.join("; ")}`);
      assert.deepEqual(summary.violations, [], label);
      const counts = new Map<string, number>();
      for (const r of summary.requests) counts.set(r.name, (counts.get(r.name) ?? 0) + 1);
      for (const [name, n] of counts) assert.ok(n <= 3, `${label}: ${name} issued ${n} times (budget 3)`);
      // One request at a time: each is answered before the next is sent.
      for (let i = 1; i < summary.requests.length; i++)
        assert.ok(summary.requests[i]!.sentUs >= summary.requests[i - 1]!.repliedUs!, `${label}: request ${i} waited for the reply before it`);
      for (const s of sends) seen.add(s);
    }
  }
  // The state recorded is the one the message arrived in.
  assert.ok(
    [...seen].some((s) => s === "txTimeout@closing" || s === "txTimeout@closed"),
    `txTimeout outside the open state: ${[...seen].join(" ")}`,
  );
  assert.ok(seen.has("suspend@open"), "suspend issued");
});

test("protocol-fuzz: the recorded choices replay to the same trace", async () => {
  const module = loadDriver(path.join(rtl, "threaded.ts")).exports as never;
  const recording = new RecordingChooser(randomChooser(5));
  const first = await runScenario(module, "protocol-fuzz", { chooser: recording });
  const again = await runScenario(module, "protocol-fuzz", { chooser: replayChooser(recording.choices) });
  assert.ok(recording.kinds.includes("os-activity"));
  assert.equal(JSON.stringify(again.trace), JSON.stringify(first.trace));
  // All zeros: the OS only waits; frames never flow since nothing opens the interface.
  const idle = await runScenario(module, "protocol-fuzz", { chooser: replayChooser([]) });
  assert.deepEqual(idle.requests, []);
  assert.equal(idle.ok, true);
});

test("a scenario file with workload.mode: a wrong mode is refused, naming the file and field", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-mode-"));
  try {
    const good = path.join(dir, "fuzz.json");
    fs.writeFileSync(good, JSON.stringify({ name: "fuzz", workload: { mode: "protocol", requestBudget: 1 } }));
    assert.equal(loadScenarioFile(good).workload.mode, "protocol");
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ workload: { mode: "chaos" } }));
    assert.throws(
      () => loadScenarioFile(bad),
      (e: Error) => e.message.startsWith(`${bad}: workload.mode: "chaos" is not one of script, protocol`),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
