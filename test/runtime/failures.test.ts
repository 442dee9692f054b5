// Errors, never a hang: a throwing driver, runaway loops, foreign awaits, unbounded queues.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, launch } from "active-driver";
import { Ethernet, Free, lineOf } from "./helpers";

const echo = defineDriver({ protocol: Free }, async ({ wait, send, mb }) => {
  for (;;) send(mb.pong, (await wait(mb.ping)).msg);
});

describe("driver failures", () => {
  it("a driver that throws faults its instance; pending calls reject with the error naming file and line; others live on", async () => {
    const bystander = launch(echo);
    assert.equal(await bystander.os.ping(1), 1);
    const broken = defineDriver({ protocol: Ethernet }, async ({ wait, mb }) => {
      await wait(mb.open);
      throw new Error("init failed"); // DRIVER-THROW
    });
    const inst = launch(broken);
    const pending = inst.os.open();
    const error = await pending.then(
      () => assert.fail("open should reject"),
      (e: unknown) => e as Error,
    );
    const line = lineOf(__filename, "DRIVER-THROW");
    assert.match(error.message, new RegExp(`driver thread "main" failed at .*failures\\.test\\.ts:${line}:\\d+: init failed`));
    assert.equal(inst.status, "faulted");
    assert.equal(inst.failure, error);
    await assert.rejects(inst.idle(), (e) => e === error);
    await assert.rejects(inst.os.open(), (e) => e === error, "later requests reject with the same failure");
    inst.os.txTimeout(); // notifications to a faulted driver are dropped, not thrown
    const fault = inst.trace.find((e) => e.kind === "fault");
    assert.equal(fault?.fault, "driver-error");
    assert.equal(fault?.loc?.line, line);
    assert.equal(await bystander.os.ping(2), 2, "another instance keeps working");
    assert.equal(await launch(echo).os.ping(3), 3, "new instances start fine");
  });

  it("a driver whose main throws synchronously faults the same way", async () => {
    const inst = launch(
      defineDriver({ protocol: Free }, () => {
        throw new TypeError("bad config"); // SYNC-THROW
      }),
    );
    await assert.rejects(inst.idle(), new RegExp(`failures\\.test\\.ts:${lineOf(__filename, "SYNC-THROW")}:\\d+: TypeError: bad config`));
  });

  it("an async loop that never waits (awaiting resolved promises) is stopped by the step budget", async () => {
    const spin = defineDriver({ protocol: Ethernet }, async ({ wait, dev, mb }) => {
      await wait(mb.open);
      for (;;) {
        await Promise.resolve();
        if (dev.read8(0x37) === 0xff) break; // SPIN-READ
      }
    });
    const inst = launch(spin, { stepBudget: 1000 });
    const pending = inst.os.open();
    await assert.rejects(
      pending,
      new RegExp(`driver thread "main" made 1000 driver calls without waiting.*failures\\.test\\.ts:${lineOf(__filename, "SPIN-READ")}:`),
    );
    assert.equal(inst.status, "faulted");
  });

  it("a synchronous register-polling loop is stopped by the step budget too", async () => {
    const poll = defineDriver({ protocol: Ethernet }, async ({ wait, dev, mb }) => {
      await wait(mb.open);
      dev.write8(0x37, 0x10);
      while ((dev.read8(0x37) & 0x10) === 0) {
        // the inert device reads 0: this never ends by itself
      }
    });
    const inst = launch(poll, { stepBudget: 5000 });
    await assert.rejects(inst.os.open(), /made 5000 driver calls without waiting/);
  });

  it("a thread awaiting something foreign forever is reported instead of hanging idle()", async () => {
    const stuck = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      await wait(mb.a);
      await new Promise<void>(() => {}); // never settles: not a wait, not a sleep
    });
    const inst = launch(stuck, { maxBusyTurns: 20 });
    inst.os.a(1);
    await assert.rejects(inst.idle(), /driver thread "main" neither waits nor ends: it made no progress for 20 event-loop turns/);
    assert.equal(inst.status, "faulted");
  });

  it("a domain whose queues grow without bound is stopped", async () => {
    const deaf = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) await wait(mb.a);
    });
    const inst = launch(deaf, { maxQueued: 10 });
    for (let i = 0; i < 20; i++) inst.os.b(i);
    await assert.rejects(inst.idle(), /mailbox "b" holds 11 messages \(maxQueued 10\): the driver does not take them \(grows without bound\)/);
  });

  it("idle() gives up on endless timers with an error; advance() runs them in bounded steps", async () => {
    const ticking = defineDriver({ protocol: Free }, async ({ sleep }) => {
      for (;;) await sleep(1);
    });
    const inst = launch(ticking, { maxTimerEvents: 50 });
    await assert.rejects(inst.idle(), /idle\(\): 50 timer events ran and timers are still pending/);
    const other = launch(ticking);
    await other.advance(10_000);
    assert.equal(other.now(), 10_000);
  });

  it("errors thrown by OS-side timers and listeners surface from the next idle()", async () => {
    const inst = launch(echo);
    inst.after(5, () => {
      throw new Error("workload bug");
    });
    await assert.rejects(inst.idle(), /workload bug/);
    await inst.idle();
    assert.equal(inst.status, "running");
  });
});
