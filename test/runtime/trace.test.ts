// The trace: event kinds and fields, source locations, bounded payloads, determinism, live events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, launch, type DeviceHost, type DeviceModel, type DmaRegion } from "active-driver";
import { Ethernet, Free, lineOf } from "./helpers";

/** Raises interrupts at random virtual times drawn from the seeded host.random(). */
class NoisyDevice implements DeviceModel {
  static readonly deviceName = "noisy";
  readonly name = "noisy";
  private host!: DeviceHost;
  attach(host: DeviceHost): void {
    this.host = host;
    for (let i = 0; i < 5; i++) host.after(Math.floor(host.random() * 1000), () => host.interrupt(i));
  }
  read(): number {
    return Math.floor(this.host.random() * 256);
  }
  write(): void {
    this.host.trace({ kind: "device", detail: "register written" });
  }
  dma(bytes: number): DmaRegion {
    const b = new Uint8Array(bytes);
    return { addr: 0, size: bytes, bytes: b, view: new DataView(b.buffer) };
  }
  detach(): void {}
}

const nic = defineDriver({ protocol: Ethernet, device: NoisyDevice }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout); // T-WAIT-CLOSED
    if (a.mb !== open) continue;
    d.dev.write8(0x37, d.dev.read8(0x10));
    d.send(openComplete, { status: 0 }); // T-SEND-OPEN
    for (;;) {
      const r = await d.wait(close, xmit, txTimeout, d.dev.irq);
      if (r.name === "irq") d.log("irq", r.msg.isr);
      if (r.name === "xmit") await d.sleep(r.msg.frame.length / 100);
      if (r.name === "close") break;
    }
    d.send(closeComplete, { status: 0 });
  }
});

async function scenario(seed: number, trace: boolean | { locations: boolean } = true): Promise<string> {
  const inst = launch(nic, { seed, trace });
  await inst.os.open();
  for (let i = 0; i < 4; i++) inst.after(i * 200, () => inst.os.xmit({ frame: new Uint8Array(100 + i * 100) }));
  await inst.idle();
  inst.os.txTimeout();
  await inst.os.close();
  await inst.idle();
  return JSON.stringify(inst.trace);
}

describe("trace", () => {
  it("one seed gives a byte-identical trace; another seed a different one", async () => {
    const first = await scenario(42);
    const second = await scenario(42);
    assert.equal(second, first);
    assert.notEqual(await scenario(43), first);
  });

  it("records send/deliver/wait/wake/state/device/log with dense seq and non-decreasing virtual time", async () => {
    const events = JSON.parse(await scenario(1)) as { seq: number; time: number; kind: string }[];
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i),
    );
    for (let i = 1; i < events.length; i++) assert.ok(events[i].time >= events[i - 1].time, `time goes back at ${i}`);
    const kinds = new Set(events.map((e) => e.kind));
    for (const kind of ["send", "deliver", "wait", "wake", "state", "device", "log"]) assert.ok(kinds.has(kind), `missing ${kind}`);
  });

  it("gives wait/deliver/send events the driver's source location", async () => {
    const inst = launch(nic, { seed: 1 });
    await inst.os.open();
    const deliver = inst.trace.find((e) => e.kind === "deliver" && e.mailbox === "open");
    assert.equal(deliver?.loc?.file, __filename);
    assert.equal(deliver?.loc?.line, lineOf(__filename, "T-WAIT-CLOSED"));
    const send = inst.trace.find((e) => e.kind === "send" && e.mailbox === "openComplete");
    assert.equal(send?.from, "thread:main");
    assert.equal(send?.to, "os");
    assert.equal(send?.payload, "{status:0}");
    assert.equal(send?.loc?.line, lineOf(__filename, "T-SEND-OPEN"));
    const osSend = inst.trace.find((e) => e.kind === "send" && e.mailbox === "open");
    assert.equal(osSend?.from, "os");
    assert.equal(osSend?.to, "thread:main");
    const register = inst.trace.find((e) => e.kind === "device" && e.from === "thread:main");
    assert.match(register?.detail ?? "", /^read8\(0x10\) = 0x[0-9a-f]+$/);
    const deviceSide = inst.trace.find((e) => e.kind === "device" && e.from === "nic");
    assert.equal(deviceSide?.detail, "register written");
  });

  it("can leave out locations, or all events", async () => {
    const noLocations = JSON.parse(await scenario(5, { locations: false })) as { loc?: unknown }[];
    assert.ok(noLocations.length > 10);
    assert.ok(noLocations.every((e) => e.loc === undefined));
    assert.equal(await scenario(5, false), "[]");
  });

  it("bounds payload summaries", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) await wait(mb.a, mb.b);
    });
    const inst = launch(driver, { trace: { payloadChars: 20 } });
    inst.os.a(123456789);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    inst.os.b({ text: "x".repeat(1000), nested: { deep: { deeper: [1, 2, 3] } }, list: new Array(100).fill(7) } as any);
    await inst.idle();
    const payloads = inst.trace.filter((e) => e.kind === "send").map((e) => e.payload ?? "");
    assert.equal(payloads[0], "123456789");
    assert.equal(payloads[1].length, 20);
    assert.ok(payloads[1].startsWith('{text:"xxxx'));
    assert.ok(payloads[1].endsWith("…"));
  });

  it("streams events live to onEvent listeners until disposed", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) await wait(mb.a);
    });
    const inst = launch(driver);
    const seen: string[] = [];
    const dispose = inst.onEvent((e) => seen.push(`${e.seq}:${e.kind}:${e.mailbox ?? ""}`));
    inst.os.a(1);
    await inst.idle();
    assert.ok(seen.includes(`${inst.trace.length - 1}:${inst.trace[inst.trace.length - 1].kind}:${inst.trace[inst.trace.length - 1].mailbox ?? ""}`));
    assert.ok(seen.some((s) => s.endsWith(":send:a")));
    const count = seen.length;
    dispose();
    inst.os.a(2);
    await inst.idle();
    assert.equal(seen.length, count);
    const first = Number(seen[0].split(":")[0]);
    assert.deepEqual(
      inst.trace.slice(first, first + count).map((e) => `${e.seq}:${e.kind}:${e.mailbox ?? ""}`),
      seen,
      "the live events are the trace's events, in order, without gaps",
    );
  });
});
