// The stepping gate (for the debugger) and the inspection snapshots.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, definePassiveDriver, launch, type DeliveryEvent } from "active-driver";
import { Ethernet, Free, lineOf } from "./helpers";

const driver = defineDriver({ protocol: Free }, async ({ wait, send, mb }) => {
  for (;;) {
    const r = await wait(mb.a, mb.ping); // GATE-WAIT
    if (r.name === "ping") send(mb.pong, r.msg);
    else handled.push(r.msg);
  }
});
const handled: number[] = [];

describe("delivery gate", () => {
  it("is called before each delivery and holds the domain while its promise is pending", async () => {
    handled.length = 0;
    const events: DeliveryEvent[] = [];
    let release: () => void = () => {};
    let holding = false;
    const inst = launch(driver, {
      gate: (event) => {
        events.push(event);
        if (!holding) return;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await inst.idle();
    assert.deepEqual(
      events.map((e) => `${e.thread}:${e.mailbox}`),
      ["main:start"],
    );
    holding = true;
    inst.os.a(1);
    inst.os.a(2);
    const settled = inst.idle();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(handled, [], "held before delivering a=1");
    assert.equal(events.at(-1)?.mailbox, "a");
    assert.equal(events.at(-1)?.payload, "1");
    assert.equal(events.at(-1)?.loc?.line, lineOf(__filename, "GATE-WAIT"));
    assert.equal(inst.mailboxes().find((m) => m.name === "a")?.length, 1, "a=2 still queued");
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(handled, [1]);
    holding = false;
    release();
    await settled;
    assert.deepEqual(handled, [1, 2]);
    assert.deepEqual(
      events.map((e) => `${e.mailbox}:${e.payload}`),
      ["start:", "a:1", "a:2"],
    );
  });
});

describe("inspection", () => {
  it("mailboxes() shows queues, waiters, counts and owed replies; threads() where each thread waits", async () => {
    const inst = launch(
      defineDriver({ protocol: Free }, async ({ wait, mb }) => {
        await wait(mb.a); // INSPECT-WAIT
        await wait(mb.c);
      }),
    );
    inst.os.b(5);
    inst.os.b(6);
    const owed = inst.os.ping(1);
    await inst.idle();
    const byName = new Map(inst.mailboxes().map((m) => [m.name, m]));
    assert.deepEqual(byName.get("b"), { name: "b", direction: "in", length: 2, queued: ["5", "6"], sent: 2, delivered: 0 });
    assert.equal(byName.get("a")?.waiter, "main");
    assert.deepEqual(byName.get("pong")?.queued, ["ping (since 0 µs)"]);
    assert.equal(byName.get("irq")?.direction, "in");
    assert.deepEqual(inst.threads(), [{ name: "main", status: "waiting", waitingOn: ["a"], loc: { file: __filename, line: lineOf(__filename, "INSPECT-WAIT"), column: 15 } }]);
    await inst.stop();
    await assert.rejects(owed, /never replied/);
  });
});

describe("delivery gate, passive drivers", () => {
  it("is not called: a passive driver has no deliveries to hold", async () => {
    const asked: string[] = [];
    const passive = definePassiveDriver({ protocol: Ethernet }, () => ({
      open: () => ({ status: 0 }),
      close: () => ({ status: 0 }),
      xmit() {},
      txTimeout() {},
    }));
    const inst = launch(passive, { gate: (event) => void asked.push(event.mailbox) });
    assert.deepEqual(await inst.os.open(), { status: 0 });
    await inst.idle();
    assert.deepEqual(asked, []);
  });
});
