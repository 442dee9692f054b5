// Domain semantics: arrival order, earliest-arrived wait, cooperative threads, internal mailboxes,
// one waiter per mailbox, direction errors.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, launch } from "active-driver";
import { Free, lineOf } from "./helpers";

describe("delivery order", () => {
  it("a wait on more than eight mailboxes takes the earliest arrival; shorter waits after it see only their own", async () => {
    const got: string[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ wait, send, mailbox, mb }) => {
      const boxes = Array.from({ length: 10 }, (_, i) => mailbox<number>(`q${i}`));
      send(boxes[9], 9);
      send(boxes[3], 3);
      const [b0, b1, b2, b3, b4, b5, b6, b7, b8, b9] = boxes;
      const first = await wait(b0!, b1!, b2!, b3!, b4!, b5!, b6!, b7!, b8!, b9!);
      got.push(`${first.name}=${String(first.msg)}`);
      const second = await wait(boxes[3], boxes[9]);
      got.push(`${second.name}=${String(second.msg)}`);
      const third = await wait(mb.a);
      got.push(`${third.name}=${String(third.msg)}`);
    });
    const inst = launch(driver);
    await inst.idle();
    assert.deepEqual(got, ["q9=9", "q3=3"]);
    inst.os.a(1);
    await inst.idle();
    assert.deepEqual(got, ["q9=9", "q3=3", "a=1"]);
  });

  it("delivers in global arrival order across the waited mailboxes", async () => {
    const got: string[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) {
        const r = await wait(mb.a, mb.b, mb.c);
        got.push(`${r.name}${r.msg}`);
      }
    });
    const inst = launch(driver);
    inst.os.b(1);
    inst.os.a(2);
    inst.os.c(3);
    inst.os.a(4);
    inst.os.b(5);
    await inst.idle();
    assert.deepEqual(got, ["b1", "a2", "c3", "a4", "b5"]);
    assert.deepEqual(
      inst.trace.filter((e) => e.kind === "deliver").map((e) => e.mailbox),
      ["b", "a", "c", "a", "b"],
    );
  });

  it("wait returns the earliest-arrived message among its own mailboxes; others stay queued", async () => {
    const got: string[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      got.push(`${(await wait(mb.a, mb.b)).msg}`);
      got.push(`${(await wait(mb.a, mb.b)).msg}`);
      got.push(`${(await wait(mb.c)).msg}`);
    });
    const inst = launch(driver);
    inst.os.c(1);
    inst.os.b(2);
    inst.os.a(3);
    await inst.idle();
    assert.deepEqual(got, ["2", "3", "1"]);
  });

  it("hands a message to a thread that already waits (no queueing) and keeps FIFO per mailbox", async () => {
    const got: number[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      for (;;) got.push((await wait(mb.a)).msg);
    });
    const inst = launch(driver);
    await inst.idle();
    for (let i = 0; i < 5; i++) inst.os.a(i);
    await inst.idle();
    inst.os.a(5);
    await inst.idle();
    assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  });
});

describe("cooperative threads", () => {
  it("runs one thread at a time: a thread is not interrupted between waits, even across microtasks", async () => {
    const log: string[] = [];
    const driver = defineDriver({ protocol: Free }, async (d) => {
      d.spawn("B", async ({ wait, mb }) => {
        for (;;) log.push(`B got ${(await wait(mb.b)).msg}`);
      });
      for (;;) {
        const r = await d.wait(d.mb.a);
        log.push(`A got ${r.msg}`);
        await Promise.resolve(); // not a wait: the domain must not switch threads here
        await new Promise<void>((resolve) => queueMicrotask(resolve));
        log.push(`A done ${r.msg}`);
      }
    });
    const inst = launch(driver);
    inst.os.a(1);
    inst.os.b(2);
    await inst.idle();
    inst.os.b(3);
    inst.os.a(4);
    await inst.idle();
    assert.deepEqual(log, ["A got 1", "A done 1", "B got 2", "B got 3", "A got 4", "A done 4"]);
  });

  it("a spawned thread starts when the spawning thread waits, in arrival order with messages", async () => {
    const log: string[] = [];
    const driver = defineDriver({ protocol: Free }, async ({ spawn, wait, mb }) => {
      await wait(mb.b);
      spawn("child", () => {
        log.push("child runs");
      });
      log.push("parent continues");
      await wait(mb.a);
      log.push("parent got a");
    });
    const inst = launch(driver);
    inst.os.b(0);
    inst.os.a(1); // arrives before the child's start: the parent takes it first
    await inst.idle();
    assert.deepEqual(log, ["parent continues", "parent got a", "child runs"]);
    log.length = 0;
    const second = launch(driver);
    second.os.b(0);
    await second.idle();
    second.os.a(1);
    await second.idle();
    assert.deepEqual(log, ["parent continues", "child runs", "parent got a"]);
    const inspected = second;
    assert.deepEqual(
      inspected.threads().map((t) => [t.name, t.status]),
      [
        ["main", "ended"],
        ["child", "ended"],
      ],
    );
  });

  it("threads talk through internal mailboxes, and replies reach the OS caller", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ spawn, wait, send, mailbox, mb }) => {
      const work = mailbox<number>("work");
      spawn("worker", async (w) => {
        for (;;) {
          const job = await w.wait(work);
          w.send(mb.pong, job.msg * 2);
        }
      });
      for (;;) {
        const r = await wait(mb.ping);
        send(work, r.msg + 1);
      }
    });
    const inst = launch(driver);
    assert.equal(await inst.os.ping(20), 42);
    assert.equal(await inst.os.ping(1), 4);
    const work = inst.mailboxes().find((m) => m.name === "work");
    assert.equal(work?.direction, "internal");
    assert.equal(work?.sent, 2);
    assert.equal(work?.waiter, "worker");
  });

  it("mailbox(name) returns the same internal mailbox for the same name", async () => {
    let same = false;
    const driver = defineDriver({ protocol: Free }, ({ mailbox }) => {
      same = mailbox("x") === mailbox("x");
    });
    const inst = launch(driver);
    await inst.idle();
    assert.equal(same, true);
  });
});

