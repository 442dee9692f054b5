// The passive runner: entry points called by OS threads, irq in interrupt context, deferred work,
// locks, the same launch()/inst.os interface and the same protocol monitor.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { definePassiveDriver, launch, type DeviceHost, type DeviceModel, type DmaRegion } from "active-driver";
import { Ethernet, lineOf } from "./helpers";

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

describe("passive drivers", () => {
  it("requests return the reply payload (sync or async), notifications return at once; the monitor follows", async () => {
    const calls: string[] = [];
    const driver = definePassiveDriver({ protocol: Ethernet }, (k) => ({
      open() {
        calls.push("open");
        return { status: 0 };
      },
      async close() {
        await k.sleep(2);
        calls.push("close");
        return { status: 7 };
      },
      xmit({ frame }) {
        calls.push(`xmit ${frame.length}`);
      },
      txTimeout() {
        calls.push("txTimeout");
      },
    }));
    const inst = launch(driver);
    assert.equal(inst.model, "passive");
    assert.deepEqual(await inst.os.open(), { status: 0 });
    assert.equal(inst.protocolState, "open");
    assert.equal(inst.os.xmit({ frame: new Uint8Array(3) }), undefined);
    assert.deepEqual(calls, ["open", "xmit 3"], "the entry point ran in the caller's (OS) thread");
    const closing = inst.os.close();
    await inst.idle();
    assert.deepEqual(await closing, { status: 7 });
    assert.equal(inst.now(), 2000);
    assert.equal(inst.protocolState, "closed");
    assert.equal(inst.violations.length, 0);
    inst.os.xmit({ frame: new Uint8Array(1) });
    assert.equal(inst.violations[0]?.kind, "unhandled");
    assert.equal(inst.violations[0]?.state, "closed");
  });

  it("device interrupts call irq in interrupt context, after the current step; schedule defers to a worker", async () => {
    const log: string[] = [];
    const driver = definePassiveDriver({ protocol: Ethernet, device: Doorbell }, (k) => ({
      open() {
        k.dev.write8(0, 5);
        log.push("open returns");
        return { status: 0 };
      },
      close: () => ({ status: 0 }),
      xmit() {},
      txTimeout() {
        k.schedule(() => {
          log.push("reset in worker");
        });
        log.push("txTimeout returns");
      },
      irq({ isr }) {
        log.push(`irq ${isr}`);
      },
    }));
    const inst = launch(driver);
    await inst.os.open();
    inst.os.txTimeout();
    assert.deepEqual(log, ["open returns", "txTimeout returns"]);
    await inst.idle();
    assert.deepEqual(log, ["open returns", "txTimeout returns", "irq 5", "reset in worker"]);
    assert.ok(inst.trace.some((e) => e.kind === "deliver" && e.from === "thread:interrupt" && e.mailbox === "irq" && e.payload === "{isr:5}"));
  });

  it("k.lock serialises entry points in FIFO order; unlocking a free lock is an error", async () => {
    const log: string[] = [];
    const driver = definePassiveDriver({ protocol: Ethernet }, (k) => ({
      async open() {
        await k.lock("rtnl");
        log.push("open in");
        await k.sleep(5);
        log.push("open out");
        k.unlock("rtnl");
        return { status: 0 };
      },
      close: () => ({ status: 0 }),
      async xmit() {
        await k.lock("rtnl");
        log.push("xmit in");
        k.unlock("rtnl");
      },
      txTimeout() {
        k.unlock("rtnl"); // UNLOCK-FREE
      },
    }));
    const inst = launch(driver);
    const opened = inst.os.open();
    inst.os.xmit({ frame: new Uint8Array(1) });
    await inst.idle();
    await opened;
    assert.deepEqual(log, ["open in", "open out", "xmit in"]);
    inst.os.txTimeout();
    await assert.rejects(inst.idle(), new RegExp(`k\\.unlock\\("rtnl"\\): the lock is not held.*passive\\.test\\.ts:${lineOf(__filename, "UNLOCK-FREE")}:`));
  });

  it("an entry point that throws faults the instance; the pending call rejects naming file and line", async () => {
    const driver = definePassiveDriver({ protocol: Ethernet }, () => ({
      async open(): Promise<{ status: number }> {
        await Promise.resolve();
        throw new Error("no link"); // PASSIVE-THROW
      },
      close: () => ({ status: 0 }),
      xmit() {},
      txTimeout() {},
    }));
    const inst = launch(driver);
    await assert.rejects(inst.os.open(), new RegExp(`entry point "open" failed at .*passive\\.test\\.ts:${lineOf(__filename, "PASSIVE-THROW")}:\\d+: no link`));
    assert.equal(inst.status, "faulted");
  });
});
