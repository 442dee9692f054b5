// The traffic webview in headless Chromium: virtualised 100k-event trace, live follow, the lit
// current event, filters, search, reveal on click and keyboard, export buttons.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, postAndSync, syntheticTrace, visibleSeqs, type WebviewPage } from "./harness";

let harness: Harness;
before(async () => {
  harness = await Harness.start();
});
after(async () => {
  await harness?.close();
});

/** Page-side helpers evaluated as source, so the 100k events are built in the page, not sent over CDP. */
const postSynthetic = (count: number, start: number, reset: boolean): string =>
  `(${postAndSync.toString()})({ type: "events", reset: ${reset}, events: (${syntheticTrace.toString()})(${count}, ${start}) })`;

async function scrollTo(view: WebviewPage, where: "end" | number): Promise<void> {
  await view.page.evaluate((w) => {
    const s = document.getElementById("diagram")!;
    s.scrollTop = w === "end" ? s.scrollHeight : w;
  }, where);
  await view.frame();
}

const seqs = (view: WebviewPage): Promise<number[]> => view.page.evaluate(visibleSeqs);
const classOf = (view: WebviewPage, seq: number): Promise<string | null> =>
  view.page.evaluate((s) => document.querySelector(`.row[data-seq="${s}"]:not([hidden])`)?.className ?? null, seq);

function assertConsecutive(list: number[]): void {
  assert.ok(list.length > 5, `expected a screenful of rows, got ${JSON.stringify(list)}`);
  list.forEach((s, i) => assert.equal(s, list[0]! + i, `rows not consecutive: ${JSON.stringify(list)}`));
}

describe("traffic view: 100,000 events", () => {
  let view: WebviewPage;
  before(async () => {
    view = await harness.open("traffic");
  });
  after(async () => {
    await view.page.close();
  });

  it("says ready, renders 100k events with a few hundred DOM rows, following the end", async (t) => {
    assert.deepEqual((await view.posted())[0], { type: "ready", view: "traffic" });
    const ms = await view.page.evaluate(`(async () => {
      const t0 = performance.now();
      await ${postSynthetic(100_000, 0, true)};
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    })()`);
    const counts = await view.page.evaluate(() => ({ rows: document.querySelectorAll(".row").length, nodes: document.querySelectorAll("*").length }));
    t.diagnostic(`100k events: ${Math.round(ms as number)} ms to post, ingest and draw; ${counts.rows} row elements, ${counts.nodes} DOM elements`);
    assert.ok(counts.rows <= 300, `${counts.rows} row elements`);
    assert.ok(counts.nodes <= 2500, `${counts.nodes} DOM elements`);
    const shown = await seqs(view);
    assertConsecutive(shown);
    assert.equal(shown.at(-1), 99_999);
    assert.equal(await view.page.textContent("#status"), "100000 events");
  });

  it("shows the right rows in the middle and at the end", async (t) => {
    await scrollTo(view, 50_000 * 22);
    const middle = await seqs(view);
    assertConsecutive(middle);
    assert.equal(middle[0], 50_000);
    assert.equal(await view.page.textContent('.row[data-seq="50004"] .label'), "xmit({len:50004})");
    await scrollTo(view, "end");
    assert.equal((await seqs(view)).at(-1), 99_999);
    await scrollTo(view, 0);
    assert.equal((await seqs(view))[0], 0);
    const perFrame = (await view.page.evaluate(`(async () => {
      const s = document.getElementById("diagram"); const t0 = performance.now();
      for (let i = 1; i <= 200; i++) { s.scrollTop = i * 11000; s.dispatchEvent(new Event("scroll")); s.getBoundingClientRect(); document.body.offsetHeight; }
      return (performance.now() - t0) / 200;
    })()`)) as number;
    t.diagnostic(`scroll + render + layout of a jump: ${perFrame.toFixed(2)} ms`);
    assert.ok((await view.page.evaluate(() => document.querySelectorAll(".row").length)) <= 300);
  });

  it("lights the current event and scrolls it into view", async () => {
    await view.post({ type: "current", seq: 42_424 });
    assert.match((await classOf(view, 42_424)) ?? "", /\bcurrent\b/);
    assert.ok((await seqs(view)).includes(42_424));
    await view.post({ type: "current", seq: 7 });
    assert.match((await classOf(view, 7)) ?? "", /\bcurrent\b/);
    assert.ok((await seqs(view)).includes(7));
    assert.equal(await view.page.locator(".row.current").count(), 1);
  });
});

