// The mailbox FIFOs: payload ring and the queue of OS calls owed a reply.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Mailbox, type PendingCall } from "../../runtime/src/mailbox";

const call = (request: string): PendingCall => ({ request, since: 0, promise: Promise.resolve(), resolve() {}, reject() {} });

describe("mailbox queues", () => {
  it("keeps FIFO order and arrival numbers across ring growth and wrap-around", () => {
    const mb = new Mailbox("m", "in", {}, 0, false, 2, true);
    const out: unknown[] = [];
    let seq = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 7; i++, seq++) mb.push(`p${seq}`, seq, seq * 10);
      for (let i = 0; i < 4; i++) {
        assert.equal(mb.headRef(), mb.headSeq() * 10);
        out.push(mb.take());
      }
    }
    while (mb.size > 0) out.push(mb.take());
    assert.deepEqual(
      out,
      Array.from({ length: seq }, (_, i) => `p${i}`),
    );
    assert.equal(mb.headSeq(), Infinity);
    assert.equal(mb.delivered, seq);
  });

  it("queues pending calls in order, grows, and removes one out of order", () => {
    const mb = new Mailbox("r", "out", {}, 0);
    const calls = ["a", "b", "c", "d", "e", "f"].map(call);
    for (const c of calls.slice(0, 3)) mb.pushPending(c);
    mb.removePending(calls[1]);
    assert.deepEqual(
      mb.pendingList(16).map((c) => c.request),
      ["a", "c"],
    );
    assert.equal(mb.shiftPending()?.request, "a");
    for (const c of calls.slice(3)) mb.pushPending(c);
    assert.equal(mb.lastPending()?.request, "f");
    mb.removePending(calls[4]);
    assert.deepEqual(
      mb.pendingList(16).map((c) => c.request),
      ["c", "d", "f"],
    );
    assert.equal(mb.pendingCount(), 3);
    assert.deepEqual(
      [mb.shiftPending(), mb.shiftPending(), mb.shiftPending(), mb.shiftPending()].map((c) => c?.request),
      ["c", "d", "f", undefined],
    );
  });
});
