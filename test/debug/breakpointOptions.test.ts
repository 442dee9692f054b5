// What users type into breakpoints (hit counts, logpoint messages, conditions that must compile),
// the worker's sandbox that evaluates them, and reverse continue deciding from recorded hits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { conditionSource, optionsProblem, parseHitCondition, splitLogMessage, syntaxError } from "../../client/src/debug/breakpointOptions";
import { RunHistory } from "../../client/src/debug/history";
import { deliveryCandidates, fileKey } from "../../client/src/debug/stops";
import type { TraceEvent } from "active-driver";
import type { BreakpointSpec, Delivery } from "../../client/src/debug/worker/messages";
import { Sandbox, type MessageFacts } from "../../client/src/debug/worker/sandbox";
import { defined } from "../../runtime/src/defined";

test('hit conditions: "5" is the 5th hit, comparisons, "% 3" every 3rd; anything else is refused with the syntax', () => {
  const hits = (text: string): number[] => {
    const parsed = parseHitCondition(text);
    assert.ok("test" in parsed, text);
    return [1, 2, 3, 4, 5, 6, 7].filter(parsed.test);
  };
  assert.deepEqual(hits("5"), [5]);
  assert.deepEqual(hits("= 5"), [5]);
  assert.deepEqual(hits("==5"), [5]);
  assert.deepEqual(hits(">= 5"), [5, 6, 7]);
  assert.deepEqual(hits("> 5"), [6, 7]);
  assert.deepEqual(hits("<3"), [1, 2]);
  assert.deepEqual(hits("<= 3"), [1, 2, 3]);
  assert.deepEqual(hits(" % 3 "), [3, 6]);
  for (const bad of ["often", "5x", ">= -1", "% 0", "", "!= 2"]) {
    const parsed = parseHitCondition(bad);
    assert.ok("error" in parsed, bad);
  }
  assert.match((parseHitCondition("often") as { error: string }).error, /write N \(the Nth hit\), = N, > N, >= N, < N, <= N or % N/);
});

test("log messages: {expressions} at balanced braces, quotes inside skipped; a lone or empty brace is text", () => {
  assert.deepEqual(splitLogMessage("x = {m.x}, y = {m.y}!"), [{ text: "x = " }, { expr: "m.x" }, { text: ", y = " }, { expr: "m.y" }, { text: "!" }]);
  assert.deepEqual(splitLogMessage("{ {a: 1}.a }"), [{ expr: "{a: 1}.a" }]);
  assert.deepEqual(splitLogMessage('{ "}" + name }'), [{ expr: '"}" + name' }]);
  assert.deepEqual(splitLogMessage("a {} b { c"), [{ text: "a {} b { c" }]);
  assert.deepEqual(splitLogMessage("plain"), [{ text: "plain" }]);
});

