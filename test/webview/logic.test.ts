// The webviews' DOM-free parts: the traffic model (lifelines, filters, search) and the state
// machine layout (deterministic, BFS order, one edge per state pair).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { layoutMachine, stateOrder } from "../../client/views/machine/page/layout";
import { eventLabel } from "../../client/views/traffic/page/describe";
import { TrafficModel } from "../../client/views/traffic/page/model";
import { syntheticTrace } from "./harness";
import { ETHERNET } from "./protocols";

describe("traffic model", () => {
  it("orders lifelines OS, adapter, threads as they appear, NIC", () => {
    const model = new TrafficModel();
    model.append([{ seq: 0, time: 0, kind: "send", from: "nic", to: "thread:rx" }]);
    model.append([{ seq: 1, time: 0, kind: "send", from: "thread:main", to: "adapter" }]);
    assert.deepEqual(model.lanes, ["os", "adapter", "thread:rx", "thread:main", "nic"]);
  });

  it("maps rows to events under filters, and seqs to events", () => {
    const model = new TrafficModel();
    model.append(syntheticTrace(60));
    model.setFilter({ mailbox: "irq", lane: "" });
    assert.equal(model.rowCount, 20);
    assert.equal(model.eventAt(0), 3);
    assert.equal(model.rowOf(4), 1);
    assert.equal(model.rowOf(5), -1);
    model.append(syntheticTrace(6, 60));
    assert.equal(model.rowCount, 22, "appends respect the filter");
    model.setFilter({ mailbox: "", lane: "thread:main" });
    assert.ok(model.rowCount > 0 && [...Array(model.rowCount).keys()].every((r) => [0, 1, 5].includes(model.eventAt(r) % 6)));
    assert.equal(model.indexOfSeq(65), 65);
  });

  it("steps through search matches from the selection, wrapping both ways", () => {
    const model = new TrafficModel();
    model.append(syntheticTrace(30));
    model.setQuery("{LEN:1");
    assert.deepEqual(model.matches, [12, 13, 18, 19]);
    model.select(14);
    assert.equal(model.stepMatch(1), 18);
    assert.equal(model.stepMatch(1), 19);
    assert.equal(model.stepMatch(1), 12);
    assert.equal(model.stepMatch(-1), 19);
    model.select(0);
    assert.equal(model.stepMatch(-1), 19);
    model.append(syntheticTrace(100, 30));
    assert.deepEqual(model.matches.slice(4, 6), [102, 103], "matches extend as events arrive");
  });

  it("labels events", () => {
    const [send, deliver, device, , , wait] = syntheticTrace(6);
    assert.deepEqual([send, deliver, device, wait].map((e) => eventLabel(e!)), ["xmit({len:0})", "deliver xmit({len:0})", "TxPoll <- 0x40", "wait xmit"]);
  });
});

describe("state machine layout", () => {
  it("orders states by BFS from the initial state, then unreachable ones", () => {
    assert.deepEqual(stateOrder(ETHERNET).order, ["closed", "opening", "open", "closing"]);
    const { order, reachable } = stateOrder({ initial: "b", states: { a: { x: "b" }, b: { y: "c" }, c: {} } });
    assert.deepEqual(order, ["b", "c", "a"]);
    assert.ok(!reachable.has("a"));
  });

  it("is deterministic and groups messages per state pair", () => {
    const one = layoutMachine(ETHERNET);
    assert.deepEqual(layoutMachine(structuredClone(ETHERNET)), one);
    assert.equal(one.nodes.length, 4);
    assert.equal(one.edges.length, 8);
    const loop = one.edges.find((e) => e.from === "open" && e.to === "open")!;
    assert.deepEqual(loop.labels, [
      { message: "xmit", direction: "in" },
      { message: "txTimeout", direction: "in" },
    ]);
    for (const n of one.nodes) {
      assert.ok(n.x - n.width / 2 >= one.x && n.x + n.width / 2 <= one.x + one.width, `${n.id} inside the bounds`);
      assert.ok(n.y - n.height / 2 >= one.y && n.y + n.height / 2 <= one.y + one.height, `${n.id} inside the bounds`);
    }
  });

  it("lays out a single state", () => {
    const single = layoutMachine({ initial: "idle", states: { idle: { ping: "idle" } } });
    assert.equal(single.nodes.length, 1);
    assert.match(single.edges[0]!.path, /^M [-\d.]+ [-\d.]+ C /);
  });
});
