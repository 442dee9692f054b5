// The custom messages' payloads: analysis status and protocol graphs.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { analysisStatus, protocolGraphs } from "../../server/src/features/status";
import { readSettings } from "../../server/src/workspace/settings";
import { analysed, conformance } from "./helpers";

test("status of an active driver: counts, codes and per-state coverage", () => {
  const status = analysisStatus(analysed(path.join(conformance, "missing-txtimeout-open.ts")), 12.345);
  assert.equal(status.kind, "active");
  assert.equal(status.errors, 1);
  assert.equal(status.warnings, 0);
  assert.deepEqual(status.codes, ["AD001"]);
  assert.deepEqual(status.states, { total: 4, waited: 2, covered: 1, uncovered: ["open"] });
  assert.deepEqual(status.waits, { protocol: 2, covered: 1 });
  assert.equal(status.durationMs, 12.3);
  assert.equal(status.incomplete, false);
});

test("status of a protocol file, a passive driver and a clean driver", () => {
  assert.equal(analysisStatus(analysed(path.join(conformance, "ethernet.protocol.ts")), 1).kind, "protocol");
  const passive = analysisStatus(analysed(path.join(conformance, "passive-ripped.ts")), 1);
  assert.equal(passive.kind, "passive");
  assert.equal(passive.warnings, 2);
  const clean = analysisStatus(analysed(path.join(conformance, "fig4-ok.ts")), 1);
  assert.deepEqual([clean.errors, clean.warnings, clean.states.covered, clean.states.waited], [0, 0, 2, 2]);
});

test("protocol graph of a driver: its imported protocol with transitions, directions and coverage", () => {
  const [graph, ...rest] = protocolGraphs(analysed(path.join(conformance, "missing-txtimeout-open.ts")));
  assert.equal(rest.length, 0);
  assert.ok(graph !== undefined);
  assert.equal(graph.name, "ethernet");
  assert.equal(graph.initial, "closed");
  assert.equal(graph.uri, pathToFileURL(path.join(conformance, "ethernet.protocol.ts")).href);
  assert.deepEqual(graph.states.open, { close: "closing", xmit: "open", txTimeout: "open" });
  assert.equal(graph.directions.openComplete, "out");
  assert.deepEqual(graph.replies, { open: "openComplete", close: "closeComplete" });
  assert.deepEqual(graph.coverage, { closed: { missing: [] }, open: { missing: ["txTimeout"] } });
  assert.deepEqual(graph.unreachable, []);
  assert.equal(graph.stateRanges?.closed?.start.line, 15);
});

test("protocol graph of a file that defines one, with its unreachable states", () => {
  const graphs = protocolGraphs(analysed(path.join(conformance, "bad-protocol.ts")));
  assert.equal(graphs.length, 1, "the driver's protocol is the file's own: listed once");
  assert.deepEqual(graphs[0]!.unreachable, ["running"]);
});

test("settings: the time budget from initialization options, clamped; bad values keep the default", () => {
  assert.equal(readSettings({ analysis: { timeBudgetMs: 250 } }).timeBudgetMs, 250);
  assert.equal(readSettings({ analysis: { timeBudgetMs: 1e9 } }).timeBudgetMs, 10_000);
  assert.equal(readSettings({ analysis: { timeBudgetMs: "fast" } }).timeBudgetMs, 500);
  assert.equal(readSettings(null).timeBudgetMs, 500);
  assert.equal(readSettings({ docsBaseUrl: "https://x/README.md" }).docsBaseUrl, undefined, "not a setting: the server's own README");
});
