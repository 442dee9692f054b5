// The stepping gate (for the debugger; for passive drivers too) and the inspection snapshots.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, definePassiveDriver, launch, type DeliveryEvent, type DeviceHost, type DeviceModel, type DmaRegion } from "active-driver";
import * as path from "node:path";
import { loadDriver } from "active-driver/host";
import { runScenario } from "active-driver/nic";
import { Ethernet, Free, lineOf, turn } from "./helpers";

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

  it("hands over the message itself, at the gate and to trace listeners as it is sent", async () => {
    const sent = { frame: new Uint8Array([1, 2, 3]) };
    const seen: unknown[] = [];
    const heard: [string, unknown][] = [];
    const echo = defineDriver({ protocol: Free }, async ({ wait, send, mb }) => {
      const r = await wait(mb.ping);
      send(mb.pong, r.msg);
    });
    const inst = launch(echo, { gate: (event) => void seen.push(event.message) });
    inst.onEvent((event, message) => heard.push([event.kind, message]));
    const reply = inst.os.ping(sent as unknown as number);
    await inst.idle();
    assert.equal(await reply, sent);
    assert.deepEqual(seen, [undefined, sent], "start carries no message; ping carries the very object sent");
    assert.equal(seen[1], sent);
    const sends = heard.filter(([kind]) => kind === "send");
    assert.equal(sends.length, 2, "ping in, pong out");
    assert.ok(
      sends.every(([, message]) => message === sent),
      "both sends hand listeners the object itself",
    );
    assert.ok(heard.filter(([kind]) => kind !== "send").every(([, message]) => message === undefined || message === sent));
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
    assert.deepEqual(inst.threads(), [
      { name: "main", status: "waiting", waitingOn: ["a"], loc: { file: __filename, line: lineOf(__filename, "INSPECT-WAIT"), column: 15 } },
    ]);
    await inst.stop();
    await assert.rejects(owed, /never replied/);
  });
});

/** Raises interrupt `value` when register 0 is written. */
class Doorbell implements DeviceModel {
  static readonly deviceName = "doorbell";
  readonly name = "doorbell";
  private host!: DeviceHost;
  attach(host: DeviceHost): void {
    this.host = host;
  }
  read(): number {
    return 0;
  }
  write(reg: number, _width: 1 | 2 | 4, value: number): void {
    if (reg === 0) this.host.interrupt(value);
  }
  dma(bytes: number): DmaRegion {
    const b = new Uint8Array(bytes);
    return { addr: 0, size: bytes, bytes: b, view: new DataView(b.buffer) };
  }
  detach(): void {}
}

