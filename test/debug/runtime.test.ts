// DriverDebugRuntime without DAP (it knows none): the driver runs in a worker, pause, replay is
// deterministic and notices a driver changed on disk, restart, and no worker outlives terminate.
import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isMainThread, threadId } from "node:worker_threads";
import { DriverDebugRuntime, type StopInfo } from "../../client/src/debug/runtime";
import { liveWorkerCount } from "../../client/src/debug/workerHandle";
import { FEW_FRAMES, fixture } from "./helpers";

const TIMEOUT = { timeout: 180_000 };

function nextStop(rt: DriverDebugRuntime): Promise<StopInfo> {
  return once(rt, "stopped").then(([stop]) => stop as StopInfo);
}

async function startAt(rt: DriverDebugRuntime, driver: string, stopOnEntry = true): Promise<StopInfo> {
  const stopped = nextStop(rt);
  await rt.start({ driver, scenario: FEW_FRAMES, seed: 1, stopOnEntry });
  return stopped;
}

async function step(rt: DriverDebugRuntime, op: () => Promise<void>): Promise<StopInfo> {
  const stopped = nextStop(rt);
  await op();
  return stopped;
}

describe("DriverDebugRuntime", () => {
  const runtimes: DriverDebugRuntime[] = [];
  const make = (): DriverDebugRuntime => {
    const rt = new DriverDebugRuntime();
    runtimes.push(rt);
    return rt;
  };
  afterEach(async () => {
    for (const rt of runtimes.splice(0)) await rt.terminate();
  });

  test("the driver runs in a worker thread; its console output is captured, not written to stdout", TIMEOUT, async () => {
    assert.equal(isMainThread, true);
    const rt = make();
    const output: [string, string][] = [];
    rt.on("output", (text, category) => output.push([text, category]));
    await startAt(rt, fixture("whereami.ts"));
    await step(rt, () => rt.next());
    await step(rt, () => rt.next());
    const line = output.find(([text]) => text.startsWith("driver thread:"));
    assert.ok(line !== undefined, JSON.stringify(output));
    assert.match(line[0], /isMainThread=false/);
    assert.doesNotMatch(line[0], new RegExp(`threadId=${threadId}\\b`));
    await rt.terminate();
    const console = output
      .filter(([, category]) => category === "stdout")
      .map(([text]) => text)
      .join("");
    assert.match(console, /console\.log from the driver/);
  });

  test("pause stops a running driver at its next delivery", TIMEOUT, async () => {
    const rt = make();
    const entry = await startAt(rt, fixture("sink.ts"));
    const paused = nextStop(rt);
    await rt.continue();
    rt.pause(); // read synchronously by the worker's gate: the very next delivery holds
    const stop = await paused;
    assert.equal(stop.reason, "pause");
    assert.equal(stop.position, entry.position + 1);
    assert.equal(stop.delivery?.mailbox, "open");
  });

  test("replays are deterministic: stepping back and forth gives the same deliveries", TIMEOUT, async () => {
    const rt = make();
    await startAt(rt, fixture("sink.ts"));
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await step(rt, () => rt.next());
      seen.push(`${s.position}:${s.delivery?.mailbox}#${s.delivery?.seq}`);
    }
    const recorded = rt.history.deliveries.slice(0, 7).map((d) => `${d.position}:${d.mailbox}#${d.seq}`);
    for (let i = 0; i < 3; i++) await step(rt, () => rt.stepBack());
    assert.equal(rt.stop?.position, 3);
    assert.equal(`${rt.stop?.position}:${rt.stop?.delivery?.mailbox}#${rt.stop?.delivery?.seq}`, seen[2]);
    for (let i = 0; i < 3; i++) await step(rt, () => rt.next());
    assert.equal(`${rt.stop?.position}:${rt.stop?.delivery?.mailbox}#${rt.stop?.delivery?.seq}`, seen[5]);
    assert.deepEqual(
      rt.history.deliveries.slice(0, 7).map((d) => `${d.position}:${d.mailbox}#${d.seq}`),
      recorded,
    );
    assert.ok(rt.workerCount <= 2, "the running worker and at most one spare");
    assert.equal(liveWorkerCount(), rt.workerCount, "each replay replaced the worker: none left over");
  });

  test("a replay notices a driver changed on disk and shows the new run", TIMEOUT, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-replay-"));
    try {
      fs.copyFileSync(fixture("protocol.ts"), path.join(dir, "protocol.ts"));
      const driver = path.join(dir, "sink.ts");
      fs.copyFileSync(fixture("sink.ts"), driver);
      const rt = make();
      const notes: string[] = [];
      const resets: number[] = [];
      rt.on("output", (text, category) => category === "important" && notes.push(text));
      rt.on("trace", (events, reset) => reset && resets.push(events.length));
      await startAt(rt, driver);
      for (let i = 0; i < 3; i++) await step(rt, () => rt.next());
      assert.equal(notes.length, 0);
      // Edit the driver: the open reply changes, so the replay's trace differs from the record.
      fs.writeFileSync(driver, fs.readFileSync(driver, "utf8").replace("{ status: 0 }); // @send-open", "{ status: 0, edited: 1 }); // @send-open"));
      await step(rt, () => rt.stepBack());
      assert.equal(notes.length, 1, notes.join(""));
      assert.match(notes[0]!, /Replay diverged from the recorded run at trace event \d+/);
      assert.ok(resets.length >= 1, "the views were given the new run");
      assert.ok(
        rt.history.events.some((e) => e.payload?.includes("edited")),
        "the history is the new run's",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("restart runs again from the start; reverse continue finds the previous breakpoint hit", TIMEOUT, async () => {
    const rt = make();
    await startAt(rt, fixture("sink.ts"));
    rt.setFunctionBreakpoints(["txTimeout"]);
    const first = await step(rt, () => rt.continue());
    const second = await step(rt, () => rt.continue());
    assert.equal(first.reason, "function breakpoint");
    assert.equal(second.reason, "function breakpoint");
    assert.ok(second.position > first.position);
    assert.deepEqual(rt.previousHit(second.position)?.position, first.position);
    const back = await step(rt, () => rt.reverseContinue());
    assert.equal(back.position, first.position);
    assert.equal(back.reason, "function breakpoint");
    const again = await step(rt, () => rt.restart());
    assert.equal(again.reason, "entry");
    assert.equal(again.position, 0);
    assert.equal(rt.history.deliveries.length, 1, "restart starts a new history");
  });

  test("terminate leaves no worker behind, also after replays", TIMEOUT, async () => {
    const before = liveWorkerCount();
    const rt = make();
    await startAt(rt, fixture("sink.ts"));
    await step(rt, () => rt.next());
    await step(rt, () => rt.next());
    await step(rt, () => rt.stepBack());
    assert.ok(rt.workerCount >= 1 && rt.workerCount <= 2);
    assert.equal(liveWorkerCount(), before + rt.workerCount);
    await rt.terminate();
    assert.equal(rt.workerCount, 0);
    assert.equal(liveWorkerCount(), before);
  });

  test("a run that ends by itself ends its worker and reports the exit code", TIMEOUT, async () => {
    const before = liveWorkerCount();
    const rt = make();
    const ended = once(rt, "end");
    await rt.start({ driver: fixture("sink.ts"), scenario: FEW_FRAMES, seed: 1, stopOnEntry: false });
    const [code] = (await ended) as [number];
    assert.equal(code, 1, "the sink driver loses its frames: not ok");
    assert.equal(liveWorkerCount(), before);
    assert.ok(rt.history.deliveries.length > 20);
  });
});
