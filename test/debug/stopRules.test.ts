// The debugger's pure parts: which lines take breakpoints, the stop rule shared by the worker and
// reverse continue, and evaluate over a snapshot.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { TraceEvent } from "active-driver";
import { breakpointPlaces, entryPointLines, messageLines, verifyLines } from "../../client/src/debug/breakpointLines";
import { exceptionTest, faultFacts } from "../../client/src/debug/exceptionConditions";
import { deliveryKind, describeDelivery, exceptionFilterOf, exceptionHit, fileKey, stopAt } from "../../client/src/debug/stops";
import { Sandbox } from "../../client/src/debug/worker/sandbox";
import { StopInspection, parsePath } from "../../client/src/debug/variables";
import type { BreakpointSpec, Delivery, Snapshot } from "../../client/src/debug/worker/messages";

test("wait and send lines are found in code, not in comments or strings", () => {
  const text = [
    "const r = await d.wait(open, txTimeout);", // 1 wait
    "d.send(openComplete, { status: 0 });", // 2 send
    "// await d.wait(close)", // 3 comment
    'const s = "d.send(x)";', // 4 string
    "/* d.wait(a)", // 5 block comment
    "   still comment send(b) */ await wait(irq);", // 6 wait after the comment ends
    "const { wait, send } = d; await wait (mb.close);", // 7 destructured, space before (
    "resend(x); awaiting(y);", // 8 other names
  ].join("\n");
  assert.deepEqual(messageLines(text), ["wait", "send", undefined, undefined, undefined, "wait", "wait", undefined]);
  const verdicts = verifyLines("/x.ts", [1, 3, 99], text);
  assert.deepEqual(
    verdicts.map((v) => v.verified),
    [true, false, false],
  );
  assert.match(verdicts[1]!.message!, /line 3 holds no wait\(\.\.\.\) or send\(\.\.\.\) call/);
  assert.match(verdicts[2]!.message!, /past the end/);
  assert.match(verifyLines("/no/such/file.ts", [1])[0]!.message!, /cannot read \/no\/such\/file\.ts/);
});

test("breakpoint places: each wait/send call and entry point in the range, at the call's column", () => {
  const text = [
    "const r = await d.wait(open, txTimeout);", // 1 wait at column 19
    "d.send(openComplete, { status: 0 });", // 2 send at column 3
    "// await d.wait(close)", // 3 comment
    "const { wait, send } = d; await wait (mb.close);", // 4 the call, not the destructuring
  ].join("\n");
  assert.deepEqual(breakpointPlaces(text, 1, 4), [
    { line: 1, column: 19, kind: "wait" },
    { line: 2, column: 3, kind: "send" },
    { line: 4, column: 33, kind: "wait" },
  ]);
  assert.deepEqual(breakpointPlaces(text, 2, 3), [{ line: 2, column: 3, kind: "send" }], "only the lines asked about");
  const passive = [
    "export default definePassiveDriver({ protocol }, (k) => ({",
    "  open() {",
    "    k.send(k.mb.openComplete, { status: 0 });",
    "  },",
    "}));",
  ].join("\n");
  assert.deepEqual(breakpointPlaces(passive, 1, 5), [
    { line: 2, column: 3, kind: "entry" },
    { line: 3, column: 7, kind: "send" },
  ]);
});

test("a passive driver's entry points: methods and function-valued properties after definePassiveDriver(, verified as breakpoint lines", () => {
  const text = [
    "function open() {}", // 1 before the driver: not an entry point
    "export default definePassiveDriver({ protocol }, (k) => {", // 2
    "  async function resetChip(): Promise<void> {", // 3 a helper
    "    k.schedule(() => {", // 4 a call with a callback
    "    resetWork();", // 5 a call
    "  }", // 6
    "  return {", // 7
    "    async open(): Promise<{ status: number }> {", // 8
    "    close: () => ({ status: 0 }),", // 9
    "    xmit({ frame }) {", // 10
    "    // txTimeout() {", // 11 comment
    "    txTimeout: async (p) => {", // 12
    "    irq: function () {", // 13
    "    if (x) {", // 14 a keyword
    "    open() {", // 15 a second open: the first counts
  ].join("\n");
  assert.deepEqual(Object.fromEntries(entryPointLines(text)), {
    open: { line: 8, column: 11 },
    close: { line: 9, column: 5 },
    xmit: { line: 10, column: 5 },
    txTimeout: { line: 12, column: 5 },
    irq: { line: 13, column: 5 },
  });
  assert.equal(entryPointLines(text.replace("definePassiveDriver", "defineDriver")).size, 0, "only in a passive driver");
  const verdicts = verifyLines("/p.ts", [8, 10, 3, 4, 11], text);
  assert.deepEqual(
    verdicts.map((v) => [v.verified, v.kind]),
    [
      [true, "entry"],
      [true, "entry"],
      [false, undefined],
      [false, undefined],
      [false, undefined],
    ],
  );
  assert.match(verdicts[2]!.message!, /first line of an entry point/);
});