describe("traffic view: interaction", () => {
  let view: WebviewPage;
  before(async () => {
    view = await harness.open("traffic");
    await view.page.evaluate(postSynthetic(600, 0, true));
    await view.frame();
  });
  after(async () => {
    await view.page.close();
  });

  it("shows lifelines in order OS, adapter, threads as they appear, NIC", async () => {
    assert.deepEqual(await view.page.locator(".lane-name").allTextContents(), ["OS", "adapter", "main", "rx", "NIC"]);
    assert.deepEqual(await view.page.locator("#filter-lane option").allTextContents(), ["all lifelines", "OS", "adapter", "main", "rx", "NIC"]);
  });

  it("follows appended events, and stops following when the user scrolls up", async () => {
    assert.equal((await seqs(view)).at(-1), 599);
    await view.page.evaluate(postSynthetic(100, 600, false));
    await view.frame();
    assert.equal((await seqs(view)).at(-1), 699);
    await scrollTo(view, 0);
    await view.page.evaluate(postSynthetic(100, 700, false));
    await view.frame();
    assert.equal((await seqs(view))[0], 0);
    assert.equal(await view.page.textContent("#status"), "800 events");
    await view.page.click("#follow");
    await view.frame();
    assert.equal((await seqs(view)).at(-1), 799);
  });

  it("filters by mailbox and by lifeline", async () => {
    await view.page.fill("#filter-mailbox", "IRQ");
    await view.frame();
    await scrollTo(view, 0);
    let shown = await seqs(view);
    assert.ok(shown.length > 5);
    assert.ok(
      shown.every((s) => s % 6 === 3 || s % 6 === 4),
      `mailbox filter let through ${JSON.stringify(shown)}`,
    );
    assert.match((await view.page.textContent("#status")) ?? "", /^\d+ of 800 events$/);
    await view.page.fill("#filter-mailbox", "");
    await view.page.selectOption("#filter-lane", "nic");
    await view.frame();
    await scrollTo(view, 0);
    shown = await seqs(view);
    assert.ok(shown.length > 5);
    assert.ok(
      shown.every((s) => s % 6 === 2 || s % 6 === 3),
      `lifeline filter let through ${JSON.stringify(shown)}`,
    );
    await view.page.selectOption("#filter-lane", "");
    await view.frame();
    assert.equal(await view.page.textContent("#status"), "800 events");
  });

  it("searches, with next and previous match", async () => {
    await view.page.click('.row[data-seq="0"]');
    // "{len:12" is in the payloads of sends 12, 120, 126 and of their deliveries 13, 121, 127.
    await view.page.fill("#search", "{len:12");
    await view.frame();
    assert.equal(await view.page.textContent("#search-count"), "1/6");
    const at = () => view.page.evaluate(() => Number(document.querySelector<HTMLElement>(".row.match-current")?.dataset.seq));
    assert.equal(await at(), 12);
    await view.page.press("#search", "Enter");
    assert.equal(await at(), 13);
    await view.page.press("#search", "Shift+Enter");
    assert.equal(await at(), 12);
    await view.page.click("#search-prev");
    assert.equal(await at(), 127, "wraps to the last match");
    assert.equal(await view.page.textContent("#search-count"), "6/6");
    assert.ok((await seqs(view)).includes(127));
    assert.match((await classOf(view, 126)) ?? "", /\bmatch\b/);
    assert.doesNotMatch((await classOf(view, 125)) ?? "", /\bmatch\b/);
    await view.page.fill("#search", "no such text");
    assert.equal(await view.page.textContent("#search-count"), "no match");
    await view.page.fill("#search", "");
  });

  it("posts reveal with the source location on click, and on Enter after keyboard moves", async () => {
    await scrollTo(view, 0);
    await view.page.click('.row[data-seq="6"] .label');
    let posted = await view.posted();
    assert.deepEqual(posted.at(-1), { type: "reveal", seq: 6, loc: { file: "/drivers/rtl8169/active.ts", line: 10, column: 7 } });
    assert.match((await classOf(view, 6)) ?? "", /\bselected\b/);
    await view.page.focus("#diagram");
    await view.page.keyboard.press("ArrowDown");
    await view.page.keyboard.press("Enter");
    posted = await view.posted();
    assert.deepEqual(posted.at(-1), { type: "reveal", seq: 7, loc: { file: "/drivers/rtl8169/active.ts", line: 12, column: 7 } });
    const count = posted.length;
    await view.page.keyboard.press("ArrowDown");
    await view.page.keyboard.press("Enter");
    assert.equal((await view.posted()).length, count, "seq 8 has no location: nothing to reveal");
    await view.page.keyboard.press("End");
    await view.frame();
    assert.match((await classOf(view, 799)) ?? "", /\bselected\b/);
    await view.page.keyboard.press("Home");
    await view.frame();
    assert.equal((await seqs(view))[0], 0);
  });

  it("posts export requests", async () => {
    await view.page.click("#export-jsonl");
    await view.page.click("#export-chrome");
    assert.deepEqual((await view.posted()).slice(-2), [
      { type: "export", format: "jsonl" },
      { type: "export", format: "chrome" },
    ]);
  });

  it("resets on events with reset, and applies a current seq that arrives before its event", async () => {
    await view.post({ type: "current", seq: 902 });
    await view.page.evaluate(postSynthetic(1000, 0, true));
    await view.frame();
    assert.match((await classOf(view, 902)) ?? "", /\bcurrent\b/);
    assert.equal(await view.page.textContent("#status"), "1000 events");
    await view.post({ type: "current", seq: null });
    assert.equal(await view.page.locator(".row.current").count(), 0);
    assert.deepEqual(view.errors, []);
  });
});

describe("traffic view outside VS Code", () => {
  it("posts to the page itself when acquireVsCodeApi is missing", async () => {
    const view = await harness.open("traffic", { vscodeApi: false });
    assert.deepEqual(await view.posted(), [{ type: "ready", view: "traffic" }]);
    await view.post({ type: "events", events: syntheticTrace(12) });
    await view.page.click('.row[data-seq="0"]');
    // Without the API the message goes through window.postMessage: it is recorded a task later.
    await view.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 1);
    assert.equal(((await view.posted()).at(-1) as { type: string }).type, "reveal");
    await view.page.close();
  });
});