test("options are checked when set: conditions and {expressions} must compile, hit counts must parse; nothing runs", () => {
  assert.equal(optionsProblem({ condition: "m.frame.length > 1000", hitCondition: "% 2", logMessage: "{name}" }), undefined);
  assert.match(
    optionsProblem({ condition: "m.frame.length >" }) ?? "",
    /^condition "m\.frame\.length >" does not compile: SyntaxError: .* \(it sees m \(the message's fields/,
  );
  assert.match(optionsProblem({ logMessage: "ok {name} bad {m.}" }) ?? "", /^log message part \{m\.\} does not compile: SyntaxError/);
  assert.match(optionsProblem({ hitCondition: "x" }) ?? "", /^hit count "x" is not one/);
  // A trailing line comment stays a comment; checking runs nothing (this would throw if it ran).
  assert.equal(syntaxError(conditionSource('name === "x" // why')), undefined);
  assert.equal(syntaxError(conditionSource("(() => { throw new Error('ran') })()")), undefined);
});

const facts =
  (payload: unknown, more: Partial<MessageFacts> = {}): (() => MessageFacts) =>
  () => ({
    name: "xmit",
    payload,
    state: "open",
    thread: "main",
    seq: 7,
    time: 1500,
    kind: "message",
    position: 3,
    summary: "{frame:Uint8Array(1200)}",
    ...more,
  });

test("the sandbox: conditions see a copy of the message (m, msg, name, state, ...), never the driver's objects or the host", () => {
  const sandbox = new Sandbox();
  const frame = new Uint8Array(1200).fill(7);
  const payload = { frame, meta: { retries: 2 }, tags: new Map([["a", 1]]) };
  const check = (expression: string, f = facts(payload)): unknown => {
    const outcome = sandbox.condition(expression, f);
    assert.ok(outcome.ok, `${expression}: ${outcome.ok ? "" : outcome.error}`);
    return outcome.value;
  };
  assert.equal(check('m.name === "xmit" && m.frame.length > 1000'), true);
  assert.equal(check("msg.frame[0] === 7 && m.meta.retries === 2 && m.tags.get('a') === 1"), true);
  assert.equal(check('state === "open" && thread === "main" && seq === 7 && position === 3 && kind === "message" && mailbox === name'), true);
  assert.equal(check("m.frame.length > 2000"), false);
  assert.equal(check("m.frame instanceof Uint8Array"), true, "typed arrays are typed arrays in the sandbox too");
  // Writes land on the copy: the driver's payload is untouched, so the run (and every replay) stays the same.
  assert.equal(check("(m.frame[0] = 99, msg.frame.fill(0), msg.meta.retries = 5, delete m.meta, true)"), true);
  assert.equal(frame[0], 7);
  assert.equal(frame[1199], 7);
  assert.equal(payload.meta.retries, 2);
  // No way to the worker's realm.
  assert.equal(check('typeof process === "undefined" && typeof require === "undefined"'), true);
  assert.equal(check("m.constructor.constructor === Function"), true, "constructors are the sandbox's own");
  const evalOutcome = sandbox.condition('Function("return process")()', facts(payload));
  assert.ok(!evalOutcome.ok && /threw EvalError/.test(evalOutcome.error), "code generation from strings is off");
  // A payload that is not an object, or none.
  assert.equal(check("m.value === 5 && msg === 5", facts(5)), true);
  assert.equal(check('msg === undefined && Object.keys(m).join() === "name"', facts(undefined)), true);
});

test("the sandbox: errors, timeouts and bad code come back as text; logpoint parts format values and errors in place", () => {
  const sandbox = new Sandbox();
  const thrown = sandbox.condition("m.nothing.length", facts({}));
  assert.deepEqual(thrown, { ok: false, error: "threw TypeError: Cannot read properties of undefined (reading 'length')", timedOut: false });
  const custom = sandbox.condition("(() => { throw { name: 'Odd', message: 'thrown object' } })()", facts({}));
  assert.ok(!custom.ok && custom.error === "threw Odd: thrown object");
  const broken = sandbox.condition("m.", facts({}));
  assert.ok(!broken.ok && /^does not compile: SyntaxError/.test(broken.error) && !broken.timedOut);
  const escape = sandbox.condition("1); })(); (() => { for (;;) {} })(); (function () { return (1", facts({}));
  assert.ok(!escape.ok, "text that closes the wrapper runs under the watchdog too");
  const loop = sandbox.condition("(() => { for (;;) {} })()", facts({}));
  assert.ok(!loop.ok && loop.timedOut && /^took longer than \d+ ms$/.test(loop.error));
  const line = sandbox.logMessage(
    "{name} {m.frame} {m.meta} {m.nope.x} {'text'} {[1, 'a']}",
    facts({ frame: new Uint8Array([1, 2, 3]), meta: { a: { b: { c: { d: 1 } } } } }),
  );
  assert.deepEqual(line, {
    ok: true,
    value: `xmit Uint8Array(3) [1, 2, 3] {a: {b: {c: {…}}}} <TypeError: Cannot read properties of undefined (reading 'x')> text [1, "a"]`,
  });
});

test("reverse continue decides from recorded hits: a counted breakpoint stops where its condition held and its count met the hit condition", () => {
  const file = fileKey("/d/a.ts");
  const at = (position: number, mailbox: string): Delivery => ({
    position,
    seq: position + 1,
    thread: "main",
    mailbox,
    kind: "message",
    payload: "",
    time: 0,
    state: "open",
    loc: { file: "/d/a.ts", line: 10, column: 5 },
    traceLength: 0,
  });
  const history = new RunHistory();
  history.absorb([], [at(0, "xmit"), at(1, "xmit"), at(2, "xmit"), at(3, "xmit"), at(4, "close")]);
  const bp = { id: 1, line: 10, condition: "m.frame.length > 100", hitCondition: "% 2" };
  const spec = { lines: { [file]: [bp] }, mailboxes: [], exceptions: [] };
  const [candidate] = deliveryCandidates(at(3, "xmit"), spec);
  // The condition held at positions 0, 1 and 3: counts 1, 2, 3 (reported twice: a replay repeats them).
  const records = [
    { position: 0, key: candidate!.key, count: 1 },
    { position: 1, key: candidate!.key, count: 2 },
    { position: 3, key: candidate!.key, count: 3 },
  ];
  history.recordHits(records);
  history.recordHits(records);
  assert.equal(history.previousHit(5, spec)?.position, 1, "the 2nd hit; the 3rd is odd");
  assert.match(history.previousHit(5, spec)?.hit.text ?? "", /\(hit 2, m\.frame\.length > 100\)$/);
  assert.equal(history.previousHit(1, spec), undefined);
  const everyHit = { lines: { [file]: [{ ...bp, hitCondition: undefined }] }, mailboxes: [], exceptions: [] };
  assert.equal(history.previousHit(5, everyHit)?.position, 3);
  assert.equal(history.previousHit(3, everyHit)?.position, 1, "position 2: the condition did not hold");
  const logpoint = { lines: { [file]: [{ id: 2, line: 10, logMessage: "x" }] }, mailboxes: [], exceptions: [] };
  assert.equal(history.previousHit(5, logpoint), undefined, "logpoints never stop");
  assert.equal(
    history.previousHit(5, { lines: { [file]: [{ id: 3, line: 10 }] }, mailboxes: [], exceptions: [] })?.position,
    4,
    "a plain breakpoint: its place is enough (close waits there too)",
  );
});

test("reverse continue evaluates exception conditions again over the recorded faults, as the worker did", () => {
  const at = (position: number, traceLength: number): Delivery => ({
    position,
    seq: position + 1,
    thread: "main",
    mailbox: "xmit",
    kind: "message",
    payload: "",
    time: 0,
    state: "open",
    traceLength,
  });
  const fault = (seq: number, mailbox: string): TraceEvent =>
    ({ seq, time: seq, kind: "fault", fault: "illegal-send", from: "thread:main", mailbox, detail: `send of ${mailbox}` }) as TraceEvent;
  const history = new RunHistory();
  // Deliveries 0..3; a violation before delivery 1 (closeComplete) and one before delivery 3 (openComplete).
  history.absorb(
    [fault(0, "closeComplete"), { seq: 1, time: 1, kind: "send", from: "os" } as TraceEvent, fault(2, "openComplete")],
    [at(0, 0), at(1, 1), at(2, 2), at(3, 3)],
  );
  const on = (condition?: string): BreakpointSpec => ({
    lines: {},
    mailboxes: [],
    exceptions: ["protocol"],
    ...defined({ exceptionConditions: condition === undefined ? undefined : { protocol: condition } }),
  });
  assert.equal(history.previousHit(4, on())?.position, 3, "unconditioned: the latest violation");
  assert.equal(history.previousHit(4, on('name === "closeComplete"'))?.position, 1);
  assert.match(history.previousHit(4, on('name === "closeComplete"'))!.hit.text, /\(name === "closeComplete"\)$/);
  assert.equal(history.previousHit(4, on('name === "resumeComplete"')), undefined);
});
