// End to end, as a user would: the packaged VSIX installed into a real VS Code (code-server), the
// workbench driven in Chromium by looking at it and clicking it. Every test leaves a screenshot in
// test-results/e2e/; a failure also leaves the code-server and browser logs there.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it, type TestContext } from "node:test";
import type { Frame, Page } from "playwright-core";
import { installVsix, listExtensions, makeWorkspace, openFile, openWorkbench, runCommand, screenshot, type Workbench } from "./codeServer";

const manifest = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { publisher: string; name: string; version: string };
const extensionId = `${manifest.publisher}.${manifest.name}`;

let extensionsDir = "";

/** Opens a workbench for one test and always leaves a screenshot behind, pass or fail. */
async function withWorkbench(
  t: TestContext,
  trusted: boolean,
  body: (wb: Workbench, workspace: string) => Promise<void>,
  prepare?: (workspace: string) => void,
): Promise<void> {
  const workspace = makeWorkspace();
  prepare?.(workspace);
  const name = t.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const wb = await openWorkbench({ extensionsDir, folder: workspace, trusted, name });
  try {
    await body(wb, workspace);
    await screenshot(wb.page, name);
  } catch (error) {
    await screenshot(wb.page, `${name}-failure`).catch(() => undefined);
    throw error;
  } finally {
    await wb.close();
  }
}

async function problemsText(page: Page): Promise<string> {
  await runCommand(page, "View: Focus Problems");
  const panel = page.locator(".markers-panel");
  await panel.waitFor({ state: "visible" });
  return (await panel.innerText()).replace(/\s+/g, " ");
}

async function waitForProblem(page: Page, code: string, present: boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  let text = "";
  while (Date.now() < deadline) {
    text = await problemsText(page);
    if (text.includes(code) === present) return;
    await page.waitForTimeout(500);
  }
  assert.fail(`expected ${code} ${present ? "in" : "gone from"} the Problems panel; it shows: ${text.slice(0, 500)}`);
}

/**
 * The code lenses the editor has drawn, by their text. textContent, not innerText: a lens on a line
 * scrolled out of view (the Problems panel takes half the editor) stays in the DOM but renders no text.
 */
async function lensTexts(page: Page): Promise<string[]> {
  return (await page.locator(".contentWidgets .codelens-decoration").allTextContents()).map((t) => t.replace(/\s+/g, " ").trim());
}

async function waitForLenses(page: Page, what: string, test: (lenses: string[]) => boolean): Promise<void> {
  let seen: string[] = [];
  await waitFor(async () => test((seen = await lensTexts(page))), `the code lenses show ${what}`).catch((error: Error) =>
    assert.fail(`${error.message}; drawn: ${JSON.stringify(seen)}`),
  );
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`timed out waiting until ${what}`);
}

/** The sequence number of the delivery the debugger stands on, from the Variables view. */
async function deliverySeq(page: Page): Promise<number> {
  const text = (await page.locator(".debug-variables").innerText()).replace(/\s+/g, " ");
  const match = /seq = (\d+)/.exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/** A driver that answers open with closeComplete: the protocol forbids it, and the open stays unanswered. */
const WRONG_REPLY = `import { defineDriver } from "active-driver";
import { Rtl8169 } from "active-driver/nic";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet, device: Rtl8169 }, async (d) => {
  const { open, closeComplete, txTimeout, unplug } = d.mb;
  for (;;) {
    const r = await d.wait(open, txTimeout, unplug);
    if (r.name === "open") d.send(closeComplete, { status: 0 });
  }
});
`;

/** The webview frame whose document contains `selector`. */
async function webviewFrame(page: Page, selector: string): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if ((await frame.$(selector).catch(() => null)) !== null) return frame;
    }
    await page.waitForTimeout(300);
  }
  throw new Error(`no webview shows ${selector}`);
}

