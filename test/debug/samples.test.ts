// The stdio adapter on the shipped samples (active.ts, threaded.ts, passive.ts) and the tx-timeout
// scenario: stepping through the run message by message (a passive driver: entry-point call by
// entry-point call) and back, as the DAP contract describes.
import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { ROOT, evaluate, launch, scopeVariables, startStdio, stopAfter, variable, whereAmI, type Client } from "./helpers";

const ACTIVE = path.join(ROOT, "samples", "rtl8169", "active.ts");
const THREADED = path.join(ROOT, "samples", "rtl8169", "threaded.ts");
const PASSIVE = path.join(ROOT, "samples", "rtl8169", "passive.ts");
const TIMEOUT = { timeout: 180_000 };

/** 1-based line of the first line of `file` matching `pattern`. */
function lineMatching(file: string, pattern: RegExp): number {
  const i = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => pattern.test(l));
  assert.ok(i >= 0, `${file}: no line matches ${pattern}`);
  return i + 1;
}

describe("debugging the rtl8169 samples on tx-timeout", () => {
  let client: Client;
  let traced: DebugProtocol.Event["body"][] = [];
  beforeEach(async () => {
    client = await startStdio();
    traced = [];
    client.dc.on("activeDriver.trace", (e: DebugProtocol.Event) => traced.push(...(e.body as { events: unknown[] }).events));
  });
  afterEach(async () => {
    await client.close();
  });

  const delivered = (): number => traced.filter((e) => (e as { kind: string }).kind === "deliver").length;

  test("entry, threads, txTimeout breakpoint, two steps, Protocol scope, step back, reverse continue, evaluate, terminate", TIMEOUT, async () => {
    const { dc } = client;
    const entry = await launch(dc, { driver: ACTIVE, scenario: "tx-timeout", seed: 1, stopOnEntry: true }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    assert.equal(entry.body.reason, "entry");
    const threads = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.deepEqual(threads, ["main", "OS side", "NIC"]);

    const hit = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(hit.body.reason, "function breakpoint");
    const atTimeout = await whereAmI(dc);
    assert.equal(atTimeout.mailbox, "txTimeout");
    const frames = (await dc.stackTraceRequest({ threadId: hit.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.source?.path, ACTIVE);
    assert.match(fs.readFileSync(ACTIVE, "utf8").split("\n")[frames[0]!.line - 1]!, /d\.wait\(/, "stopped at the wait that receives txTimeout");
    assert.equal(await evaluate(dc, "state"), "open");

    const deliveredBefore = delivered();
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    const one = await whereAmI(dc);
    assert.equal(one.position, atTimeout.position + 1);
    assert.ok(one.seq > atTimeout.seq);
    assert.equal(delivered(), deliveredBefore + 1, "exactly the held txTimeout was delivered");
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    const two = await whereAmI(dc);
    assert.equal(two.position, one.position + 1);
    assert.ok(two.seq > one.seq);

    const protocol = await scopeVariables(dc, "Protocol");
    assert.equal(variable(protocol, "state").value, "open");
    assert.match(variable(protocol, "enabled").value, /txTimeout/);
    const device = await scopeVariables(dc, "Device");
    assert.ok(device.some((v) => v.name === "IntrStatus"));
    assert.match(await evaluate(dc, "ChipCmd"), /0x/);

    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    assert.deepEqual(await whereAmI(dc), one, "step back: the delivery held before the last next");
    const reverse = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(reverse.body.reason, "function breakpoint");
    assert.deepEqual(await whereAmI(dc), atTimeout);

    const terminated = dc.waitForEvent("terminated");
    await dc.terminateRequest();
    await terminated;
  });

  test("line breakpoints: a wait line is verified and hit, a plain line is not, with the reason", TIMEOUT, async () => {
    const { dc } = client;
    const waitOpen = lineMatching(ACTIVE, /await d\.wait\(close, xmit, txTimeout/);
    const plain = lineMatching(ACTIVE, /const hw = new Rtl8169Hw/);
    await launch(dc, { driver: ACTIVE, scenario: "tx-timeout", seed: 1, stopOnEntry: true }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: ACTIVE }, breakpoints: [{ line: waitOpen }, { line: plain }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
      assert.equal(r.body.breakpoints[1]!.verified, false);
      assert.match(r.body.breakpoints[1]!.message ?? "", /wait\(\.\.\.\) or send\(\.\.\.\)/);
    });
    const hit = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(hit.body.reason, "breakpoint");
    const frames = (await dc.stackTraceRequest({ threadId: hit.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, waitOpen);
  });

  test("threaded.ts: each cooperative thread is a DAP thread, stopped at its own wait", TIMEOUT, async () => {
    const { dc } = client;
    await launch(dc, { driver: THREADED, scenario: "tx-timeout", seed: 1, stopOnEntry: true }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    const threads = (await dc.threadsRequest()).body.threads;
    const names = threads.map((t) => t.name);
    assert.deepEqual(names.slice(-2), ["OS side", "NIC"]);
    const driverThreads = threads.slice(0, -2);
    assert.ok(driverThreads.length >= 2, `driver threads: ${names.join(", ")}`);
    assert.equal(new Set(threads.map((t) => t.id)).size, threads.length, "distinct ids");
    for (const t of driverThreads) {
      const top = (await dc.stackTraceRequest({ threadId: t.id })).body.stackFrames[0]!;
      assert.equal(top.source?.path, THREADED, `${t.name} has a source location`);
      assert.match(top.name, /^wait\(|sleep/, `${t.name}: ${top.name}`);
    }
  });

  test("passive.ts: stops before each entry-point call; txTimeout function breakpoint, next, step back, reverse continue", TIMEOUT, async () => {
    const { dc } = client;
    const notes: string[] = [];
    dc.on("output", (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === "important") notes.push(e.body.output);
    });
    const entry = await launch(dc, { driver: PASSIVE, scenario: "tx-timeout", seed: 1, stopOnEntry: true }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    assert.equal(entry.body.reason, "entry");
    assert.ok(
      notes.some((n) => /passive driver: the debugger stops before each entry-point call/.test(n)),
      notes.join(""),
    );
    const first = await whereAmI(dc);
    assert.deepEqual([first.position, first.mailbox], [0, "open"], "held before the OS calls open");
    const openFrames = (await dc.stackTraceRequest({ threadId: entry.body.threadId! })).body.stackFrames;
    assert.equal(openFrames[0]!.source?.path, PASSIVE);
    assert.equal(openFrames[0]!.line, lineMatching(PASSIVE, /^\s*async open\(\) \{/), "at the open entry point");
    // The contexts seen so far: the OS thread calling open, "kernel" (the setup that probed the card).
    const threads = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    assert.deepEqual([...threads].sort(), ["NIC", "OS side", "kernel", "open"]);

    const hit = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(hit.body.reason, "function breakpoint");
    const atTimeout = await whereAmI(dc);
    assert.equal(atTimeout.mailbox, "txTimeout");
    assert.equal(await evaluate(dc, "delivery.thread"), "txTimeout", "called by the OS watchdog's thread");
    const frames = (await dc.stackTraceRequest({ threadId: hit.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.source?.path, PASSIVE);
    assert.equal(frames[0]!.line, lineMatching(PASSIVE, /^\s*txTimeout\(\) \{/), "stopped at the txTimeout entry point");
    assert.equal(await evaluate(dc, "state"), "open");
    const names = (await dc.threadsRequest()).body.threads.map((t) => t.name);
    for (const name of ["open", "xmit", "interrupt", "txTimeout", "OS side", "NIC"]) assert.ok(names.includes(name), `threads: ${names.join(", ")}`);

    const deliveredBefore = delivered();
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    const one = await whereAmI(dc);
    assert.equal(one.position, atTimeout.position + 1);
    assert.equal(delivered(), deliveredBefore + 1, "exactly the held txTimeout call was made");
    assert.ok(traced.some((e) => (e as { kind: string; mailbox?: string }).kind === "deliver" && (e as { mailbox?: string }).mailbox === "txTimeout"));
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    const two = await whereAmI(dc);
    assert.equal(two.position, one.position + 1);
    // txTimeout deferred the reset with k.schedule: the worker runs it, at the k.schedule call.
    const kinds = [one, two].map((w) => w.mailbox);
    assert.ok(kinds.includes("work"), `after txTimeout: ${kinds.join(", ")}`);

    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    assert.deepEqual(await whereAmI(dc), one, "step back: the call held before the last next");
    const reverse = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(reverse.body.reason, "function breakpoint");
    assert.deepEqual(await whereAmI(dc), atTimeout);
    assert.ok(!notes.some((n) => /diverged/.test(n)), `replays repeat the run: ${notes.join("")}`);
  });

  test("passive.ts: a line breakpoint on an entry point's first line is verified and hit", TIMEOUT, async () => {
    const { dc } = client;
    const irqLine = lineMatching(PASSIVE, /^\s*irq\(\) \{/);
    const plain = lineMatching(PASSIVE, /const hw = new Rtl8169Hw/);
    await launch(dc, { driver: PASSIVE, scenario: "tx-timeout", seed: 1, stopOnEntry: false }, async () => {
      const r = await dc.setBreakpointsRequest({ source: { path: PASSIVE }, breakpoints: [{ line: irqLine }, { line: plain }] });
      assert.deepEqual(
        r.body.breakpoints.map((b) => b.verified),
        [true, false],
      );
    }).then((hit) => assert.equal(hit.body.reason, "breakpoint"));
    assert.equal(await evaluate(dc, "delivery.mailbox"), "irq");
    assert.equal(await evaluate(dc, "delivery.thread"), "interrupt");
    const threadId = (await dc.threadsRequest()).body.threads.find((t) => t.name === "interrupt")!.id;
    const top = (await dc.stackTraceRequest({ threadId })).body.stackFrames[0]!;
    assert.deepEqual([top.source?.path, top.line], [PASSIVE, irqLine]);
    assert.match(top.name, /^irq\(\{isr:/);
  });
});
