// The views' state across a hidden panel or a window reload, in headless Chromium: a page saves
// filters, search, selection and scroll with setState; a new page of the view, given that state
// (as VS Code gives it), shows the same once the extension replays the trace, or the saved protocol.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TrafficViewState } from "../../client/views/shared/page/viewState";
import { Harness, syntheticTrace, visibleSeqs, type WebviewPage } from "./harness";
import { ETHERNET } from "./protocols";

let harness: Harness;
before(async () => {
  harness = await Harness.start();
});
after(async () => {
  await harness?.close();
});

const TRACE = syntheticTrace(3000);

/** What the extension sends a page on `ready` (TraceSession.snapshot of the traffic view). */
async function replay(view: WebviewPage, current: number | null = null): Promise<void> {
  await view.post({ type: "events", events: TRACE, reset: true });
  await view.post({ type: "current", seq: current });
}

async function shown(
  view: WebviewPage,
): Promise<{ mailbox: string; lane: string; search: string; status: string; count: string; selected: string[]; top: number | undefined }> {
  const seqs = await view.page.evaluate(visibleSeqs);
  return {
    mailbox: await view.page.inputValue("#filter-mailbox"),
    lane: await view.page.inputValue("#filter-lane"),
    search: await view.page.inputValue("#search"),
    status: (await view.page.textContent("#status")) ?? "",
    count: (await view.page.textContent("#search-count")) ?? "",
    selected: await view.page.locator(".row.selected").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.seq ?? "")),
    top: seqs[0],
  };
}

async function savedState(view: WebviewPage): Promise<TrafficViewState> {
  await view.frame();
  return (await view.state()) as TrafficViewState;
}

