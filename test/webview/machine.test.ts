// The state machine webview in headless Chromium: states and labelled transitions drawn as SVG (a
// layered layout), the current state lit and moved by "protocol" and "current" messages, the last
// exploration's coverage lit and its unreached transitions listed.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type WebviewPage } from "./harness";
import { ETHERNET, TWELVE_STATES } from "./protocols";

let harness: Harness;
let view: WebviewPage;
before(async () => {
  harness = await Harness.start();
  view = await harness.open("machine");
});
after(async () => {
  await harness?.close();
});

const current = () => view.page.locator("#machine g.state-node.current").allTextContents();

describe("state machine view", () => {
  it("says ready and waits for a protocol", async () => {
    assert.deepEqual(await view.posted(), [{ type: "ready", view: "machine" }]);
    assert.equal(await view.page.locator("#machine svg").count(), 0);
  });

  it("draws every state and every transition with its messages", async () => {
    await view.post(ETHERNET);
    assert.deepEqual(await view.page.locator("#machine g.state-node text").allTextContents(), ["closed", "opening", "open", "closing"]);
    const edges = await view.page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGGElement>("#machine g.transition")).map((g) => ({
        from: g.dataset.from,
        to: g.dataset.to,
        labels: Array.from(g.querySelectorAll("tspan")).map((t) => t.textContent),
        drawn: (g.querySelector("path")?.getTotalLength() ?? 0) > 10,
      })),
    );
    assert.deepEqual(edges, [
      { from: "closed", to: "opening", labels: ["?open"], drawn: true },
      { from: "closed", to: "closed", labels: ["?txTimeout"], drawn: true },
      { from: "opening", to: "open", labels: ["!openComplete"], drawn: true },
      { from: "opening", to: "opening", labels: ["?txTimeout"], drawn: true },
      { from: "open", to: "closing", labels: ["?close"], drawn: true },
      { from: "open", to: "open", labels: ["?xmit", "?txTimeout"], drawn: true },
      { from: "closing", to: "closed", labels: ["!closeComplete"], drawn: true },
      { from: "closing", to: "closing", labels: ["?txTimeout"], drawn: true },
    ]);
    assert.deepEqual(await current(), ["closed"]);
    assert.equal(await view.page.locator("#machine g.state-node.initial").count(), 1);
    assert.equal(await view.page.textContent("#machine-title"), "ethernet: in state closed");
  });

  it("keeps states apart: no two state boxes overlap", async () => {
    const boxes = await view.page.evaluate(() =>
      Array.from(document.querySelectorAll("#machine g.state-node")).map((g) => g.getBoundingClientRect().toJSON() as DOMRect),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        assert.ok(!overlap, `states ${i} and ${j} overlap`);
      }
  });

  it("lights the current state and its outgoing transitions", async () => {
    await view.post({ ...ETHERNET, current: "open" });
    assert.deepEqual(await current(), ["open"]);
    const enabled = await view.page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGGElement>("#machine g.transition.enabled")).map((g) => `${g.dataset.from}->${g.dataset.to}`),
    );
    assert.deepEqual(enabled, ["open->closing", "open->open"]);
    await view.post({ type: "current", seq: 12, state: "closing" });
    assert.deepEqual(await current(), ["closing"]);
    await view.post({ type: "current", seq: 13 });
    assert.deepEqual(await current(), ["closing"], "a current message without a state keeps the state");
  });

  it("marks unreachable and undeclared states", async () => {
    await view.post({ type: "protocol", initial: "a", states: { a: { go: "b" }, b: { back: "a", jump: "nowhere" }, island: { stay: "island" } } });
    const classes = await view.page.evaluate(() =>
      Object.fromEntries(Array.from(document.querySelectorAll<SVGGElement>("#machine g.state-node")).map((g) => [g.dataset.state, g.getAttribute("class")])),
    );
    assert.deepEqual(Object.keys(classes), ["a", "b", "nowhere", "island"]);
    assert.match(classes.island!, /unreachable/);
    assert.match(classes.nowhere!, /undeclared/);
    assert.match(classes.a!, /current/);
    assert.deepEqual(view.errors, []);
  });

  it("lights the transitions the last exploration covered and lists those it never reached", async () => {
    await view.post(ETHERNET);
    assert.equal(await view.page.locator("#machine-coverage").isVisible(), false, "no coverage before an exploration");
    await view.post({
      type: "coverage",
      driver: "active.ts",
      runs: 200,
      transitions: [
        { state: "closed", message: "open", count: 200 },
        { state: "opening", message: "openComplete", count: 200 },
        { state: "open", message: "xmit", count: 5000 },
        { state: "open", message: "close", count: 190 },
        { state: "closing", message: "closeComplete", count: 190 },
      ],
      unreached: [
        { state: "closing", message: "txTimeout" },
        { state: "open", message: "txTimeout" },
      ],
    });
    const covered = await view.page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGGElement>("#machine g.transition.covered")).map((g) => `${g.dataset.from}->${g.dataset.to}`),
    );
    assert.deepEqual(covered, ["closed->opening", "opening->open", "open->closing", "open->open", "closing->closed"]);
    const loop = await view.page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGTSpanElement>('#machine g.transition[data-from="open"][data-to="open"] tspan')).map((t) => ({
        text: t.textContent,
        cls: t.getAttribute("class"),
        count: t.dataset.count,
      })),
    );
    assert.deepEqual(loop, [
      { text: "?xmit", cls: "in covered", count: "5000" },
      { text: "?txTimeout", cls: "in unreached", count: "0" },
    ]);
    assert.equal(
      await view.page.textContent("#machine-coverage .coverage-title"),
      "Last exploration of active.ts (200 runs): 5 (state, message) pairs covered, 2 never reached",
    );
    assert.deepEqual(await view.page.locator("#machine-coverage li").allTextContents(), ["closing: txTimeout", "open: txTimeout"]);
    await view.post({ type: "coverage", transitions: [], unreached: [] });
    assert.equal(await view.page.locator("#machine g.transition.covered").count(), 0, "cleared");
    assert.equal(await view.page.locator("#machine-coverage").isVisible(), false);
    assert.deepEqual(view.errors, []);
  });

  it("keeps coverage across a new protocol message and a moving current state", async () => {
    await view.post({ type: "coverage", driver: "active.ts", transitions: [{ state: "open", message: "close", count: 1 }], unreached: [] });
    await view.post({ ...ETHERNET, current: "open" });
    await view.post({ type: "current", seq: 3, state: "closing" });
    assert.equal(await view.page.locator("#machine g.transition.covered").count(), 1);
    await view.post({ type: "coverage", transitions: [], unreached: [] });
  });

  it("lays out twelve states readably: layers top-down, no overlapping states, labels clear of states", async () => {
    await view.post(TWELVE_STATES);
    assert.equal(await view.page.locator("#machine g.state-node").count(), 12);
    const geometry = await view.page.evaluate(() => ({
      states: Array.from(document.querySelectorAll("#machine g.state-node > rect:not(.outer)")).map((r) => r.getBoundingClientRect().toJSON() as DOMRect),
      labels: Array.from(document.querySelectorAll("#machine g.transition text")).map((t) => t.getBoundingClientRect().toJSON() as DOMRect),
    }));
    const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    for (let i = 0; i < geometry.states.length; i++) {
      for (let j = i + 1; j < geometry.states.length; j++) assert.ok(!overlap(geometry.states[i]!, geometry.states[j]!), `states ${i} and ${j} overlap`);
      for (const [k, label] of geometry.labels.entries()) assert.ok(!overlap(geometry.states[i]!, label), `label ${k} covers state ${i}`);
    }
    const [initial] = geometry.states;
    assert.ok(
      geometry.states.every((s) => s.top >= initial!.top),
      "the initial state is in the top layer",
    );
    assert.deepEqual(view.errors, []);
  });
});
