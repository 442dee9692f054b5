// The webviews' DOM-free parts: the traffic model (lifelines, filters, search) and the state
// machine layout (deterministic, BFS order, one edge per state pair).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coverageOf } from "../../client/views/machine/page/coverage";
import { layoutMachine, roundedPath, stateOrder, type MachineLayout, type NodeLayout } from "../../client/views/machine/page/layout";
import { eventLabel } from "../../client/views/traffic/page/describe";
import { TrafficModel } from "../../client/views/traffic/page/model";
import { syntheticTrace } from "./harness";
import { ETHERNET, TWELVE_STATES } from "./protocols";

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
    assert.deepEqual(
      [send, deliver, device, wait].map((e) => eventLabel(e!)),
      ["xmit({len:0})", "deliver xmit({len:0})", "TxPoll <- 0x40", "wait xmit"],
    );
  });
});

describe("state machine layout", () => {
  it("orders states by BFS from the initial state, then unreachable ones", () => {
    assert.deepEqual(stateOrder(ETHERNET).order, ["closed", "opening", "open", "closing"]);
    const { order, reachable } = stateOrder({ initial: "b", states: { a: { x: "b" }, b: { y: "c" }, c: {} } });
    assert.deepEqual(order, ["b", "c", "a"]);
    assert.ok(!reachable.has("a"));
  });

  it("is deterministic and groups messages per state pair", async () => {
    const one = await layoutMachine(ETHERNET);
    assert.deepEqual(await layoutMachine(structuredClone(ETHERNET)), one);
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

  it("lays out a single state", async () => {
    const single = await layoutMachine({ initial: "idle", states: { idle: { ping: "idle" } } });
    assert.equal(single.nodes.length, 1);
    assert.match(single.edges[0]!.path, /^M [-\d.]+ [-\d.]+ L /, "a self-loop is routed around the state");
  });

  it("lays twelve states out in layers from the initial state down, without overlaps", async () => {
    const laid = await layoutMachine(TWELVE_STATES);
    assert.equal(laid.nodes.length, 12);
    const at = new Map(laid.nodes.map((n) => [n.id, n]));
    assert.equal(Math.min(...laid.nodes.map((n) => n.y)), at.get("closed")!.y, "the initial state is in the top layer");
    assert.ok(at.get("opening")!.y > at.get("closed")!.y && at.get("open")!.y > at.get("opening")!.y, "closed, opening, open go down");
    assertNoOverlaps(laid);
    // Wider than tall is not required; readable is: no layer holds more than half the states.
    const layers = new Map<number, number>();
    for (const n of laid.nodes) layers.set(n.y, (layers.get(n.y) ?? 0) + 1);
    assert.ok(layers.size >= 4, `${layers.size} layers`);
    assert.ok(Math.max(...layers.values()) <= 6, `a layer of ${Math.max(...layers.values())} states`);
  });

  it("routes each edge from its source state to its target state", async () => {
    for (const protocol of [ETHERNET, TWELVE_STATES]) {
      const laid = await layoutMachine(protocol);
      const at = new Map(laid.nodes.map((n) => [n.id, n]));
      for (const edge of laid.edges) {
        const numbers = edge.path.match(/-?[\d.]+/g)!.map(Number);
        const [sx, sy] = numbers;
        const [ex, ey] = numbers.slice(-2);
        assert.ok(touches(at.get(edge.from)!, sx!, sy!), `${edge.from}->${edge.to} starts on ${edge.from}: ${edge.path}`);
        assert.ok(touches(at.get(edge.to)!, ex!, ey!), `${edge.from}->${edge.to} ends on ${edge.to}: ${edge.path}`);
      }
    }
  });

  it("rounds the corners of a routed edge", () => {
    assert.equal(
      roundedPath([
        [0, 0],
        [0, 20],
      ]),
      "M 0 0 L 0 20",
    );
    assert.equal(
      roundedPath([
        [0, 0],
        [0, 20],
        [30, 20],
      ]),
      "M 0 0 L 0 14 Q 0 20 6 20 L 30 20",
    );
    assert.equal(roundedPath([]), "");
  });
});

describe("state machine coverage", () => {
  it("counts (state, message) pairs and keeps the unreached ones in report order", () => {
    const coverage = coverageOf({
      transitions: [
        { state: "open", message: "xmit", count: 120 },
        { state: "open", message: "xmit", count: 3 },
        { state: "closed", message: "open", count: 0 },
      ],
      unreached: [
        { state: "closing", message: "txTimeout" },
        { state: "opening", message: "txTimeout" },
      ],
    });
    assert.equal(coverage.count("open", "xmit"), 123);
    assert.equal(coverage.count("closed", "open"), 0, "a zero count is not coverage");
    assert.equal(coverage.count("open", "close"), 0);
    assert.equal(coverage.pairs, 1);
    assert.ok(coverage.isUnreached("closing", "txTimeout"));
    assert.ok(!coverage.isUnreached("open", "xmit"));
    assert.deepEqual(coverage.unreached, [
      { state: "closing", message: "txTimeout" },
      { state: "opening", message: "txTimeout" },
    ]);
  });

  it("skips malformed entries of a report from another process", () => {
    const coverage = coverageOf({
      transitions: [null, { state: 1, message: "x", count: 2 }, { state: "s", message: "m", count: "7" }] as never,
      unreached: [{ state: "s" }, "x"] as never,
    });
    assert.equal(coverage.pairs, 0);
    assert.deepEqual(coverage.unreached, []);
  });
});

/** The point lies on the box's border (within a pixel), where an edge leaves or enters it. */
function touches(n: NodeLayout, x: number, y: number): boolean {
  const left = n.x - n.width / 2;
  const right = n.x + n.width / 2;
  const top = n.y - n.height / 2;
  const bottom = n.y + n.height / 2;
  return x >= left - 1 && x <= right + 1 && y >= top - 1 && y <= bottom + 1;
}

function assertNoOverlaps(laid: MachineLayout): void {
  const boxes = laid.nodes.map((n) => ({ id: n.id, left: n.x - n.width / 2, right: n.x + n.width / 2, top: n.y - n.height / 2, bottom: n.y + n.height / 2 }));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      assert.ok(!(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom), `states ${a.id} and ${b.id} overlap`);
    }
  for (const n of laid.nodes) {
    assert.ok(n.x - n.width / 2 >= laid.x && n.x + n.width / 2 <= laid.x + laid.width, `${n.id} inside the bounds`);
    assert.ok(n.y - n.height / 2 >= laid.y && n.y + n.height / 2 <= laid.y + laid.height, `${n.id} inside the bounds`);
  }
}
