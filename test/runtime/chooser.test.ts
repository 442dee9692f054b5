// The Chooser: seeded runs keep arrival order; a recorded schedule replays to the same trace, byte
// for byte; a chooser that picks another ready thread changes which thread resumes first; the ready
// queue keeps arrival order among many threads.
import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { defineDriver, launch } from "active-driver";
import { pctChooser, randomChooser, RecordingChooser, replayChooser, seededChooser, type Chooser } from "active-driver/explore";
import { loadDriver } from "active-driver/host";
import { runScenario } from "active-driver/nic";
import { Free } from "./helpers";

const samples = path.resolve(__dirname, "..", "..", "samples", "rtl8169");

/** Two threads, each waiting on its own mailbox; both get a message while the main thread runs. */
function twoThreads(got: string[]) {
  return defineDriver({ protocol: Free }, async ({ wait, send, spawn, mailbox, mb }) => {
    const x = mailbox<number>("x");
    const y = mailbox<number>("y");
    spawn("tx", async ({ wait: w }) => {
      got.push(`tx ${(await w(x)).msg}`);
    });
    spawn("ty", async ({ wait: w }) => {
      got.push(`ty ${(await w(y)).msg}`);
    });
    await wait(mb.a);
    send(x, 1);
    send(y, 2);
    await wait(mb.b);
  });
}

const always = (pick: (options: number) => number): Chooser => ({ choose: (kind, options) => (kind === "thread" ? pick(options) : 0) });

describe("Chooser", () => {
  it("seeded: threads resume in arrival order; a chooser may pick another ready thread", async () => {
    for (const [chooser, expected] of [
      [seededChooser(1), ["tx 1", "ty 2"]],
      [always(() => 0), ["tx 1", "ty 2"]],
      [always((n) => n - 1), ["ty 2", "tx 1"]],
    ] as const) {
      const got: string[] = [];
      const inst = launch(twoThreads(got), { chooser });
      await inst.idle();
      inst.os.a(0);
      await inst.idle();
      assert.deepEqual(got, expected);
      await inst.stop();
    }
  });

  it("random and pct: over seeds, both orders of two ready threads come up", async () => {
    for (const make of [(seed: number) => randomChooser(seed), (seed: number) => pctChooser({ seed, depth: 2, steps: 4 })]) {
      const orders = new Set<string>();
      for (let seed = 1; seed <= 16; seed++) {
        const got: string[] = [];
        const inst = launch(twoThreads(got), { chooser: make(seed) });
        await inst.idle();
        inst.os.a(0);
        await inst.idle();
        orders.add(got.join(","));
        await inst.stop();
      }
      assert.deepEqual([...orders].sort(), ["tx 1,ty 2", "ty 2,tx 1"]);
    }
  });

  it("replay: past the end of the list, or out of range, a decision takes 0", () => {
    const c = replayChooser([2, 5, 1]);
    assert.deepEqual([c.choose("gap", 3), c.choose("gap", 3), c.choose("thread", 1), c.choose("gap", 2), c.choose("gap", 9)], [2, 0, 0, 1, 0]);
  });

  it("random and pct answer the same for the same seed, in range", () => {
    for (const make of [() => randomChooser(4), () => pctChooser({ seed: 4, depth: 3, steps: 20 })]) {
      const a = make();
      const b = make();
      const xs = Array.from({ length: 50 }, (_, i) => a.choose(i % 2 === 0 ? "thread" : "gap", 1 + (i % 5), (k) => `t${k}`));
      const ys = Array.from({ length: 50 }, (_, i) => b.choose(i % 2 === 0 ? "thread" : "gap", 1 + (i % 5), (k) => `t${k}`));
      assert.deepEqual(xs, ys);
      xs.forEach((x, i) => assert.ok(x >= 0 && x < 1 + (i % 5)));
    }
  });

  it("pct: without change points (depth 1) the same activity always wins when it is an option", () => {
    const c = pctChooser({ seed: 9, depth: 1, steps: 10 });
    const first = c.choose("thread", 3, (k) => ["a", "b", "c"][k]!);
    const name = ["a", "b", "c"][first]!;
    for (let i = 0; i < 20; i++) {
      const order = i % 2 === 0 ? ["c", "b", "a"] : ["b", "a", "c"];
      assert.equal(order[c.choose("thread", 3, (k) => order[k]!)], name);
    }
  });

  for (const driver of ["threaded.ts", "passive.ts"]) {
    it(`${driver}: the recorded choices of a random run replay to the same trace, byte for byte`, async () => {
      const module = loadDriver(path.join(samples, driver)).exports as never;
      const recording = new RecordingChooser(randomChooser(11));
      const first = await runScenario(module, "tx-timeout", { chooser: recording });
      assert.ok(recording.choices.length > 100, `${recording.choices.length} decisions`);
      const again = await runScenario(module, "tx-timeout", { chooser: replayChooser(recording.choices) });
      assert.equal(JSON.stringify(again.trace), JSON.stringify(first.trace));
      const fromList = await runScenario(module, "tx-timeout", { schedule: recording.choices });
      assert.equal(JSON.stringify(fromList.trace), JSON.stringify(first.trace), "RunOptions.schedule replays the same");
      const seeded = await runScenario(module, "tx-timeout", { seed: 11 });
      assert.notEqual(JSON.stringify(seeded.trace), JSON.stringify(first.trace), "a random chooser is not the seeded one");
    });
  }

  it("many threads: each message goes to its thread, in arrival order", async () => {
    const got: number[] = [];
    const n = 2000;
    const driver = defineDriver({ protocol: Free }, async ({ wait, send, spawn, mailbox, mb }) => {
      const boxes = Array.from({ length: n }, (_, i) => mailbox<number>(`m${i}`));
      boxes.forEach((box, i) =>
        spawn(`t${i}`, async ({ wait: w }) => {
          got.push((await w(box)).msg);
        }),
      );
      await wait(mb.a);
      // Sent in a scrambled order: the threads resume in that order.
      for (let i = 0; i < n; i++) send(boxes[(i * 7919) % n]!, (i * 7919) % n);
    });
    const inst = launch(driver, { trace: false });
    await inst.idle();
    inst.os.a(0);
    await inst.idle();
    assert.deepEqual(
      got,
      Array.from({ length: n }, (_, i) => (i * 7919) % n),
    );
    await inst.stop();
  });
});
