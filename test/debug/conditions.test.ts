// Conditional breakpoints, hit counts and logpoints through DebugClient (the session served in this
// process, as the extension host runs it): conditions on line and function breakpoints see the
// message, counts are from the start of the run and survive step back and reverse continue,
// logpoints print once, and conditions that fail are reported without ending the session.
// The run: sink.ts on few-frames, seed 1: open, 24 xmit (frames of 114..1513 bytes), two txTimeout, close.
import { test, describe, afterEach } from "node:test";
import assert from "node:assert/strict";
import type { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { evaluate, fixture, launch, lineOf, startInline, stopAfter, whereAmI } from "./helpers";

const TIMEOUT = { timeout: 180_000 };
const SINK = fixture("sink.ts");

interface Traced {
  kind: string;
  mailbox?: string;
  payload?: string;
  seq: number;
}

/** Records what a session says: trace events, output by category, breakpoint events. */
function listen(dc: DebugClient): { trace: Traced[]; output: DebugProtocol.OutputEvent["body"][]; changed: DebugProtocol.Breakpoint[] } {
  const seen = { trace: [] as Traced[], output: [] as DebugProtocol.OutputEvent["body"][], changed: [] as DebugProtocol.Breakpoint[] };
  dc.on("activeDriver.trace", (e: DebugProtocol.Event) => seen.trace.push(...(e.body as { events: Traced[] }).events));
  dc.on("output", (e: DebugProtocol.OutputEvent) => seen.output.push(e.body));
  dc.on("breakpoint", (e: DebugProtocol.BreakpointEvent) => seen.changed.push(e.body.breakpoint));
  return seen;
}

const frameLength = (payload: string | undefined): number => Number(/Uint8Array\((\d+)\)/.exec(payload ?? "")?.[1] ?? NaN);

/** The next stop after `request`, or undefined when the session ends instead. */
function nextStopOrEnd(dc: DebugClient, request: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent | undefined> {
  return new Promise((resolve, reject) => {
    const onStop = (e: DebugProtocol.StoppedEvent): void => {
      dc.removeListener("terminated", onEnd);
      resolve(e);
    };
    const onEnd = (): void => {
      dc.removeListener("stopped", onStop);
      resolve(undefined);
    };
    dc.once("stopped", onStop);
    dc.once("terminated", onEnd);
    request().catch(reject);
  });
}

/** Continues until the run ends; the stops on the way. */
async function stopsToEnd(dc: DebugClient): Promise<{ text: string; position: number; payload: string; ids: number[] }[]> {
  const stops: { text: string; position: number; payload: string; ids: number[] }[] = [];
  for (;;) {
    const next = await nextStopOrEnd(dc, () => dc.continueRequest({ threadId: 3 }));
    if (next === undefined) return stops;
    stops.push({
      text: next.body.text ?? "",
      position: Number(await evaluate(dc, "position")),
      payload: await evaluate(dc, "delivery.payload"),
      ids: next.body.hitBreakpointIds ?? [],
    });
  }
}

describe("conditional breakpoints, hit counts and logpoints", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function start(): Promise<DebugClient> {
    const client = await startInline();
    closers.push(client.close);
    return client.dc;
  }

  test("initialize declares conditions, hit counts and logpoints", TIMEOUT, async () => {
    const dc = await start();
    const caps = (await dc.initializeRequest()).body!;
    assert.equal(caps.supportsConditionalBreakpoints, true);
    assert.equal(caps.supportsHitConditionalBreakpoints, true);
    assert.equal(caps.supportsLogPoints, true);
    assert.equal(caps.supportsFunctionBreakpoints, true);
  });

  test("a function breakpoint's condition sees the message: it stops only at frames over 1000 bytes", TIMEOUT, async () => {
    const dc = await start();
    const seen = listen(dc);
    let id = -1;
    await launch(dc, { driver: SINK }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", condition: 'm.name === "xmit" && m.frame.length > 1000' }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
      id = r.body.breakpoints[0]!.id!;
    });
    const stops = await stopsToEnd(dc);
    const big = seen.trace.filter((e) => e.kind === "deliver" && e.mailbox === "xmit" && frameLength(e.payload) > 1000);
    assert.ok(big.length >= 2 && big.length < 24, "the run has frames on both sides of 1000 bytes");
    assert.equal(stops.length, big.length, stops.map((s) => s.payload).join(" | "));
    for (const stop of stops) {
      assert.ok(frameLength(stop.payload) > 1000, stop.payload);
      assert.match(stop.text, /^Message on mailbox xmit: .*\(m\.name === "xmit" && m\.frame\.length > 1000\)$/);
      assert.deepEqual(stop.ids, [id], "the stop names the breakpoint that hit");
    }
  });

  test("line breakpoint conditions: on a wait line by mailbox and protocol state, on a send line by the payload sent", TIMEOUT, async () => {
    const dc = await start();
    const seen = listen(dc);
    await launch(dc, { driver: SINK }, async () => {
      const r = await dc.setBreakpointsRequest({
        source: { path: SINK },
        breakpoints: [
          { line: lineOf(SINK, "send-open"), condition: 'm.status === 0 && to === "os" && thread === "main"' },
          { line: lineOf(SINK, "wait-open"), condition: 'name === "txTimeout" && state === "open"' },
        ],
      });
      assert.deepEqual(
        r.body.breakpoints.map((b) => b.verified),
        [true, true],
      );
    });
    const stops = await stopsToEnd(dc);
    const timeouts = seen.trace.filter((e) => e.kind === "deliver" && e.mailbox === "txTimeout").length;
    assert.ok(timeouts >= 1);
    assert.equal(stops.length, 1 + timeouts, stops.map((s) => s.text).join(" | "));
    assert.match(stops[0]!.text, /^send openComplete at sink\.ts:\d+ \(m\.status === 0/);
    for (const stop of stops.slice(1)) assert.match(stop.text, /^txTimeout #\d+ -> main at sink\.ts:\d+/);

    // The same send line with a condition that never holds: the run goes by.
    const dc2 = await start();
    await launch(dc2, { driver: SINK }, async () => {
      await dc2.setBreakpointsRequest({ source: { path: SINK }, breakpoints: [{ line: lineOf(SINK, "send-open"), condition: "m.status !== 0" }] });
    });
    assert.deepEqual(await stopsToEnd(dc2), []);
  });

  test('hit counts: "3" is the third hit only, ">= 23" every hit from the 23rd; editing the count keeps it', TIMEOUT, async () => {
    const dc = await start();
    let id = -1;
    await launch(dc, { driver: SINK }, async () => {
      id = (await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", hitCondition: "3" }] })).body.breakpoints[0]!.id!;
    });
    const third = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.match(third.body.text ?? "", /\(hit 3\)$/);
    assert.deepEqual(third.body.hitBreakpointIds, [id]);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", hitCondition: ">= 23" }] });
    const stops = await stopsToEnd(dc);
    assert.deepEqual(
      stops.map((s) => /\(hit (\d+)\)/.exec(s.text)?.[1]),
      ["23", "24"],
    );
  });

  test("step back and reverse continue respect conditions and hit counts: replays count nothing twice", TIMEOUT, async () => {
    const dc = await start();
    await launch(dc, { driver: SINK }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", condition: "m.frame.length > 1000", hitCondition: "% 2" }] });
    });
    const forward = async (): Promise<string> => (await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }))).body.text ?? "";
    const reverse = async (): Promise<string> => (await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }))).body.text ?? "";
    const hitOf = (text: string): number => Number(/\(hit (\d+),/.exec(text)?.[1]);

    assert.equal(hitOf(await forward()), 2);
    const second = await whereAmI(dc);
    assert.equal(hitOf(await forward()), 4);
    const fourth = await whereAmI(dc);
    assert.equal(hitOf(await forward()), 6);
    const sixth = await whereAmI(dc);
    assert.ok(second.position < fourth.position && fourth.position < sixth.position);

    assert.equal(hitOf(await reverse()), 4);
    assert.deepEqual(await whereAmI(dc), fourth);
    assert.equal(hitOf(await reverse()), 2);
    assert.deepEqual(await whereAmI(dc), second);
    const atStart = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(atStart.body.reason, "entry", "no hit before the second one");

    // Forward again after the replays: the same hits at the same messages.
    assert.equal(hitOf(await forward()), 2);
    assert.deepEqual(await whereAmI(dc), second);
    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    assert.equal(hitOf(await forward()), 2, "stepping back over a hit and on again does not count it twice");
    assert.deepEqual(await whereAmI(dc), second);
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    assert.equal(hitOf(await forward()), 4);
    assert.deepEqual(await whereAmI(dc), fourth);
  });

  test("a hit count set in the middle of the run counts from the start of the run, forwards and backwards", TIMEOUT, async () => {
    const dc = await start();
    const seen = listen(dc);
    await launch(dc, { driver: SINK }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    const before = seen.trace.filter((e) => e.kind === "deliver" && e.mailbox === "xmit").length;
    assert.ok(before >= 3, "some frames went by before the txTimeout");
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", hitCondition: "% 3" }] });
    const expected = Math.ceil((before + 1) / 3) * 3;
    const next = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.match(next.body.text ?? "", new RegExp(`\\(hit ${expected}\\)$`), "the count includes the frames before the breakpoint was set");
    const back = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.match(back.body.text ?? "", new RegExp(`\\(hit ${expected - 3}\\)$`));
    assert.equal(await evaluate(dc, "delivery.mailbox"), "xmit");
    // A condition set now: reverse continue evaluates it on the messages already passed.
    const smallest = Math.min(...seen.trace.filter((e) => e.kind === "deliver" && e.mailbox === "xmit").map((e) => frameLength(e.payload)));
    const at = await whereAmI(dc);
    await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", condition: `m.frame.length === ${smallest}` }] });
    const found = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.match(found.body.text ?? "", new RegExp(`\\(m\\.frame\\.length === ${smallest}\\)$`));
    assert.equal(frameLength(await evaluate(dc, "delivery.payload")), smallest);
    assert.ok((await whereAmI(dc)).position < at.position);
  });

  test("logpoints print their message with {expressions} and never stop; a position passed again prints nothing twice", TIMEOUT, async () => {
    const dc = await start();
    const seen = listen(dc);
    const waitOpen = lineOf(SINK, "wait-open");
    await launch(dc, { driver: SINK }, async () => {
      const r = await dc.setBreakpointsRequest({
        source: { path: SINK },
        breakpoints: [{ line: waitOpen, logMessage: "{name} of {m.frame?.length ?? 0} bytes in {state} {m.nope.deeper}" }],
      });
      assert.equal(r.body.breakpoints[0]!.verified, true);
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    const logged = (): DebugProtocol.OutputEvent["body"][] => seen.output.filter((o) => o.category === "stdout" && o.line === waitOpen);
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    const first = logged().length;
    assert.ok(first >= 2, "the deliveries at the wait line before the txTimeout, and the txTimeout's");
    const line = logged()[0]!;
    assert.match(line.output, /^xmit of \d+ bytes in open <TypeError: Cannot read properties of undefined \(reading 'deeper'\)>\n$/);
    assert.equal(line.source?.path, SINK);
    assert.match(logged()[first - 1]!.output, /^txTimeout of 0 bytes in open /);

    await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(logged().length, first, "replays print nothing");
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(logged().length, first, "the positions printed already print nothing twice");
    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    assert.deepEqual(await stopsToEnd(dc), [], "logpoints never stop");
    const atWait = seen.trace.filter((e) => e.kind === "deliver" && ["xmit", "txTimeout", "close"].includes(e.mailbox ?? "")).length;
    assert.equal(logged().length, atWait, "one line per delivery at the wait line");
  });

  test("conditions that do not compile, throw, loop or reach for the host are reported, and the session goes on", TIMEOUT, async () => {
    const dc = await start();
    const seen = listen(dc);
    const waitOpen = lineOf(SINK, "wait-open");
    const sendOpen = lineOf(SINK, "send-open");
    await launch(dc, { driver: SINK, stopOnEntry: true }, async () => {
      const lines = await dc.setBreakpointsRequest({
        source: { path: SINK },
        breakpoints: [
          { line: waitOpen, condition: "m.frame.length >" },
          { line: sendOpen, condition: "(() => { for (;;) {} })()" },
          { line: lineOf(SINK, "wait-closed"), logMessage: "bad {m.}" },
        ],
      });
      const [syntax, loops, badLog] = lines.body.breakpoints;
      assert.equal(syntax!.verified, false);
      assert.match(syntax!.message ?? "", new RegExp(`^sink\\.ts:${waitOpen}: condition "m\\.frame\\.length >" does not compile: SyntaxError`));
      assert.equal(loops!.verified, true, "compiles: it fails only when run");
      assert.equal(badLog!.verified, false);
      assert.match(badLog!.message ?? "", /log message part \{m\.\} does not compile/);
      const fns = await dc.setFunctionBreakpointsRequest({
        breakpoints: [
          { name: "xmit", hitCondition: "often" },
          { name: "txTimeout", condition: "m.frame.length > 0" },
          { name: "close", condition: "process.exit(3)" },
        ],
      });
      const [badCount, throws, host] = fns.body.breakpoints;
      assert.equal(badCount!.verified, false);
      assert.match(badCount!.message ?? "", /^function breakpoint "xmit": hit count "often" is not one/);
      assert.equal(throws!.verified, true);
      assert.equal(host!.verified, true);
    });
    const stops = await stopsToEnd(dc);
    assert.deepEqual(stops, [], "a failing condition counts as false");
    const exited = seen.output.some((o) => /scenario few-frames, seed 1/.test(o.output));
    assert.ok(exited, "the run went to its end");

    const byMessage = (pattern: RegExp): DebugProtocol.Breakpoint | undefined => seen.changed.find((b) => pattern.test(b.message ?? ""));
    const loop = byMessage(/took longer than/);
    assert.ok(loop !== undefined && loop.verified === false);
    assert.match(
      loop.message!,
      new RegExp(
        `^breakpoint at sink\\.ts:${sendOpen}: condition "\\(\\(\\) => \\{ for \\(;;\\) \\{\\} \\}\\)\\(\\)" took longer than 1000 ms on main's send of openComplete; it is no longer evaluated$`,
      ),
    );
    assert.equal(loop.line, sendOpen);
    const thrown = byMessage(/TypeError/);
    assert.ok(thrown !== undefined && thrown.verified === false);
    assert.match(
      thrown.message!,
      /^function breakpoint "txTimeout": condition "m\.frame\.length > 0" threw TypeError: Cannot read properties of undefined \(reading 'length'\) on txTimeout #\d+ -> main; taken as false$/,
    );
    assert.match(byMessage(/process/)?.message ?? "", /threw ReferenceError: process is not defined on close #\d+/);
    assert.equal(seen.changed.filter((b) => /TypeError/.test(b.message ?? "")).length, 1, "reported once, not at each txTimeout");
    const errors = seen.output.filter((o) => o.category === "stderr").map((o) => o.output);
    assert.ok(
      errors.some((e) => /^breakpoint at sink\.ts:\d+: condition .* took longer than 1000 ms/.test(e)),
      errors.join(""),
    );
    assert.ok(
      errors.some((e) => /^function breakpoint "txTimeout": condition .* threw TypeError/.test(e)),
      errors.join(""),
    );
  });
});
