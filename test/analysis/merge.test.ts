// Findings at one place in a helper that several drivers reach: one finding, its message and data
// merged by the rule that owns the code, every call that reaches it as related information once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mergeFindings, type HelperDiagnostic, type RelatedLocation } from "../../server/src/analysis";
import { unionInOrder } from "../../server/src/analysis/rules/common";
import { missingMessagesText } from "../../server/src/analysis/rules/ad001-missing-wait";
import { owedReplyText } from "../../server/src/analysis/rules/ad003-reply-owed";
import { illegalSendText } from "../../server/src/analysis/rules/ad004-illegal-send";

const helper = "/drivers/helper.ts";
const at = { start: { line: 1, character: 8 }, end: { line: 1, character: 30 } };

function rel(file: string, line: number, message: string): RelatedLocation {
  return { file, range: { start: { line, character: 4 }, end: { line, character: 15 } }, message };
}

function missing(byState: Record<string, string[]>, calls: RelatedLocation[]): HelperDiagnostic {
  const messages = ["open", "close", "xmit", "txTimeout"].filter((m) => Object.values(byState).some((l) => l.includes(m)));
  const rows = Object.entries(byState).flatMap(([state, list]) => list.map((m) => rel("/drivers/protocol.ts", 10, `${m} is enabled in state '${state}' here`)));
  return {
    file: helper,
    code: "AD001",
    severity: "error",
    message: missingMessagesText(new Map(Object.entries(byState))),
    range: at,
    related: [...calls, ...rows],
    data: {
      kind: "missingMessages",
      messages,
      states: Object.keys(byState),
      byState,
      argumentsEnd: { line: 1, character: 29 },
      mailboxText: Object.fromEntries(messages.map((m) => [m, `d.mb.${m}`])),
    },
  };
}

const fromA = missing({ closed: ["open"] }, [rel("/drivers/a.ts", 5, "reached from settle() in state 'closed'")]);
const fromB = missing({ open: ["close", "xmit"] }, [rel("/drivers/b.ts", 10, "reached from settle() in state 'open'")]);

test("AD001 from two drivers in different states: one finding naming both, data for a fix adding every missing mailbox", () => {
  const merged = mergeFindings([fromB, fromA]);
  assert.equal(merged.length, 1);
  const [finding] = merged;
  assert.equal(finding!.message, "open can arrive in state 'closed'; close and xmit in state 'open': this wait does not accept them");
  assert.equal(finding!.file, helper);
  assert.deepEqual(finding!.range, at);
  assert.deepEqual(finding!.data, {
    kind: "missingMessages",
    messages: ["open", "close", "xmit"],
    states: ["closed", "open"],
    byState: { closed: ["open"], open: ["close", "xmit"] },
    argumentsEnd: { line: 1, character: 29 },
    mailboxText: { open: "d.mb.open", close: "d.mb.close", xmit: "d.mb.xmit" },
  });
  assert.deepEqual(
    finding!.related.map((r) => `${r.file}:${r.range.start.line} ${r.message}`),
    [
      "/drivers/a.ts:5 reached from settle() in state 'closed'",
      "/drivers/b.ts:10 reached from settle() in state 'open'",
      "/drivers/protocol.ts:10 open is enabled in state 'closed' here",
      "/drivers/protocol.ts:10 close is enabled in state 'open' here",
      "/drivers/protocol.ts:10 xmit is enabled in state 'open' here",
    ],
  );
  assert.deepEqual(mergeFindings([fromA, fromB]), merged, "the order the analyses come in does not matter");
});

test("the same finding from two analyses is one, each related location once", () => {
  const [finding, ...rest] = mergeFindings([fromA, fromA, { ...fromA, related: [rel("/drivers/c.ts", 2, "reached from settle() in state 'closed'")] }]);
  assert.deepEqual(rest, []);
  assert.equal(finding!.message, fromA.message);
  assert.deepEqual(
    finding!.related.map((r) => `${r.file}:${r.range.start.line}`),
    ["/drivers/a.ts:5", "/drivers/c.ts:2", "/drivers/protocol.ts:10"],
  );
});

