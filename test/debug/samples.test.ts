// The stdio adapter on the shipped sample samples/rtl8169/active.ts and the tx-timeout scenario:
// stepping through the run message by message and back, as the DAP contract describes.
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

describe("debugging samples/rtl8169/active.ts on tx-timeout", () => {
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

  test("passive.ts: no deliveries to stop at; the run goes to its end and says why", TIMEOUT, async () => {
    const { dc } = client;
    const notes: string[] = [];
    dc.on("output", (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === "important") notes.push(e.body.output);
    });
    const stop = await launch(dc, { driver: PASSIVE, scenario: "tx-timeout", seed: 1, stopOnEntry: true });
    assert.match(stop.body.text ?? "", /End of the run/);
    assert.ok(notes.some((n) => /passive driver/.test(n)), notes.join(""));
    assert.equal(await evaluate(dc, "state"), await evaluate(dc, "protocol.state"));
  });
});
