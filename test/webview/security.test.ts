// Webview security in headless Chromium: an XSS corpus pushed through every text the views show
// stays text (no script runs, nothing is even attempted), and the page's CSP is present and enforced.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { contentSecurityPolicy } from "../../client/views/shared/host/html";
import type { TraceEvent } from "../../client/views/shared/messages";
import { Harness, type WebviewPage } from "./harness";

const XSS = [
  `<img src=x onerror="window.__xss=1">`,
  `<script>window.__xss=1</script>`,
  `"><svg onload="window.__xss=1">`,
  `javascript:window.__xss=1`,
  `'><iframe src="javascript:window.__xss=1"></iframe>`,
  `</title><style>@import url(http://127.0.0.1:9/x.css)</style>`,
  `<a href="javascript:window.__xss=1">click</a>`,
  `&lt;b&gt;entity&amp;`,
  `__proto__`,
  `constructor`,
];

function hostileTrace(): TraceEvent[] {
  const events: TraceEvent[] = [];
  XSS.forEach((text, i) => {
    const thread = `thread:${text}` as const;
    const loc = { file: text, line: i + 1, column: 1 };
    events.push({ seq: events.length, time: i, kind: "send", from: "os", to: thread, mailbox: text, payload: text, loc });
    events.push({ seq: events.length, time: i, kind: "deliver", from: thread, mailbox: text, payload: text, detail: text });
    events.push({ seq: events.length, time: i, kind: "state", from: thread, state: text });
    events.push({ seq: events.length, time: i, kind: "fault", from: thread, fault: text, detail: text });
    events.push({ seq: events.length, time: i, kind: "log", from: thread, detail: text });
  });
  return events;
}

async function assertNothingRan(view: WebviewPage): Promise<void> {
  assert.equal(await view.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined, "an XSS payload ran");
  assert.deepEqual(await view.violations(), [], "no script or resource load was even attempted (CSP saw nothing)");
  assert.deepEqual(view.errors, []);
  const foreign = await view.page.evaluate(
    () => document.querySelectorAll("img, iframe, style, a, object, embed, body script:not([src]), #root svg:not(#machine svg), svg [onload]").length,
  );
  assert.equal(foreign, 0, "no element was created from data");
}

let harness: Harness;
before(async () => {
  harness = await Harness.start();
});
after(async () => {
  await harness?.close();
});

