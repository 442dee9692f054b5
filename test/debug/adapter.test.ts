// The stdio debug adapter (dist/debugAdapter.js, as shipped) through DebugClient, on fixture
// drivers with a short scenario: capabilities, stop on entry, threads, breakpoints of each kind,
// stepping by message, step back and reverse continue by replay, variables, evaluate, events.
import { test, describe, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { evaluate, fixture, launch, lineOf, scopeVariables, startStdio, stopAfter, variable, whereAmI, type Client } from "./helpers";

const SINK = fixture("sink.ts");
const TIMEOUT = { timeout: 180_000 };

describe("stdio debug adapter", () => {
  let client: Client;
  beforeEach(async () => {
    client = await startStdio();
  });
  afterEach(async () => {
    await client.close();
  });

  test("initialize answers the contract's capabilities", TIMEOUT, async () => {
    const r = await client.dc.initializeRequest();
    const caps = r.body!;
    assert.equal(caps.supportsStepBack, true);
    assert.equal(caps.supportsFunctionBreakpoints, true);
    assert.equal(caps.supportsConfigurationDoneRequest, true);
    assert.equal(caps.supportsRestartRequest, true);
    assert.equal(caps.supportsTerminateRequest, true);
    assert.equal(caps.supportsEvaluateForHovers, true);
    assert.equal(caps.supportsConditionalBreakpoints, true);
    assert.equal(caps.supportsHitConditionalBreakpoints, true);
    assert.equal(caps.supportsLogPoints, true);
    assert.equal(caps.supportsBreakpointLocationsRequest, true);
    assert.equal(caps.supportsExceptionFilterOptions, true);
    assert.ok(caps.exceptionBreakpointFilters?.every((f) => f.supportsCondition === true && (f.conditionDescription ?? "").length > 0));
    assert.deepEqual(
      caps.exceptionBreakpointFilters?.map((f) => [f.filter, f.label]),
      [
        ["protocol", "Protocol violations"],
        ["error", "Driver errors"],
      ],
    );
  });

  test("launch stops on entry; threads are the driver's, the OS side and the NIC; main starts at defineDriver", TIMEOUT, async () => {
    const { dc } = client;
    const stop = await launch(dc, { driver: SINK });
    assert.equal(stop.body.reason, "entry");
    const threads = (await dc.threadsRequest()).body.threads;
    assert.deepEqual(
      threads.map((t) => t.name),
      ["main", "OS side", "NIC"],
    );
    const main = threads.find((t) => t.name === "main")!;
    assert.equal(stop.body.threadId, main.id);
    const frames = (await dc.stackTraceRequest({ threadId: main.id })).body.stackFrames;
    assert.equal(frames[0]!.source?.path, SINK);
    assert.match(fs.readFileSync(SINK, "utf8").split("\n")[frames[0]!.line - 1]!, /defineDriver\(/);
    assert.deepEqual(await whereAmI(dc), { position: 0, mailbox: "start", seq: 1 });
    // Every thread answers stackTrace, with ids that stay put.
    for (const t of threads) assert.ok((await dc.stackTraceRequest({ threadId: t.id })).body.stackFrames.length >= 1, t.name);
    assert.deepEqual((await dc.threadsRequest()).body.threads, threads);
  });

  test("function breakpoint on txTimeout; next delivers one message at a time; step back and reverse continue replay", TIMEOUT, async () => {
    const { dc } = client;
    await launch(dc, { driver: SINK }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    const hit = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(hit.body.reason, "function breakpoint");
    assert.match(hit.body.text ?? "", /txTimeout/);
    const atTimeout = await whereAmI(dc);
    assert.equal(atTimeout.mailbox, "txTimeout");
    const frames = (await dc.stackTraceRequest({ threadId: hit.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, lineOf(SINK, "wait-open"), "main waits at the wait that receives txTimeout");
    assert.match(frames[0]!.name, /wait\(close, xmit, txTimeout\) <- txTimeout/);

    const first = await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    assert.equal(first.body.reason, "step");
    const afterOne = await whereAmI(dc);
    assert.equal(afterOne.position, atTimeout.position + 1);
    assert.ok(afterOne.seq > atTimeout.seq, "the next delivery arrived later");
    await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
    const afterTwo = await whereAmI(dc);
    assert.equal(afterTwo.position, atTimeout.position + 2);
    assert.ok(afterTwo.seq > afterOne.seq);

    const protocol = await scopeVariables(dc, "Protocol");
    assert.equal(variable(protocol, "state").value, "open");
    assert.equal(variable(protocol, "enabled").value, "close, xmit, txTimeout");

    const back = await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
    assert.equal(back.body.reason, "step");
    assert.deepEqual(await whereAmI(dc), afterOne, "step back returns to the delivery before the last next");

    const reverse = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(reverse.body.reason, "function breakpoint");
    assert.deepEqual(await whereAmI(dc), atTimeout, "reverse continue returns to the txTimeout delivery");

    const toStart = await stopAfter(dc, (threadId) => dc.reverseContinueRequest({ threadId }));
    assert.equal(toStart.body.reason, "entry");
    assert.equal((await whereAmI(dc)).position, 0);

    // Forward again after the replays: the same txTimeout delivery, by the seed.
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.deepEqual(await whereAmI(dc), atTimeout);
  });

  test("conditions see the message in the shipped adapter too (the bundled worker takes payloads as the sources do)", TIMEOUT, async () => {
    const { dc } = client;
    await launch(dc, { driver: SINK }, async () => {
      const r = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "xmit", condition: "m.frame.length > 1000", hitCondition: "2" }] });
      assert.equal(r.body.breakpoints[0]!.verified, true);
    });
    const hit = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.match(hit.body.text ?? "", /^Message on mailbox xmit: .*\(hit 2, m\.frame\.length > 1000\)$/);
    const length = Number(/Uint8Array\((\d+)\)/.exec(await evaluate(dc, "delivery.payload"))?.[1]);
    assert.ok(length > 1000, String(length));
  });

  test("activeDriver.goToEvent stands at the first delivery after a trace event, backwards by replay and forwards", TIMEOUT, async () => {
    const { dc } = client;
    let traced = 0;
    dc.on("activeDriver.trace", (e: DebugProtocol.Event) => {
      traced += (e.body as { events: unknown[] }).events.length;
    });
    await launch(dc, { driver: SINK }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    const atTimeout = await whereAmI(dc);
    // Event 2 is the OS's send of open (events 0-1: main starts and waits): the next delivery is open's.
    const back = await stopAfter(dc, () => dc.customRequest("activeDriver.goToEvent", { seq: 2 }));
    assert.equal(back.body.reason, "goto");
    assert.deepEqual(await whereAmI(dc), { position: 1, mailbox: "open", seq: 2 });
    const forward = await stopAfter(dc, () => dc.customRequest("activeDriver.goToEvent", { seq: traced + 10 }));
    assert.equal(forward.body.reason, "goto");
    assert.ok((await whereAmI(dc)).position > atTimeout.position);
    await assert.rejects(dc.customRequest("activeDriver.goToEvent", { seq: -1 }), /"seq" must be a trace event number/);
  });

  test("line breakpoints: verified on wait and send lines, unverified elsewhere with the reason; they stop there", TIMEOUT, async () => {
    const { dc } = client;
    const waitOpen = lineOf(SINK, "wait-open");
    const sendOpen = lineOf(SINK, "send-open");
    const notAWait = lineOf(SINK, "not-a-wait");
    await launch(dc, { driver: SINK }, async () => {
      // The gutter's candidates between the two: the send and the wait, at their calls; not the line between.
      const places = (await dc.customRequest("breakpointLocations", {
        source: { path: SINK },
        line: sendOpen,
        endLine: notAWait,
      })) as DebugProtocol.BreakpointLocationsResponse;
      const sinkLines = fs.readFileSync(SINK, "utf8").split("\n");
      assert.deepEqual(
        places.body.breakpoints.map((b) => [b.line, sinkLines[b.line - 1]!.slice(b.column! - 1, b.column! + 3)]),
        [
          [sendOpen, "send"],
          [waitOpen, "wait"],
        ],
      );
      const r = await dc.setBreakpointsRequest({ source: { path: SINK }, breakpoints: [{ line: waitOpen }, { line: notAWait }, { line: sendOpen }] });
      const [onWait, elsewhere, onSend] = r.body.breakpoints;
      assert.equal(onWait!.verified, true);
      assert.equal(onWait!.line, waitOpen);
      assert.equal(onSend!.verified, true);
      assert.equal(elsewhere!.verified, false);
      assert.match(elsewhere!.message ?? "", /no wait\(\.\.\.\) or send\(\.\.\.\) call/);
    });
    // First the send of openComplete (after it happened), then the delivery of the first xmit at the wait.
    const onSend = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(onSend.body.reason, "breakpoint");
    let frames = (await dc.stackTraceRequest({ threadId: onSend.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, sendOpen);
    assert.match(frames[0]!.name, /^send\(openComplete/);
    const onWait = await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    assert.equal(onWait.body.reason, "breakpoint");
    frames = (await dc.stackTraceRequest({ threadId: onWait.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, waitOpen);
    assert.equal(frames[0]!.source?.path, SINK);
    assert.equal(await evaluate(dc, "delivery.mailbox"), "xmit");
    // Removing them: continue runs to the end.
    await dc.setBreakpointsRequest({ source: { path: SINK }, breakpoints: [] });
    const ended = dc.waitForEvent("terminated");
    const exited = dc.waitForEvent("exited") as Promise<DebugProtocol.ExitedEvent>;
    await dc.continueRequest({ threadId: onWait.body.threadId! });
    await ended;
    assert.equal((await exited).body.exitCode, 1, "the sink driver loses every frame: the run is not ok");
  });

  test("exception breakpoint on a protocol violation stops at the illegal send", TIMEOUT, async () => {
    const { dc } = client;
    const driver = fixture("illegal.ts");
    const stop = await launch(dc, { driver, stopOnEntry: false }, async () => {
      await dc.setExceptionBreakpointsRequest({ filters: ["protocol"] });
    });
    assert.equal(stop.body.reason, "exception");
    assert.match(stop.body.text ?? "", /Protocol violation: send of "closeComplete" in state "open"/);
    const frames = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, lineOf(driver, "illegal-send"));
    assert.equal(frames[0]!.source?.path, driver);
    const info = await dc.exceptionInfoRequest({ threadId: stop.body.threadId! });
    assert.equal(info.body.exceptionId, "illegal-send");
    const protocol = await scopeVariables(dc, "Protocol");
    assert.match(variable(protocol, "violations").value, /closeComplete/);
  });

  test("exception filter conditions: a condition over the violation decides; one that does not compile is refused with the reason", TIMEOUT, async () => {
    const { dc } = client;
    const driver = fixture("illegal.ts");
    const stop = await launch(dc, { driver, stopOnEntry: false }, async () => {
      const r = await dc.setExceptionBreakpointsRequest({
        filters: [],
        filterOptions: [
          { filterId: "protocol", condition: 'kind === "illegal-send" && name === "closeComplete"' },
          { filterId: "error", condition: "((" },
        ],
      });
      assert.equal(r.body?.breakpoints?.[0]?.verified, true);
      assert.equal(r.body?.breakpoints?.[1]?.verified, false);
      assert.match(r.body?.breakpoints?.[1]?.message ?? "", /condition "\(\(": /);
    });
    assert.equal(stop.body.reason, "exception");
    assert.match(stop.body.text ?? "", /Protocol violation: send of "closeComplete" in state "open".*\(kind === "illegal-send" && name === "closeComplete"\)/);
    assert.equal((await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames[0]!.line, lineOf(driver, "illegal-send"));
  });

  test("an exception filter whose condition never holds does not stop the run", TIMEOUT, async () => {
    const { dc } = client;
    const ended = dc.waitForEvent("terminated");
    const initialized = dc.waitForEvent("initialized");
    await dc.initializeRequest();
    await initialized;
    await dc.setExceptionBreakpointsRequest({ filters: [], filterOptions: [{ filterId: "protocol", condition: 'name === "txTimeout"' }] });
    let stopped = false;
    dc.on("stopped", () => (stopped = true));
    await Promise.all([
      dc.launchRequest({
        driver: fixture("illegal.ts"),
        scenario: path.join(__dirname, "fixtures", "few-frames.json"),
        seed: 1,
      } as DebugProtocol.LaunchRequestArguments),
      dc.configurationDoneRequest(),
    ]);
    await ended;
    assert.equal(stopped, false, "the violation is a send of closeComplete: the condition does not hold there");
  });

  test("exception breakpoint on a driver error stops where the driver threw", TIMEOUT, async () => {
    const { dc } = client;
    const driver = fixture("throws.ts");
    const stop = await launch(dc, { driver, stopOnEntry: false }, async () => {
      await dc.setExceptionBreakpointsRequest({ filters: ["error"] });
    });
    assert.equal(stop.body.reason, "exception");
    assert.match(stop.body.text ?? "", /Driver error: .*reset failed/);
    const frames = (await dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
    assert.equal(frames[0]!.line, lineOf(driver, "throw"));
    assert.match(await evaluate(dc, "failure"), /reset failed/);
  });

  test("without the filter, a protocol violation does not stop the run", TIMEOUT, async () => {
    const { dc } = client;
    const ended = dc.waitForEvent("terminated");
    const errors: string[] = [];
    dc.on("output", (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === "stderr") errors.push(e.body.output);
    });
    const initialized = dc.waitForEvent("initialized");
    await dc.initializeRequest();
    await initialized;
    await dc.setExceptionBreakpointsRequest({ filters: ["error"] });
    await Promise.all([
      dc.launchRequest({
        driver: fixture("illegal.ts"),
        scenario: path.join(__dirname, "fixtures", "few-frames.json"),
        seed: 1,
      } as DebugProtocol.LaunchRequestArguments),
      dc.configurationDoneRequest(),
    ]);
    await ended;
    assert.ok(
      errors.some((e) => /protocol violation: send of "closeComplete"/.test(e)),
      `stderr: ${errors.join("")}`,
    );
  });

  test("variables and evaluate: Mailboxes, Protocol, Device and Trace scopes; state, mailboxes.xmit, device.IntrStatus, a register", TIMEOUT, async () => {
    const { dc } = client;
    await launch(dc, { driver: SINK }, async () => {
      await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
    });
    await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
    const frames = (await dc.stackTraceRequest({ threadId: 3 })).body.stackFrames;
    const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes.map((s) => s.name);
    for (const name of ["Mailboxes", "Protocol", "Device", "Trace"]) assert.ok(scopes.includes(name), `scope ${name} in ${scopes.join(", ")}`);

    const mailboxes = await scopeVariables(dc, "Mailboxes");
    const xmit = variable(mailboxes, "xmit");
    assert.ok(xmit.variablesReference > 0, "a mailbox expands");
    const xmitFields = (await dc.variablesRequest({ variablesReference: xmit.variablesReference })).body.variables;
    assert.equal(variable(xmitFields, "waiter").value, "main");
    assert.equal(variable(xmitFields, "direction").value, "in");
    assert.equal(variable(mailboxes, "openComplete").value, "out, sent 1");

    const device = await scopeVariables(dc, "Device");
    assert.ok(
      device.some((v) => v.name === "IntrStatus"),
      "decoded registers",
    );
    const txRing = variable(device, "txRing");
    assert.ok(txRing.variablesReference > 0, "rings expand");

    const trace = await scopeVariables(dc, "Trace");
    assert.ok(trace.length > 0 && trace.length <= 64);
    assert.match(trace[trace.length - 1]!.name, /^#\d+$/);

    assert.equal(await evaluate(dc, "state"), "open");
    assert.equal(await evaluate(dc, "protocol.state"), "open");
    assert.match(await evaluate(dc, "mailboxes.xmit"), /queued/);
    assert.equal(await evaluate(dc, "device.IntrStatus"), await evaluate(dc, "IntrStatus"));
    assert.equal(await evaluate(dc, "d.mb.txTimeout"), await evaluate(dc, "mailboxes.txTimeout"));
    const hover = await dc.evaluateRequest({ expression: "xmit", context: "hover" });
    assert.equal(hover.body.result, await evaluate(dc, "mailboxes.xmit"));
    assert.ok(hover.body.variablesReference > 0);
    await assert.rejects(dc.evaluateRequest({ expression: "noSuchThing", context: "watch" }), /not available/);
  });

  test("custom events carry the trace and the current event; d.log becomes output; the trace file is written", TIMEOUT, async () => {
    const { dc } = client;
    const traced: { seq: number }[] = [];
    const current: (number | null)[] = [];
    const logs: string[] = [];
    let protocol: { initial?: string; states?: Record<string, unknown> } | undefined;
    dc.on("activeDriver.trace", (e: DebugProtocol.Event) => traced.push(...(e.body as { events: { seq: number }[] }).events));
    dc.on("activeDriver.current", (e: DebugProtocol.Event) => current.push((e.body as { seq: number | null }).seq));
    dc.on("activeDriver.protocol", (e: DebugProtocol.Event) => {
      protocol = e.body as typeof protocol;
    });
    dc.on("output", (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === "stdout") logs.push(e.body.output);
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ad-debug-"));
    const traceFile = path.join(dir, "trace.jsonl");
    try {
      await launch(dc, { driver: SINK, trace: traceFile }, async () => {
        await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: "txTimeout" }] });
      });
      assert.equal(protocol?.initial, "closed");
      await stopAfter(dc, (threadId) => dc.continueRequest({ threadId }));
      assert.ok(traced.length > 0);
      assert.deepEqual(
        traced.map((e) => e.seq),
        traced.map((_, i) => i),
        "events arrive once each, in seq order",
      );
      assert.equal(current.at(-1), traced.length - 1, "the current event is the last one before the held delivery");
      await stopAfter(dc, (threadId) => dc.nextRequest({ threadId }));
      assert.ok(
        logs.some((l) => /txTimeout after 8 frames/.test(l)),
        `log lines: ${logs.join("")}`,
      );
      const before = traced.length;
      await stopAfter(dc, (threadId) => dc.stepBackRequest({ threadId }));
      assert.equal(traced.length, before, "a replay repeats no events");
      assert.ok((current.at(-1) ?? 0) < before - 1, "the current event moved back");
      await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
      const ended = dc.waitForEvent("terminated");
      await dc.continueRequest({ threadId: 3 });
      await ended;
      const lines = fs.readFileSync(traceFile, "utf8").trim().split("\n");
      assert.equal(lines.length, traced.length);
      assert.deepEqual(JSON.parse(lines[lines.length - 1]!), traced[traced.length - 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("launch errors name the cause: missing file, syntax error, bad arguments", TIMEOUT, async () => {
    const { dc } = client;
    await dc.initializeRequest();
    await dc.configurationDoneRequest();
    await assert.rejects(
      dc.launchRequest({ driver: fixture("no-such-driver.ts") } as DebugProtocol.LaunchRequestArguments),
      /no-such-driver\.ts.*no such file/,
    );
    await assert.rejects(
      dc.launchRequest({ driver: fixture("syntax-error.ts") } as DebugProtocol.LaunchRequestArguments),
      /syntax-error\.ts:\d+:\d+: syntax error/,
    );
    await assert.rejects(dc.launchRequest({ driver: SINK, seed: -1 } as DebugProtocol.LaunchRequestArguments), /"seed" must be a whole number/);
    await assert.rejects(
      dc.launchRequest({ driver: SINK, scenario: "no-such-scenario" } as DebugProtocol.LaunchRequestArguments),
      /unknown scenario "no-such-scenario"/,
    );
  });
});