describe("mailbox rules", () => {
  it("a second thread waiting on a mailbox is an error naming both threads", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ spawn, wait, mb }) => {
      spawn("second", async (d) => {
        await d.wait(d.mb.a); // SECOND-WAIT
      });
      await wait(mb.a);
    });
    const inst = launch(driver);
    await assert.rejects(inst.idle(), /thread "second" waits on mailbox "a", on which thread "main" already waits/);
    assert.equal(inst.status, "faulted");
    assert.match(inst.failure!.message, new RegExp(`scheduling\\.test\\.ts:${lineOf(__filename, "SECOND-WAIT")}:`));
  });

  it("waiting on an outgoing mailbox is a clear error", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ wait, mb }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await wait(mb.pong as any); // WAIT-OUT
    });
    const inst = launch(driver);
    await assert.rejects(inst.idle(), /waits on outgoing mailbox "pong": outgoing mailboxes carry messages from the driver to the OS/);
    assert.match(inst.failure!.message, new RegExp(`:${lineOf(__filename, "WAIT-OUT")}:`));
  });

  it("sending on an incoming mailbox is a clear error", async () => {
    const driver = defineDriver({ protocol: Free }, async ({ send, mb }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      send(mb.a as any, 1); // SEND-IN
    });
    const inst = launch(driver);
    await assert.rejects(inst.idle(), /sends on incoming mailbox "a": incoming mailboxes carry messages to the driver/);
    assert.match(inst.failure!.message, new RegExp(`:${lineOf(__filename, "SEND-IN")}:`));
  });

  it("rejects mailboxes of another instance and wait() without mailboxes", async () => {
    let foreign: unknown;
    const other = launch(
      defineDriver({ protocol: Free }, ({ mb }) => {
        foreign = mb.a;
      }),
    );
    await other.idle();
    const inst = launch(
      defineDriver({ protocol: Free }, async ({ wait }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await wait(foreign as any);
      }),
    );
    await assert.rejects(inst.idle(), /argument 1 is not a mailbox of this driver/);
    const none = launch(
      defineDriver({ protocol: Free }, async ({ wait }) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        await (wait as any)();
      }),
    );
    await assert.rejects(none.idle(), /wait\(\) needs at least one mailbox/);
  });

  it("internal mailbox names cannot shadow protocol messages or irq; thread names are unique", async () => {
    const shadow = launch(defineDriver({ protocol: Free }, ({ mailbox }) => void mailbox("a")));
    await assert.rejects(shadow.idle(), /mailbox\("a"\): the name is taken by a protocol message/);
    const twice = launch(
      defineDriver({ protocol: Free }, ({ spawn }) => {
        spawn("t", () => {});
        spawn("t", () => {});
      }),
    );
    await assert.rejects(twice.idle(), /spawn\("t"\): a thread with that name already exists/);
  });
});

describe("launch and d", () => {
  it("accepts the module object or the definition, and rejects anything else", async () => {
    const definition = defineDriver({ protocol: Free }, async ({ wait, send, mb }) => {
      for (;;) send(mb.pong, (await wait(mb.ping)).msg);
    });
    assert.equal(await launch({ default: definition }).os.ping(7), 7);
    assert.equal(await launch(definition).os.ping(8), 8);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    assert.throws(() => launch({} as any), /launch: expected a driver module/);
  });

  it("gives drivers without a device an inert one: reads 0, writes ignored, DMA works, irq never fires", async () => {
    let read = -1;
    let dmaSize = 0;
    const driver = defineDriver({ protocol: Free }, async ({ dev, wait, mb }) => {
      dev.write8(0x37, 0x10);
      dev.write32(0x20, 0xdeadbeef);
      read = dev.read8(0x37) + dev.read16(0x3e) + dev.read32(0x20);
      dmaSize = dev.dma(256).bytes.length;
      const r = await wait(dev.irq, mb.a);
      assert.equal(r.name, "a");
    });
    const inst = launch(driver);
    inst.os.a(1);
    await inst.idle();
    assert.equal(read, 0);
    assert.equal(dmaSize, 256);
    assert.equal(inst.device.name, "none");
    assert.equal(inst.mailboxes().find((m) => m.name === "irq")?.sent, 0);
  });

  it("members of d work destructured and called unbound", async () => {
    const driver = defineDriver({ protocol: Free }, async (d) => {
      const { wait, send, mb, log, sleep } = d;
      const w = wait;
      const r = await w.call(undefined, mb.ping);
      log.call(null, "got", r.msg);
      await sleep.call(undefined, 1);
      send.call(undefined, mb.pong, r.msg + 1);
    });
    const inst = launch(driver);
    const reply = inst.os.ping(1);
    await inst.idle();
    assert.equal(await reply, 2);
    assert.equal(inst.now(), 1000);
  });
});
