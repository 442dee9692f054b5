// The state machine webview in headless Chromium: states and labelled transitions drawn as SVG,
// the current state lit and moved by "protocol" and "current" messages.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type WebviewPage } from "./harness";
import { ETHERNET } from "./protocols";

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
    const boxes = await view.page.evaluate(() => Array.from(document.querySelectorAll("#machine g.state-node")).map((g) => g.getBoundingClientRect().toJSON() as DOMRect));
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
    const enabled = await view.page.evaluate(() => Array.from(document.querySelectorAll<SVGGElement>("#machine g.transition.enabled")).map((g) => `${g.dataset.from}->${g.dataset.to}`));
    assert.deepEqual(enabled, ["open->closing", "open->open"]);
    await view.post({ type: "current", seq: 12, state: "closing" });
    assert.deepEqual(await current(), ["closing"]);
    await view.post({ type: "current", seq: 13 });
    assert.deepEqual(await current(), ["closing"], "a current message without a state keeps the state");
  });

  it("marks unreachable and undeclared states", async () => {
    await view.post({ type: "protocol", initial: "a", states: { a: { go: "b" }, b: { back: "a", jump: "nowhere" }, island: { stay: "island" } } });
    const classes = await view.page.evaluate(() => Object.fromEntries(Array.from(document.querySelectorAll<SVGGElement>("#machine g.state-node")).map((g) => [g.dataset.state, g.getAttribute("class")])));
    assert.deepEqual(Object.keys(classes), ["a", "b", "nowhere", "island"]);
    assert.match(classes.island!, /unreachable/);
    assert.match(classes.nowhere!, /undeclared/);
    assert.match(classes.a!, /current/);
    assert.deepEqual(view.errors, []);
  });
});