describe("traffic view: state across pages", () => {
  let saved: TrafficViewState;
  let before: Awaited<ReturnType<typeof shown>>;

  it("saves the filters, the search, the selection and the scroll position as the user changes them", async () => {
    const view = await harness.open("traffic", { height: 500 });
    await replay(view);
    assert.equal((await savedState(view)).follow, true, "at first it follows the end");
    await view.page.selectOption("#filter-lane", "thread:rx");
    await view.page.fill("#filter-mailbox", "irq");
    await view.page.fill("#search", "{isr:0x1}");
    await view.page.keyboard.press("Enter");
    await view.page.keyboard.press("Enter");
    await view.page.evaluate(() => {
      document.getElementById("diagram")!.scrollTop = 22 * 300;
    });
    await view.frame();
    await view.page.click(".row:not([hidden])[data-seq]:nth-child(n+8)");
    saved = await savedState(view);
    before = await shown(view);
    assert.equal(saved.v, 1);
    assert.equal(saved.mailbox, "irq");
    assert.equal(saved.lane, "thread:rx");
    assert.equal(saved.query, "{isr:0x1}");
    assert.equal(saved.follow, false);
    assert.equal(String(saved.selected), before.selected[0]);
    assert.equal(saved.top, 903, "row 300 of the filtered rows (seqs 3, 4, 9, 10, ...)");
    assert.equal(saved.onMatch, false, "a click leaves the search matches");
    const onRx = TRACE.filter((e) => e.mailbox === "irq" && (e.from === "thread:rx" || e.to === "thread:rx")).length;
    assert.equal(before.status, `${onRx} of ${TRACE.length} events`);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it("a new page given that state shows the same once the trace is replayed", async () => {
    const view = await harness.open("traffic", { height: 500, state: saved });
    const early = await shown(view);
    assert.deepEqual([early.mailbox, early.lane, early.search], ["irq", "thread:rx", "{isr:0x1}"], "the boxes are filled before the trace arrives");
    await replay(view);
    assert.deepEqual(await shown(view), before);
    assert.deepEqual(await savedState(view), saved, "restoring saves the same state back");
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it("a search match stepped to comes back as that match (k/n)", async () => {
    const view = await harness.open("traffic", { height: 500 });
    await replay(view);
    await view.page.fill("#search", "deliver");
    await view.page.keyboard.press("Enter");
    await view.page.keyboard.press("Enter");
    const onMatch = await savedState(view);
    const was = await shown(view);
    assert.equal(onMatch.onMatch, true);
    assert.match(was.count, /^3\/\d+$/);
    await view.page.close();

    const again = await harness.open("traffic", { height: 500, state: onMatch });
    await replay(again);
    assert.deepEqual(await shown(again), was);
    await again.page.press("#search", "Enter");
    assert.match((await shown(again)).count, /^4\/\d+$/, "Enter goes on from the restored match");
    await again.page.close();
  });

  it("follows the debugger when it moved while the page was away, and stays put when it did not", async () => {
    const at = before.top!;
    const stayed = await harness.open("traffic", { height: 500, state: { ...saved, current: at } });
    await replay(stayed, at);
    const kept = await shown(stayed);
    assert.deepEqual([kept.selected, kept.top], [before.selected, before.top], "unmoved debugger: the user's selection and place are kept");
    assert.equal(await stayed.page.locator(`.row.current:not(.selected)[data-seq="${at}"]`).count(), 1, "and its event is lit");
    await stayed.page.close();

    const moved = await harness.open("traffic", { height: 500, state: { ...saved, mailbox: "", lane: "", current: 2500 } });
    await replay(moved, 2700);
    const now = await shown(moved);
    assert.deepEqual(now.selected, ["2700"], "the debugger's new event is selected");
    assert.ok(await moved.page.locator('.row.current.selected[data-seq="2700"]').isVisible(), "and scrolled into view");
    await moved.page.close();
  });

  it("after a reload (no trace to replay) keeps the filters, and applies them to the next run", async () => {
    const view = await harness.open("traffic", { height: 500, state: { ...saved, lane: "thread:tx" } });
    await view.post({ type: "events", events: [], reset: true });
    await view.post({ type: "current", seq: null });
    const empty = await shown(view);
    assert.deepEqual(
      [empty.mailbox, empty.lane, empty.search, empty.status],
      ["irq", "thread:tx", "{isr:0x1}", "0 events"],
      "a lifeline not seen yet stays chosen",
    );
    await view.post({
      type: "events",
      events: [...TRACE.slice(0, 10), { seq: 10, time: 40, kind: "send", from: "nic", to: "thread:tx", mailbox: "irq" }],
      reset: true,
    });
    assert.equal((await shown(view)).status, "1 of 11 events");
    assert.deepEqual(await view.page.locator("#filter-lane option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)), [
      "",
      "os",
      "adapter",
      "thread:main",
      "thread:rx",
      "thread:tx",
      "nic",
    ]);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });

  it("ignores a state it cannot read and starts fresh", async () => {
    const view = await harness.open("traffic", { height: 500, state: { v: 99, view: "traffic", mailbox: "irq" } });
    await replay(view);
    const fresh = await shown(view);
    assert.deepEqual([fresh.mailbox, fresh.lane, fresh.search, fresh.status, fresh.top], ["", "", "", `${TRACE.length} events`, fresh.top]);
    assert.ok(fresh.top !== undefined && fresh.top > TRACE.length - 40, "following the end");
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });
});

describe("state machine view: state across pages", () => {
  it("a page given the saved state draws the saved protocol at once, in its state and scroll position", async () => {
    const view = await harness.open("machine", { width: 900, height: 250 });
    await view.post(ETHERNET);
    await view.post({ type: "current", seq: 12, state: "open" });
    await view.page.evaluate(() => {
      document.getElementById("root")!.scrollTop = 140;
    });
    await view.frame();
    const saved = await view.state();
    assert.equal((saved as { scrollTop: number }).scrollTop, 140);
    await view.page.close();

    const again = await harness.open("machine", { width: 900, height: 250, state: saved });
    assert.deepEqual(await again.page.locator("#machine g.state-node.current text").allTextContents(), ["open"]);
    assert.equal(await again.page.textContent("#machine-title"), "ethernet: in state open");
    assert.equal(await again.page.evaluate(() => document.getElementById("root")!.scrollTop), 140);
    await again.post({ ...ETHERNET, name: "ethernet2", current: "closing" });
    assert.equal(await again.page.textContent("#machine-title"), "ethernet2: in state closing", "the extension's protocol wins");
    assert.equal(await again.page.evaluate(() => document.getElementById("root")!.scrollTop), 140, "redrawing keeps the scroll position");
    assert.deepEqual(again.errors, []);
    await again.page.close();
  });

  it("draws nothing from a damaged saved protocol", async () => {
    const view = await harness.open("machine", {
      state: { v: 1, view: "machine", protocol: { type: "protocol", states: "x", initial: "closed" }, scrollTop: 0, scrollLeft: 0 },
    });
    assert.equal(await view.page.locator("#machine svg").count(), 0);
    assert.equal(await view.page.textContent("#machine .empty"), "Waiting for the protocol\u2026");
    assert.deepEqual(view.errors, []);
    await view.page.close();
  });
});