const ev = (seq: number, e: Partial<TraceEvent>): TraceEvent => ({ seq, time: seq, kind: "send", from: "os", ...e }) as TraceEvent;
const delivery = (position: number, mailbox: string, line: number): Delivery => ({
  position,
  seq: position + 1,
  thread: "main",
  mailbox,
  kind: "message",
  payload: "",
  time: 0,
  state: "open",
  loc: { file: "/d/a.ts", line, column: 5 },
  traceLength: 0,
});
const none: BreakpointSpec = { lines: {}, mailboxes: [], exceptions: [] };

test("exception filters: violations are protocol, driver failures are errors, injected faults are neither", () => {
  assert.equal(exceptionFilterOf(ev(0, { kind: "fault", fault: "illegal-send" })), "protocol");
  assert.equal(exceptionFilterOf(ev(0, { kind: "fault", fault: "unhandled" })), "protocol");
  assert.equal(exceptionFilterOf(ev(0, { kind: "fault", fault: "driver-error" })), "error");
  assert.equal(exceptionFilterOf(ev(0, { kind: "fault", fault: "tx-lockup" })), undefined);
  assert.equal(exceptionFilterOf(ev(0, { kind: "log" })), undefined);
});

test("exception filter conditions: the filter stops only where its condition holds over the fault; a failing one stops and says why", () => {
  const illegal = ev(7, { kind: "fault", fault: "illegal-send", from: "thread:main", mailbox: "closeComplete", detail: "send of closeComplete in state open" });
  const unhandled = ev(9, { kind: "fault", fault: "unhandled", from: "os", mailbox: "txTimeout", detail: "txTimeout not waited for" });
  const test = exceptionTest(() => new Sandbox());
  const spec = (condition: string): BreakpointSpec => ({ ...none, exceptions: ["protocol"], exceptionConditions: { protocol: condition } });
  assert.equal(exceptionHit([illegal, unhandled], spec('kind === "unhandled"'), test)?.event, unhandled);
  assert.equal(exceptionHit([illegal, unhandled], spec('name === "closeComplete" && thread === "main"'), test)?.event, illegal);
  assert.match(
    exceptionHit([illegal], spec('name === "closeComplete"'), test)!.text,
    /^Protocol violation: send of closeComplete in state open \(name === "closeComplete"\)$/,
  );
  assert.equal(exceptionHit([illegal, unhandled], spec('kind === "none"'), test), undefined);
  assert.match(exceptionHit([illegal], spec("nope.x"), test)!.text, /condition "nope\.x" failed: .*nope/);
  assert.equal(exceptionHit([illegal], spec("true")), undefined, "without a test a condition never holds");
  assert.deepEqual(faultFacts(illegal), {
    name: "closeComplete",
    payload: undefined,
    state: "",
    thread: "main",
    from: "thread:main",
    seq: 7,
    time: 7,
    kind: "illegal-send",
    position: -1,
    summary: "send of closeComplete in state open",
  });
});

test("the stop rule: exceptions, then breakpoints on sends, then the delivery, then the target position", () => {
  const d = delivery(4, "xmit", 10);
  const fault = ev(7, { kind: "fault", fault: "illegal-send", from: "thread:main", detail: "bad send", loc: { file: "/d/a.ts", line: 12, column: 3 } });
  const send = ev(6, { kind: "send", from: "thread:main", to: "os", mailbox: "openComplete", loc: { file: "/d/a.ts", line: 11, column: 3 } });
  const all: BreakpointSpec = {
    lines: {
      [fileKey("/d/a.ts")]: [
        { id: 1, line: 10 },
        { id: 2, line: 11 },
      ],
    },
    mailboxes: [
      { id: 3, name: "xmit" },
      { id: 4, name: "openComplete" },
    ],
    exceptions: ["protocol"],
  };
  assert.equal(stopAt(4, d, [send, fault], all, { breakpoints: true })?.reason, "exception");
  assert.equal(stopAt(4, d, [send, fault], { ...all, exceptions: [] }, { breakpoints: true })?.text, "send openComplete at a.ts:11");
  assert.equal(stopAt(4, d, [], all, { breakpoints: true })?.reason, "breakpoint");
  assert.equal(stopAt(4, d, [], { ...all, lines: {} }, { breakpoints: true })?.reason, "function breakpoint");
  assert.equal(stopAt(4, d, [send], { ...none, mailboxes: [{ id: 4, name: "openComplete" }] }, { breakpoints: true })?.reason, "function breakpoint");
  assert.equal(stopAt(4, d, [send, fault], all, { breakpoints: false }), undefined, "replays ignore breakpoints");
  assert.equal(stopAt(4, d, [], none, { breakpoints: true, position: 5 }), undefined);
  assert.deepEqual(stopAt(5, delivery(5, "close", 10), [], none, { breakpoints: true, position: 5, reason: "step" }), {
    reason: "step",
    text: "close #6 -> main",
    thread: "main",
  });
  assert.equal(stopAt(9, undefined, [], none, { breakpoints: true, position: 3 })?.text, "end of the run");
});

