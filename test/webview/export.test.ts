// Trace exporters: JSON lines round trip, and the Chrome trace-event JSON shape (tracks per
// lifeline, one zero-length slice per event, send -> deliver flows) that Perfetto opens.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TraceEvent } from "../../client/views/shared/messages";
import { orderLifelines, pairSendsWithDeliveries, parseJsonLines, toChromeTrace, toJsonLines } from "../../client/views/shared/host/export";

const loc = { file: "/w/samples/rtl8169/active.ts", line: 14, column: 9 };
const TRACE: TraceEvent[] = [
  { seq: 0, time: 0, kind: "send", from: "os", to: "thread:main", mailbox: "open", payload: "{}" },
  { seq: 1, time: 0, kind: "send", from: "os", to: "thread:main", mailbox: "xmit", payload: "{frame: 64 bytes}" },
  { seq: 2, time: 5, kind: "deliver", from: "thread:main", mailbox: "open", payload: "{}", loc },
  { seq: 3, time: 7, kind: "state", from: "thread:main", state: "opening" },
  { seq: 4, time: 9, kind: "device", from: "nic", detail: "CR <- 0x0c" },
  { seq: 5, time: 12, kind: "send", from: "thread:main", to: "os", mailbox: "openComplete", payload: "{status: 0}", loc },
  { seq: 6, time: 20, kind: "send", from: "os", to: "thread:main", mailbox: "xmit", payload: "{frame: 60 bytes}" },
  { seq: 7, time: 21, kind: "deliver", from: "thread:main", mailbox: "xmit", payload: "{frame: 64 bytes}" },
  { seq: 8, time: 22, kind: "send", from: "nic", to: "thread:rx", mailbox: "irq", payload: "{isr: 1}" },
  { seq: 9, time: 23, kind: "deliver", from: "thread:rx", mailbox: "irq", payload: "{isr: 1}" },
  { seq: 10, time: 30, kind: "deliver", from: "thread:main", mailbox: "xmit", payload: "{frame: 60 bytes}" },
  { seq: 11, time: 31, kind: "fault", from: "thread:main", fault: "unhandled", detail: 'txTimeout in "closed"\nline two' },
];

describe("JSON lines", () => {
  it("writes one event per line and reads them back unchanged", () => {
    const text = toJsonLines(TRACE);
    assert.equal(text.split("\n").length, TRACE.length + 1);
    assert.ok(text.endsWith("}\n"));
    assert.deepEqual(parseJsonLines(text), TRACE);
    assert.deepEqual(parseJsonLines(text.replace(/\n/g, "\r\n\n")), TRACE, "CRLF and blank lines");
    assert.equal(toJsonLines([]), "");
  });

  it("names the line and the cause of bad input", () => {
    assert.throws(() => parseJsonLines('{"seq":0,"time":0,"kind":"log","from":"os"}\n{oops\n', "t.jsonl"), /^Error: t\.jsonl:2: not JSON/);
    assert.throws(() => parseJsonLines('\n{"seq":"0","time":0,"kind":"log","from":"os"}', "t.jsonl"), /^Error: t\.jsonl:2: not a trace event/);
  });
});

describe("Chrome trace", () => {
  const chrome = toChromeTrace(TRACE);
  const slices = chrome.traceEvents.filter((e) => e.ph === "X");
  const meta = chrome.traceEvents.filter((e) => e.ph === "M");

  it("is JSON with a traceEvents array", () => {
    const parsed = JSON.parse(JSON.stringify(chrome)) as { traceEvents: unknown[]; displayTimeUnit: string };
    assert.ok(Array.isArray(parsed.traceEvents));
    assert.equal(parsed.displayTimeUnit, "ms");
  });

  it("names one thread per lifeline, in diagram order", () => {
    assert.deepEqual(orderLifelines(TRACE), ["os", "adapter", "thread:main", "thread:rx", "nic"]);
    const names = meta.filter((e) => e.name === "thread_name").map((e) => [e.tid, e.args?.name]);
    assert.deepEqual(names, [
      [1, "OS"],
      [2, "adapter"],
      [3, "thread main"],
      [4, "thread rx"],
      [5, "NIC"],
    ]);
    assert.deepEqual(meta.find((e) => e.name === "process_name")?.args, { name: "active driver domain" });
  });

  it("has one zero-length slice per event on its lifeline, ts in microseconds, details in args", () => {
    assert.equal(slices.length, TRACE.length);
    slices.forEach((s, i) => {
      assert.equal(s.ts, TRACE[i]!.time);
      assert.equal(s.dur, 0);
      assert.equal(s.pid, 1);
      assert.equal(s.cat, TRACE[i]!.kind);
      assert.equal(s.args?.seq, i);
    });
    assert.deepEqual(
      slices.map((s) => s.tid),
      [1, 1, 3, 3, 5, 3, 1, 3, 5, 4, 3, 3],
    );
    assert.equal(slices[2]!.name, "deliver open");
    assert.equal(slices[2]!.args?.loc, "/w/samples/rtl8169/active.ts:14:9");
    assert.equal(slices[11]!.name, "fault unhandled");
    assert.equal(slices[11]!.args?.detail, 'txTimeout in "closed"\nline two');
  });

  it("links each send to its delivery in FIFO order per mailbox; undelivered sends get no flow", () => {
    assert.deepEqual(
      [...pairSendsWithDeliveries(TRACE)].sort((a, b) => a[0] - b[0]),
      [
        [2, 0],
        [7, 1],
        [9, 8],
        [10, 6],
      ],
    );
    const flows = slices.filter((s) => s.bind_id !== undefined).map((s) => [s.args?.seq, s.bind_id, s.flow_out ? "out" : "in"]);
    assert.deepEqual(flows, [
      [0, "m0", "out"],
      [1, "m1", "out"],
      [2, "m0", "in"],
      [6, "m6", "out"],
      [7, "m1", "in"],
      [8, "m8", "out"],
      [9, "m8", "in"],
      [10, "m6", "in"],
    ]);
    assert.equal(slices[5]!.bind_id, undefined, "openComplete goes to the OS: no delivery");
  });

  it("handles an empty trace", () => {
    const empty = toChromeTrace([]);
    assert.equal(empty.traceEvents.filter((e) => e.ph === "X").length, 0);
    assert.equal(empty.traceEvents.filter((e) => e.name === "thread_name").length, 3);
  });
});