describe("Active Drivers in a real VS Code", () => {
  before(() => {
    extensionsDir = installVsix().extensionsDir;
  });
  after(() => undefined);

  it("installs from the packaged VSIX and activates on a driver file", async (t) => {
    const installed = listExtensions(extensionsDir);
    assert.ok(
      installed.some((line) => line.toLowerCase() === `${extensionId}@${manifest.version}`.toLowerCase()),
      `installed: ${installed.join(", ")}`,
    );
    await withWorkbench(t, true, async ({ page }) => {
      await openFile(page, "rtl8169/active.ts");
      await page
        .locator(".statusbar-item", { hasText: /Active driver/i })
        .first()
        .waitFor({ timeout: 60_000 });
      // The file that activated the extension gets its lenses too: one per wait, each state covered.
      await waitForLenses(
        page,
        "the four waits of active.ts, all covered",
        (lenses) => lenses.length === 4 && lenses.every((l) => /state '\w+' · (\d+)\/\1 requests accepted/.test(l)),
      );
    });
  });

  it("shows live diagnostics and coverage lenses, and fixes them without saving", async (t) => {
    await withWorkbench(t, true, async ({ page }) => {
      await openFile(page, "broken/ad001-missing-wait.ts");
      await waitForLenses(page, "the missing txTimeout", (lenses) => lenses.some((l) => /state 'open' · 2\/3 · missing txTimeout/.test(l)));
      await waitForProblem(page, "AD001", true);
      // The quick fix, from the keyboard: go to the problem, open the code actions, take the first fix.
      await page.locator(".monaco-editor .view-lines").first().click();
      await page.keyboard.press("F8");
      await page.keyboard.press("Escape");
      await runCommand(page, "Quick Fix...");
      const fix = page.locator(".action-widget").getByText("Add txTimeout to the wait", { exact: false }).first();
      await fix.waitFor({ timeout: 15_000 });
      await fix.click();
      await waitForProblem(page, "AD001", false);
      // Back to the editor, where the user is after a fix: VS Code defers lens updates while the
      // editor text has no focus (here the Problems panel took it), and runs them when it gets it back.
      await page.locator(".monaco-editor .view-lines").first().click();
      await waitForLenses(
        page,
        "the open state covered after the fix",
        (lenses) => lenses.some((l) => /state 'open' · 3\/3 requests accepted/.test(l)) && !lenses.some((l) => /missing/.test(l)),
      );
      assert.equal(await page.locator(".tabs-container .tab.dirty").count(), 1, "the fix is live: the file is not saved");
    });
  });

  it("debugs the tx-timeout scenario message by message, and back", async (t) => {
    await withWorkbench(t, true, async ({ page }) => {
      await openFile(page, "rtl8169/active.ts");
      // A function breakpoint on the txTimeout mailbox.
      await runCommand(page, "Add Function Breakpoint");
      const breakpointInput = page.locator(".debug-breakpoints input, .debug-pane input.input").first();
      await breakpointInput.waitFor({ state: "visible", timeout: 15_000 });
      await breakpointInput.fill("txTimeout");
      await page.keyboard.press("Enter");
      await runCommand(page, "Debug: Select and Start Debugging");
      const config = page.locator(".quick-input-list .monaco-list-row", { hasText: /tx-timeout/ }).first();
      await config.waitFor({ timeout: 15_000 });
      await config.click();
      const toolbar = page.locator(".debug-toolbar");
      await toolbar.waitFor({ state: "visible", timeout: 60_000 });
      const stopped = page.locator(".debug-call-stack .state.label, .debug-call-stack .monaco-list-row", { hasText: /paused|entry/i }).first();
      await stopped.waitFor({ timeout: 30_000 });
      // The toolbar's buttons, not F5/F10: the traffic view opens with the session and may hold the
      // keyboard focus, and a key pressed in its webview never reaches the debugger.
      const debugAction = (icon: string) => page.locator(`.debug-toolbar .codicon-${icon}`).first().click();
      await debugAction("debug-continue");
      const variables = page.locator(".debug-variables");
      await waitFor(
        async () => /mailbox = txTimeout/.test((await variables.innerText()).replace(/\s+/g, " ")),
        "continue stops at the txTimeout breakpoint",
        60_000,
      );
      // Next = deliver one message and run to the next wait: the delivery number grows each time.
      const atBreakpoint = await deliverySeq(page);
      await debugAction("debug-step-over");
      await waitFor(async () => (await deliverySeq(page)) > atBreakpoint, "the first step delivers a message");
      const afterFirstStep = await deliverySeq(page);
      await debugAction("debug-step-over");
      await waitFor(async () => (await deliverySeq(page)) > afterFirstStep, "the second step delivers a message");
      const afterSecondStep = await deliverySeq(page);
      await variables.getByText("Protocol", { exact: true }).first().waitFor({ timeout: 30_000 });
      assert.match((await variables.innerText()).replace(/\s+/g, " "), /state = (open|closed|opening|closing)/, "the Variables view shows the protocol state");
      // Step back by deterministic replay: the delivery before the current one.
      await debugAction("debug-step-back");
      await waitFor(async () => (await deliverySeq(page)) < afterSecondStep, "step back moves to an earlier delivery");
      assert.equal(await deliverySeq(page), afterFirstStep, "step back lands on the previous delivery");
      await runCommand(page, "Active Driver: Show Mailbox Traffic");
      const frame = await webviewFrame(page, ".row");
      await frame.waitForSelector(".row.current", { timeout: 30_000 });
      const arrows = await frame.locator(".row").count();
      assert.ok(arrows > 5, `the traffic view draws the messages (${arrows} rows)`);
      await screenshot(page, "debug-session");
    });
  });

  it("shows a failing driver as a failed test in the Test Explorer, and Debug lands on the failure", async (t) => {
    const prepare = (workspace: string): void => {
      writeFileSync(join(workspace, "rtl8169", "wrong-reply.ts"), WRONG_REPLY);
      mkdirSync(join(workspace, ".vscode"), { recursive: true });
      writeFileSync(join(workspace, ".vscode", "settings.json"), JSON.stringify({ "activeDriver.explore.budget": "4" }));
    };
    await withWorkbench(
      t,
      true,
      async ({ page }) => {
        await openFile(page, "rtl8169/wrong-reply.ts");
        await runCommand(page, "Testing: Focus on Test Explorer View");
        // Rows of the Testing view's tree, by their text: the label, then the description (drivers) if any.
        const row = (text: RegExp) => page.locator(".pane-body .monaco-list-row", { hasText: text }).first();
        const driver = row(/^\s*wrong-reply\.ts/);
        await driver.waitFor({ timeout: 60_000 });
        if ((await driver.getAttribute("aria-expanded")) !== "true") {
          await driver.click();
          await page.keyboard.press("ArrowRight");
        }
        // After a run the row also shows its duration ("default1.2s" as text).
        const scenario = row(/^\s*default(?![a-z-])/);
        await scenario.waitFor({ timeout: 15_000 });
        await scenario.hover();
        await scenario.locator(".codicon-testing-run-icon").first().click();
        await scenario.locator(".codicon-testing-failed-icon").first().waitFor({ timeout: 180_000 });
        // The failure's message is shown (in the editor, at the driver line it points to, and in the test results).
        await page
          .getByText(/illegal-send: send of "closeComplete" in state "opening"/)
          .first()
          .waitFor({ timeout: 30_000 });
        await screenshot(page, "test-explorer-failure");

        await scenario.hover();
        await scenario.locator(".codicon-testing-debug-icon").first().click();
        await page.locator(".debug-toolbar").waitFor({ state: "visible", timeout: 60_000 });
        // Stopped at the failure: the editor's exception widget names it (the Testing view keeps the side bar).
        await page
          .locator(".exception-widget", { hasText: /Replayed failure \(wrong-reply\.default\.1\.schedule\.json\): illegal-send/ })
          .first()
          .waitFor({ timeout: 120_000 });
        await screenshot(page, "test-explorer-debug");
        await page.locator(".debug-toolbar .codicon-debug-stop").first().click();
      },
      prepare,
    );
  });

  it("refuses to run a driver in Restricted Mode, with the reason", async (t) => {
    await withWorkbench(t, false, async ({ page }) => {
      await page.locator(".statusbar-item", { hasText: "Restricted Mode" }).first().waitFor({ timeout: 30_000 });
      await openFile(page, "rtl8169/active.ts");
      // The command shows for TypeScript editors: wait until the editor's language is known.
      await page
        .locator(".statusbar-item", { hasText: /TypeScript/ })
        .first()
        .waitFor({ timeout: 30_000 });
      await runCommand(page, "Active Driver: Run Driver on Simulated NIC");
      const toast = page.locator(".notifications-toasts .notification-toast", { hasText: /Restricted Mode/ }).first();
      await toast.waitFor({ timeout: 30_000 });
      assert.match(await toast.innerText(), /trust/i);
    });
  });
});
