// Virtual time: sleeps, timers in order, advance/runUntil, and the DeviceHost a device model gets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, launch, type DeviceHost, type DeviceModel, type DmaRegion } from "active-driver";
import { Free } from "./helpers";

/** A device that raises an interrupt `delay` µs after a write to register 0, and records its host. */
class TimerDevice implements DeviceModel {
  static readonly deviceName = "timer-device";
  static made = 0;
  readonly name = "timer-device";
  host: DeviceHost | undefined;
  detached = false;
  writes: number[] = [];
  constructor() {
    TimerDevice.made++;
  }
  attach(host: DeviceHost): void {
    this.host = host;
  }
  read(reg: number): number {
    return reg === 4 ? Math.floor(this.host!.random() * 1000) : 0;
  }
  write(reg: number, _width: 1 | 2 | 4, value: number): void {
    this.writes.push(value);
    if (reg === 0) this.host!.after(value, () => this.host!.interrupt(value));
  }
  dma(bytes: number): DmaRegion {
    const b = new Uint8Array(bytes);
    return { addr: 0x1000, size: bytes, bytes: b, view: new DataView(b.buffer) };
  }
  detach(): void {
    this.detached = true;
  }
}

describe("virtual clock", () => {
  it("sleep advances virtual time only, and sleeping threads wake in time order", async () => {
    const woke: string[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ spawn, sleep }) => {
      spawn("slow", async (d) => {
        await d.sleep(30);
        woke.push(`slow@${inst.now()}`);
      });
      spawn("fast", async (d) => {
        await d.sleep(10);
        woke.push(`fast@${inst.now()}`);
      });
      await sleep(20);
      woke.push(`main@${inst.now()}`);
    });
    const inst = launch(driver);
    await inst.idle();
    assert.deepEqual(woke, ["fast@10000", "main@20000", "slow@30000"]);
    assert.equal(inst.now(), 30000);
    const sleeps = inst.trace.filter((e) => e.kind === "wait" && e.detail?.startsWith("sleep"));
    assert.equal(sleeps.length, 3);
  });

  it("after() runs OS timers in time order, same-instant ones in the order set; advance stops at its target", async () => {
    const inst = launch(defineDriver({ protocol: Free }, () => {}));
    const order: string[] = [];
    inst.after(20, () => order.push("b@20"));
    inst.after(10, () => order.push("a@10"));
    inst.after(20, () => order.push("c@20"));
    const late = inst.after(50, () => order.push("late"));
    await inst.advance(20);
    assert.deepEqual(order, ["a@10", "b@20", "c@20"]);
    assert.equal(inst.now(), 20);
    late.cancel();
    await inst.idle();
    assert.deepEqual(order, ["a@10", "b@20", "c@20"]);
  });

  it("runUntil runs until a condition or a time, and fails clearly when nothing is left to run", async () => {
    const got: number[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) got.push((await wait(mb.a)).msg);
    });
    const inst = launch(driver);
    for (let i = 1; i <= 5; i++) inst.after(i * 100, () => inst.os.a(i));
    await inst.runUntil(() => got.length === 3);
    assert.deepEqual(got, [1, 2, 3]);
    assert.equal(inst.now(), 300);
    await inst.runUntil(450);
    assert.deepEqual(got, [1, 2, 3, 4]);
    assert.equal(inst.now(), 450);
    await assert.rejects(
      inst.runUntil(() => got.length === 10),
      /runUntil\(\): the condition is still false at 500 µs and nothing is scheduled/,
    );
  });

  it("unref'd timers do not keep idle() going", async () => {
    const inst = launch(defineDriver({ protocol: Free }, () => {}));
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      inst.after(1000, tick).unref();
    };
    inst.after(1000, tick).unref();
    inst.after(2500, () => {});
    await inst.idle();
    assert.equal(inst.now(), 2500);
    assert.equal(ticks, 2);
  });
});

describe("device host", () => {
  it("instantiates the driver's device class per launch and attaches it with a host on the virtual clock", async () => {
    const isrs: string[] = [];
    const driver = defineDriver({ protocol: Free, device: TimerDevice }, async ({ dev, wait }) => {
      dev.write8(0, 250);
      dev.write8(0, 100);
      for (;;) {
        const r = await wait(dev.irq);
        isrs.push(`${r.name}:${r.msg.isr}@${inst.now()}`);
      }
    });
    const before = TimerDevice.made;
    const inst = launch(driver);
    await inst.idle();
    assert.deepEqual(isrs, ["irq:100@100", "irq:250@250"]);
    assert.equal(TimerDevice.made, before + 1);
    const device = inst.device as TimerDevice;
    assert.deepEqual(device.writes, [250, 100]);
    assert.equal(device.host!.now(), 250);
    const irqEvents = inst.trace.filter((e) => e.kind === "send" && e.mailbox === "irq");
    assert.deepEqual(
      irqEvents.map((e) => [e.from, e.payload]),
      [
        ["nic", "{isr:100}"],
        ["nic", "{isr:250}"],
      ],
    );
    await inst.stop();
    assert.equal(device.detached, true);
    launch(driver);
    assert.equal(TimerDevice.made, before + 2, "a new device per launch");
  });

  it("uses options.device instead of the class, and seeds random() from the run's seed", async () => {
    const readings = async (seed: number): Promise<number[]> => {
      const values: number[] = [];
      const driver = defineDriver({ protocol: Free, device: TimerDevice }, ({ dev }) => {
        for (let i = 0; i < 5; i++) values.push(dev.read32(4));
      });
      const device = new TimerDevice();
      const inst = launch(driver, { seed, device });
      await inst.idle();
      assert.equal(inst.device, device);
      return values;
    };
    const a = await readings(7);
    assert.deepEqual(await readings(7), a);
    assert.notDeepEqual(await readings(8), a);
    assert.ok(
      a.some((v) => v !== a[0]),
      "the stream varies",
    );
    const w1 = launch(
      defineDriver({ protocol: Free }, () => {}),
      { seed: 3 },
    );
    const w2 = launch(
      defineDriver({ protocol: Free }, () => {}),
      { seed: 3 },
    );
    assert.deepEqual([w1.random(), w1.random()], [w2.random(), w2.random()]);
  });

  it("a device timer that throws faults the instance instead of crashing", async () => {
    class Broken extends TimerDevice {
      override attach(host: DeviceHost): void {
        super.attach(host);
        host.after(10, () => {
          throw new Error("device bug");
        });
      }
    }
    const inst = launch(defineDriver({ protocol: Free, device: Broken }, () => {}));
    await assert.rejects(inst.idle(), /device "timer-device" failed in a timer: device bug/);
    assert.equal(inst.status, "faulted");
  });
});