test("findings at other places, or of a code without a merge, stay apart; equal messages still share their calls", () => {
  const elsewhere = { ...fromB, range: { start: { line: 7, character: 8 }, end: { line: 7, character: 30 } } };
  assert.deepEqual(
    mergeFindings([fromA, elsewhere]).map((d) => d.range.start.line),
    [1, 7],
  );
  const foreign = (awaited: string, file: string): HelperDiagnostic => ({
    file: helper,
    code: "AD013",
    severity: "warning",
    message: `awaits ${awaited}`,
    range: at,
    related: [rel(file, 3, "reached from settle()")],
    data: { kind: "foreignAwait", awaited },
  });
  const apart = mergeFindings([foreign("fetch()", "/drivers/a.ts"), foreign("delay()", "/drivers/b.ts")]);
  assert.deepEqual(
    apart.map((d) => d.message),
    ["awaits delay()", "awaits fetch()"],
  );
  const shared = mergeFindings([foreign("fetch()", "/drivers/b.ts"), foreign("fetch()", "/drivers/a.ts")]);
  assert.deepEqual(
    shared.map((d) => d.related.map((r) => r.file)),
    [["/drivers/a.ts", "/drivers/b.ts"]],
  );
});

test("AD003 and AD004 from two drivers: the states (and requests) of both in one message", () => {
  const owed = (states: string[], requests: string[], file: string, replies = ["openComplete"]): HelperDiagnostic => ({
    file: helper,
    code: "AD003",
    severity: "error",
    message: owedReplyText(replies.join(" and "), requests, states, "wait"),
    range: at,
    related: [rel(file, 4, `reached from settle() in state '${states[0]}'`)],
    data: {
      kind: "owedReply",
      reply: replies[0]!,
      replies,
      requests,
      states,
      at: "wait",
      insertPosition: at.start,
      indent: "  ",
      insertText: "d.send(d.mb.openComplete, { status: 0 });\n  ",
      sendText: "d.send(d.mb.openComplete, { status: 0 });",
    },
  });
  const [reply, ...more] = mergeFindings([owed(["opening"], ["open"], "/drivers/a.ts"), owed(["closing"], ["open"], "/drivers/b.ts")]);
  assert.deepEqual(more, []);
  assert.equal(reply!.message, owedReplyText("openComplete", ["open"], ["opening", "closing"], "wait"));
  assert.deepEqual(reply!.data?.kind === "owedReply" && reply!.data.states, ["opening", "closing"]);
  // Two replies owed in one finding: the message names both, and so does the merged one.
  const both = owed(["opening"], ["open"], "/drivers/c.ts", ["closeComplete", "openComplete"]);
  const bothLater = owed(["closing"], ["open"], "/drivers/d.ts", ["closeComplete", "openComplete"]);
  assert.deepEqual(
    mergeFindings([both, bothLater]).map((d) => d.message),
    [owedReplyText("closeComplete and openComplete", ["open"], ["opening", "closing"], "wait")],
  );
  assert.equal(mergeFindings([both, owed(["closing"], ["open"], "/drivers/b.ts")]).length, 2, "different replies stay apart");

  // Different replies owed: two findings, as the analysis of each driver said.
  assert.equal(mergeFindings([owed(["opening"], ["open"], "/drivers/e.ts"), owed(["closing"], ["close"], "/drivers/f.ts", ["closeComplete"])]).length, 2);

  const send = (states: string[], file: string): HelperDiagnostic => ({
    file: helper,
    code: "AD004",
    severity: "error",
    message: illegalSendText("closeComplete", states, ["closing"]),
    range: at,
    related: [rel(file, 4, "reached from settle()")],
    data: { kind: "illegalSend", message: "closeComplete", states, allowedIn: ["closing"] },
  });
  assert.deepEqual(
    mergeFindings([send(["open"], "/drivers/b.ts"), send(["closed"], "/drivers/a.ts")]).map((d) => d.message),
    ["closeComplete cannot be sent in states 'closed' and 'open': the protocol allows it only in state 'closing'"],
  );
});

test("unionInOrder keeps the order both lists agree on", () => {
  assert.deepEqual(unionInOrder(["closed", "open"], ["opening", "open"]), ["closed", "opening", "open"]);
  assert.deepEqual(unionInOrder(["open", "closing"], ["closed", "opening"]), ["open", "closing", "closed", "opening"]);
  assert.deepEqual(unionInOrder(["closed", "open"], ["open", "closing"]), ["closed", "open", "closing"]);
  assert.deepEqual(unionInOrder([], ["a", "b"]), ["a", "b"]);
});