describe("delivery gate, passive drivers", () => {
  it("is called before each entry-point call (OS thread, interrupt context) and each run of scheduled work", async () => {
    const log: string[] = [];
    const passive = definePassiveDriver({ protocol: Ethernet, device: Doorbell }, (k) => ({
      open() {
        log.push("open");
        k.dev.write8(0, 5);
        return { status: 0 };
      },
      close: () => ({ status: 0 }),
      xmit({ frame }) {
        log.push(`xmit ${frame.length}`);
      },
      txTimeout() {
        log.push("txTimeout");
        k.schedule(() => void log.push("work")); // PASSIVE-SCHEDULE
      },
      irq({ isr }) {
        log.push(`irq ${isr}`);
      },
    }));
    const events: DeliveryEvent[] = [];
    const inst = launch(passive, {
      gate: (event) => {
        events.push(event);
        log.push(`gate ${event.mailbox}`);
      },
    });
    const opened = inst.os.open();
    assert.deepEqual(log, [], "gated: the entry point runs after the calling OS step, not inside it");
    assert.deepEqual(await opened, { status: 0 });
    await inst.idle();
    inst.os.txTimeout();
    inst.os.xmit({ frame: new Uint8Array(3) });
    await inst.idle();
    assert.deepEqual(log, ["gate open", "open", "gate irq", "irq 5", "gate txTimeout", "txTimeout", "gate xmit", "xmit 3", "gate work", "work"]);
    assert.deepEqual(
      events.map((e) => [e.kind, e.thread, e.mailbox, e.payload, e.from, e.state]),
      [
        ["message", "open", "open", "", "os", "opening"],
        ["message", "interrupt", "irq", "{isr:5}", "nic", "open"],
        ["message", "txTimeout", "txTimeout", "", "os", "open"],
        ["message", "xmit", "xmit", "{frame:Uint8Array(3)}", "os", "open"],
        ["work", "worker", "work", "", "txTimeout", "open"],
      ],
    );
    assert.deepEqual(
      events.map((e) => e.seq),
      [0, 1, 2, 3, 4],
      "numbered in arrival order",
    );
    assert.equal(events[4]?.loc?.line, lineOf(__filename, "PASSIVE-SCHEDULE"), "scheduled work: where k.schedule was called");
    assert.equal(events[0]?.loc, undefined);
    assert.ok(inst.trace.some((e) => e.kind === "deliver" && e.from === "thread:interrupt" && e.mailbox === "irq"));
  });

  it("holds the call while the gate's promise is pending: the entry point has not run, its thread is runnable, the clock stands", async () => {
    const log: string[] = [];
    const passive = definePassiveDriver({ protocol: Ethernet }, (k) => ({
      async open() {
        await k.sleep(1);
        log.push("open");
        return { status: 0 };
      },
      close: () => ({ status: 0 }),
      xmit() {
        log.push("xmit");
      },
      txTimeout() {
        log.push("txTimeout");
      },
    }));
    let release: () => void = () => {};
    const inst = launch(passive, {
      gate: (event) => (event.mailbox === "txTimeout" ? new Promise<void>((resolve) => (release = resolve)) : undefined),
    });
    const opened = inst.os.open();
    await turn();
    inst.os.txTimeout();
    inst.os.xmit({ frame: new Uint8Array(1) });
    const settled = inst.idle();
    await turn();
    await turn();
    assert.deepEqual(log, [], "held at txTimeout: neither it nor the later xmit ran, open still sleeps");
    assert.equal(inst.now(), 0, "no timer runs while held");
    assert.deepEqual(
      inst.threads().map((t) => `${t.name}:${t.status}`),
      ["open:sleeping", "txTimeout:runnable"],
    );
    assert.equal(inst.threads()[0]?.wakeAt, 1000);
    assert.match(String(inst.threads()[0]?.loc?.file), /gate\.test\.ts$/, "gated: where the call blocks");
    release();
    await settled;
    assert.deepEqual(log, ["txTimeout", "xmit", "open"]);
    assert.deepEqual(await opened, { status: 0 });
  });

  it("without a gate: entry points run inside the OS call, as before", async () => {
    const log: string[] = [];
    const passive = definePassiveDriver({ protocol: Ethernet }, () => ({
      open: () => ({ status: 0 }),
      close: () => ({ status: 0 }),
      xmit() {
        log.push("xmit");
      },
      txTimeout() {},
    }));
    const inst = launch(passive);
    inst.os.xmit({ frame: new Uint8Array(1) });
    assert.deepEqual(log, ["xmit"]);
  });

  it("the same seed gives the same trace, wherever the gate holds (the debugger's replays rely on it)", async () => {
    const passiveSample = loadDriver(path.resolve(__dirname, "..", "..", "samples", "rtl8169", "passive.ts"));
    const run = async (hold: (i: number) => boolean, seed = 1): Promise<{ trace: string; calls: string[] }> => {
      const calls: string[] = [];
      const summary = await runScenario(passiveSample.exports as never, "tx-timeout", {
        seed,
        gate: (event) => {
          calls.push(`${event.kind}:${event.thread}:${event.mailbox}`);
          return hold(calls.length - 1) ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined;
        },
      });
      assert.equal(summary.ok, true, JSON.stringify([summary.problems, summary.violations, summary.failure]));
      return { trace: JSON.stringify(summary.trace), calls };
    };
    const free = await run(() => false);
    assert.ok(
      free.calls.includes("message:txTimeout:txTimeout") && free.calls.includes("work:worker:work") && free.calls.includes("message:interrupt:irq"),
      free.calls.slice(0, 5).join(", "),
    );
    assert.equal((await run(() => false)).trace, free.trace, "same seed, same trace");
    const held = await run((i) => i % 3 === 1 || i === free.calls.indexOf("message:txTimeout:txTimeout"));
    assert.equal(held.trace, free.trace, "holding some calls changes nothing");
    assert.deepEqual(held.calls, free.calls);
    assert.notEqual((await run(() => false, 2)).trace, free.trace, "another seed, another run");
  });
});
