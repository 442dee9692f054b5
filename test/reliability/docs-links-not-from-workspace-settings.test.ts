// The links from diagnostic codes point at the server's own README: `activeDriver.docsBaseUrl` from
// workspace settings (written by whoever wrote the repository) is not read, at start or on change.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readSettings } from "../../server/src/workspace/settings";

test("activeDriver.docsBaseUrl from settings is ignored: code links keep the server's own base", () => {
  const own = { timeBudgetMs: 500, docsBaseUrl: "file:///extension/README.md" };
  const atStart = readSettings({ analysis: { timeBudgetMs: 300 }, docsBaseUrl: "https://example.invalid/phish" }, own);
  assert.deepEqual(atStart, { timeBudgetMs: 300, docsBaseUrl: "file:///extension/README.md" });
  const onChange = readSettings({ docsBaseUrl: "https://example.invalid/phish" }, atStart);
  assert.equal(onChange.docsBaseUrl, "file:///extension/README.md");
  assert.equal(readSettings({ docsBaseUrl: "https://example.invalid/phish" }).docsBaseUrl, undefined);
});