test("evaluate resolves paths, aliases from driver code and register names", () => {
  assert.deepEqual(parsePath('mailboxes.xmit.queued[0]["a b"]'), ["mailboxes", "xmit", "queued", "0", "a b"]);
  assert.equal(parsePath("a + b"), undefined);
  const snapshot: Snapshot = {
    position: 3,
    time: 1500,
    status: "running",
    delivery: delivery(3, "xmit", 10),
    threads: [{ name: "main", status: "waiting", waitingOn: ["close", "xmit"] }],
    mailboxes: [
      { name: "xmit", direction: "in", length: 2, queued: ["{frame:60}", "{frame:61}"], waiter: "main", sent: 5, delivered: 3 },
      { name: "openComplete", direction: "out", length: 0, queued: [], sent: 1, delivered: 0 },
    ],
    protocol: {
      name: "eth",
      state: "open",
      enabled: ["close", "xmit"],
      allowedSends: [],
      owedReplies: [],
      transitions: { close: "closing", xmit: "open" },
      violations: [],
    },
    device: { name: "rtl8169", registers: { IntrStatus: "0x0001 (RxOK)", txRing: { next: 3, descriptors: [{ own: true }] } } },
    recent: [],
  };
  const inspection = new StopInspection(snapshot);
  assert.deepEqual(
    inspection.scopes.map((s) => s.name),
    ["Delivery", "Mailboxes", "Protocol", "Device", "Trace"],
  );
  assert.equal(inspection.evaluate("state")?.value, "open");
  assert.equal(inspection.describe(inspection.evaluate("mailboxes.xmit")?.value), "2 queued, main waits, next {frame:60}, sent 5");
  assert.equal(inspection.evaluate("d.mb.xmit.queued[1]")?.value, "{frame:61}");
  assert.equal(inspection.evaluate("device.IntrStatus")?.value, "0x0001 (RxOK)");
  assert.equal(inspection.evaluate("intrstatus")?.path, "device.IntrStatus");
  assert.equal(inspection.evaluate("next")?.path, "device.txRing.next");
  assert.equal(inspection.evaluate("enabled")?.path, "protocol.enabled");
  assert.equal(inspection.describe(inspection.evaluate("enabled")?.value), "close, xmit");
  assert.equal(inspection.evaluate("nothing"), undefined);
  assert.equal(inspection.evaluate("mailboxes.nothing"), undefined);
});

test("deliveries: the runtime's kind, or the legacy start/sleep pseudo-mailboxes; passive calls and scheduled work described as such", () => {
  assert.equal(deliveryKind({ mailbox: "start", payload: "" }), "start");
  assert.equal(deliveryKind({ mailbox: "start", payload: "", loc: { file: "/a.ts", line: 1, column: 1 } }), "message", "a mailbox a driver named start");
  assert.equal(deliveryKind({ mailbox: "sleep", payload: "" }), "wake");
  assert.equal(deliveryKind({ mailbox: "work", payload: "", kind: "work" }), "work");
  const base = { position: 2, seq: 7, payload: "", time: 0, state: "open", traceLength: 0 };
  assert.equal(
    describeDelivery({ ...base, thread: "txTimeout", mailbox: "txTimeout", kind: "message", passive: true }),
    "txTimeout() #7 on OS thread txTimeout",
  );
  assert.equal(
    describeDelivery({ ...base, thread: "interrupt", mailbox: "irq", kind: "message", passive: true, payload: "{isr:4}" }),
    "irq({isr:4}) #7 in interrupt context",
  );
  assert.equal(
    describeDelivery({ ...base, thread: "worker", mailbox: "work", kind: "work", passive: true, from: "txTimeout" }),
    "scheduled work runs on worker (scheduled by txTimeout)",
  );
  assert.equal(describeDelivery({ ...base, thread: "main", mailbox: "start", kind: "start" }), "thread main starts");
  const call = { ...base, thread: "txTimeout", mailbox: "txTimeout", kind: "message" as const, passive: true as const };
  assert.equal(
    stopAt(2, call, [], { ...none, mailboxes: [{ id: 1, name: "txTimeout" }] }, { breakpoints: true })?.text,
    "Entry point txTimeout: txTimeout() #7 on OS thread txTimeout",
  );
});