describe("XSS corpus", () => {
  it("traffic view shows payloads, mailboxes, thread and state names as literal text", async () => {
    const view = await harness.open("traffic", { width: 2400, height: 1600 });
    await view.post({ type: "events", events: hostileTrace(), reset: true });
    await view.page.evaluate(() => {
      document.getElementById("diagram")!.scrollTop = 0;
    });
    await view.frame();
    const lanes = await view.page.locator(".lane-name").allTextContents();
    const options = await view.page.locator("#filter-lane option").allTextContents();
    const labels = await view.page.locator(".row:not([hidden]) .label").allTextContents();
    const suggestions = await view.page.evaluate(() => Array.from(document.querySelectorAll<HTMLOptionElement>("#mailboxes option")).map((o) => o.value));
    for (const text of XSS) {
      assert.ok(lanes.includes(text), `thread name ${text} shown literally in the header`);
      assert.ok(options.includes(text), `thread name ${text} shown literally in the lifeline filter`);
      assert.ok(suggestions.includes(text), `mailbox ${text} offered literally`);
      assert.ok(labels.includes(`${text}(${text})`), `send label for ${text}`);
      assert.ok(labels.includes(`state \u2192 ${text}`), `state note for ${text}`);
      assert.ok(labels.includes(`${text}: ${text}`), `fault label for ${text}`);
    }
    // Filters and search take the hostile strings too.
    await view.page.fill("#search", XSS[0]!);
    await view.page.fill("#filter-mailbox", XSS[2]!);
    await view.page.selectOption("#filter-lane", `thread:${XSS[2]}`);
    await view.frame();
    assert.equal(await view.page.textContent("#status"), `2 of ${hostileTrace().length} events`);
    // Clicking the send passes its location on as data; opening it is the extension's decision.
    await view.page.fill("#filter-mailbox", "");
    await view.page.selectOption("#filter-lane", "");
    await view.page.fill("#search", "");
    await view.page.click('.row[data-seq="15"] .label');
    assert.deepEqual((await view.posted()).at(-1), { type: "reveal", seq: 15, loc: { file: XSS[3], line: 4, column: 1 } });
    await assertNothingRan(view);
    await view.page.close();
  });

  it("machine view shows state, message and protocol names as literal text", async () => {
    const view = await harness.open("machine");
    // Written as JSON text so "__proto__" stays an own key, as in the extension's structured clone.
    const rows = XSS.map((text, i) => `${JSON.stringify(text)}: { ${JSON.stringify(`${text}!`)}: ${JSON.stringify(XSS[(i + 1) % XSS.length])} }`);
    const message = { type: "protocol", name: XSS[1], initial: XSS[0], current: XSS[2], directions: { [`${XSS[0]}!`]: "out" } };
    await view.postJson(`${JSON.stringify(message).slice(0, -1)}, "states": { ${rows.join(", ")} } }`);
    const names = await view.page.locator("#machine g.state-node > text").allTextContents();
    assert.deepEqual([...names].sort(), [...XSS].sort());
    const labels = await view.page.locator("#machine tspan").allTextContents();
    for (const text of XSS)
      assert.ok(
        labels.some((l) => l.endsWith(`${text}!`)),
        `message ${text}! shown literally`,
      );
    assert.ok(labels.includes(`!${XSS[0]}!`), "direction prefix on a hostile name");
    assert.deepEqual(await view.page.locator("#machine g.state-node.current > text").allTextContents(), [XSS[2]]);
    assert.equal(await view.page.textContent("#machine-title"), `${XSS[1]}: in state ${XSS[2]}`);
    const tags = await view.page.evaluate(() => [...new Set(Array.from(document.querySelectorAll("#machine svg *")).map((e) => e.localName))].sort());
    assert.deepEqual(tags, ["defs", "g", "marker", "path", "rect", "text", "title", "tspan"]);
    await assertNothingRan(view);
    await view.page.close();
  });
});

describe("content security policy", () => {
  it("is the policy html.ts built, with the nonce on the bundle's script tag", async () => {
    const view = await harness.open("traffic");
    const csp = await view.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.equal(csp, contentSecurityPolicy(harness.origin, view.nonce));
    const scripts = await view.page.evaluate(() => Array.from(document.scripts).map((s) => ({ src: s.src, nonce: s.nonce })));
    assert.deepEqual(scripts, [{ src: `${harness.origin}/traffic.js`, nonce: view.nonce }]);
    await view.page.close();
  });

  it("blocks an inline script without the nonce in the page, while the bundle runs", async () => {
    const view = await harness.open("traffic", { injectBody: "<script>window.__xss = 1</script>" });
    assert.equal(await view.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
    assert.ok(
      (await view.violations()).some((v) => v.startsWith("script-src")),
      `violations: ${await view.violations()}`,
    );
    assert.equal(await view.page.locator("#diagram").count(), 1, "the nonce'd bundle ran");
    await view.page.close();
  });

  it("blocks scripts, handlers, javascript: URLs and inline styles added at run time", async () => {
    const view = await harness.open("machine");
    await view.page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__xss = 1";
      document.body.append(script);
      const button = document.createElement("button");
      button.setAttribute("onclick", "window.__xss = 2");
      document.body.append(button);
      button.click();
      const link = document.createElement("a");
      link.href = "javascript:window.__xss = 3";
      document.body.append(link);
      link.click();
      const styled = document.createElement("div");
      styled.id = "styled";
      styled.setAttribute("style", "width: 123px");
      document.body.append(styled);
    });
    await view.frame();
    assert.equal(await view.page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss), undefined);
    assert.equal(await view.page.evaluate(() => document.getElementById("styled")!.getBoundingClientRect().width === 123), false, "style attribute ignored");
    const directives = (await view.violations()).map((v) => v.split(" ")[0]);
    assert.ok(directives.includes("script-src-elem"), `violations: ${directives}`);
    assert.ok(directives.includes("script-src-attr"), `violations: ${directives}`);
    assert.ok(directives.includes("style-src-attr"), `violations: ${directives}`);
    await view.page.close();
  });
});
