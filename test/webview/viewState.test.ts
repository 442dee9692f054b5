// The webviews' saved state (getState/setState), DOM-free: what is read back from a saved state,
// what is refused (another version, a damaged or foreign value), writes only on change, and the
// traffic model's scroll anchor (a seq, so a restored position survives a changed filter).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changedOnly, defaultTrafficState, readMachineState, readTrafficState, type TrafficViewState } from "../../client/views/shared/page/viewState";
import { TrafficModel } from "../../client/views/traffic/page/model";
import { syntheticTrace } from "./harness";
import { ETHERNET } from "./protocols";

const saved: TrafficViewState = {
  v: 1,
  view: "traffic",
  mailbox: "irq",
  lane: "thread:rx",
  query: "isr",
  selected: 40,
  onMatch: true,
  top: 30,
  follow: false,
  current: null,
};

describe("traffic view state", () => {
  it("reads back what was saved, through JSON as VS Code keeps it", () => {
    assert.deepEqual(readTrafficState(JSON.parse(JSON.stringify(saved))), saved);
    assert.deepEqual(readTrafficState(defaultTrafficState()), defaultTrafficState());
  });

  it("refuses nothing saved, another version, the other view's state, and damaged fields", () => {
    const damaged: unknown[] = [
      undefined,
      null,
      "state",
      [saved],
      { ...saved, v: 2 },
      { ...saved, view: "machine" },
      { ...saved, mailbox: 3 },
      { ...saved, lane: undefined },
      { ...saved, query: "x".repeat(1001) },
      { ...saved, selected: -1 },
      { ...saved, selected: 1.5 },
      { ...saved, top: "30" },
      { ...saved, current: Number.MAX_SAFE_INTEGER + 2 },
      { ...saved, follow: "yes" },
      { ...saved, onMatch: undefined },
    ];
    for (const raw of damaged) assert.equal(readTrafficState(raw), undefined, JSON.stringify(raw));
  });

  it("keeps only its own fields", () => {
    const read = readTrafficState({ ...saved, extra: "<img src=x>", __proto__: { polluted: true } });
    assert.deepEqual(read && Object.keys(read).sort(), Object.keys(saved).sort());
  });
});

describe("machine view state", () => {
  it("reads back a drawn protocol with its current state, or none", () => {
    const state = { v: 1, view: "machine", protocol: { ...ETHERNET, current: "open" }, scrollTop: 120, scrollLeft: 0 };
    assert.deepEqual(readMachineState(JSON.parse(JSON.stringify(state))), state);
    assert.deepEqual(readMachineState({ v: 1, view: "machine", protocol: null, scrollTop: 0, scrollLeft: 0 }), {
      v: 1,
      view: "machine",
      protocol: null,
      scrollTop: 0,
      scrollLeft: 0,
    });
  });

  it("checks a saved protocol as a message from the extension; odd offsets become 0", () => {
    const base = { v: 1, view: "machine", scrollTop: 0, scrollLeft: 0 };
    for (const protocol of [undefined, { ...ETHERNET, type: "events" }, { ...ETHERNET, states: "closed" }, { ...ETHERNET, initial: 1 }]) {
      assert.equal(readMachineState({ ...base, protocol }), undefined, JSON.stringify(protocol));
    }
    assert.equal(readMachineState({ ...base, protocol: null, view: "traffic" }), undefined);
    assert.deepEqual(readMachineState({ ...base, protocol: null, scrollTop: -5, scrollLeft: "9" }), { ...base, protocol: null });
  });
});

describe("saving", () => {
  it("writes a state only when it differs from the last one written", () => {
    const writes: unknown[] = [];
    const save = changedOnly<TrafficViewState>((s) => writes.push(s));
    assert.equal(save(saved), true);
    assert.equal(save({ ...saved }), false, "an equal state is not written again");
    assert.equal(save({ ...saved, top: 31 }), true);
    assert.equal(save(saved), true, "back to an earlier state is a change");
    assert.deepEqual(writes, [saved, { ...saved, top: 31 }, saved]);
  });
});

describe("traffic model: scroll anchor by seq", () => {
  it("finds the first row at or after a seq, under a filter, at the ends, and with no rows", () => {
    const model = new TrafficModel();
    assert.equal(model.rowAtOrAfterSeq(0), -1, "no rows");
    model.append(syntheticTrace(60));
    assert.equal(model.rowAtOrAfterSeq(25), 25, "unfiltered: row = seq");
    model.setFilter({ mailbox: "irq", lane: "" }); // seqs 3, 4, 9, 10, 15, 16, ...
    assert.equal(model.eventAt(model.rowAtOrAfterSeq(9)), 9, "a row of that seq");
    assert.equal(model.eventAt(model.rowAtOrAfterSeq(11)), 15, "filtered out: the next row shown");
    assert.equal(model.rowAtOrAfterSeq(0), 0);
    assert.equal(model.rowAtOrAfterSeq(1000), model.rowCount - 1, "past the end: the last row");
    model.setFilter({ mailbox: "no such mailbox", lane: "" });
    assert.equal(model.rowAtOrAfterSeq(9), -1, "everything filtered out");
  });
});
