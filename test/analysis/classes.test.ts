// Drivers written with classes, helper objects and handler tables, through the model: the waits in
// methods carry the states the object's calls reach them in, fields steer the interpreter like
// variables, findings in another file's methods are reported at the one call that reaches them,
// and AD030 through helper reads points at the loop keyword.
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import type { AnalysisResult, DriverModel, WaitSiteModel } from "../../server/src/analysis";
import { analyzePath, casesDir, describe } from "./harness";

function analyzeCase(name: string): AnalysisResult {
  const { result } = analyzePath(path.join(casesDir, name));
  assert.deepEqual(result.internalErrors, []);
  return result;
}

/** The waits of a driver as `file:line [states]` (1-based lines), `?` when some path's state is unknown. */
function waitStates(d: DriverModel): string[] {
  const show = (w: WaitSiteModel): string => `${path.basename(w.file)}:${w.range.start.line + 1} [${w.states.join(",")}]${w.stateUnknown ? "?" : ""}`;
  return d.waits.map(show).sort();
}

test("class methods: each wait sees the states the object's calls reach it in", () => {
  const r = analyzeCase("ok-class-method.ts");
  assert.deepEqual(r.diagnostics, [], describe(r));
  const d = r.drivers[0]!;
  assert.deepEqual(waitStates(d), ["ok-class-method.ts:27 [closed]", "ok-class-method.ts:34 [opening]", "ok-class-method.ts:49 [open]"]);
  // reply("open") and reply("close"): the parameter's value picks the send on each path.
  assert.deepEqual(d.sends.map((s) => `${s.range.start.line + 1}:${s.message}:${s.states.join(",")}`).sort(), [
    "42:openComplete:opening",
    "43:closeComplete:closing",
  ]);
});

test("class methods: an AD001 in a method names the mailbox through this.d.mb", () => {
  const r = analyzeCase("ad001-class-method.ts");
  const diag = r.diagnostics[0]!;
  assert.equal(diag.code, "AD001");
  assert.equal(diag.data?.kind, "missingMessages");
  assert.deepEqual(diag.data.kind === "missingMessages" ? diag.data.mailboxText : undefined, { txTimeout: "this.d.mb.txTimeout" });
});

test("methods of another file's class: reported at the send in that file, with the call that reaches it", () => {
  const r = analyzeCase("ad004-method-other-file.ts");
  assert.deepEqual(r.diagnostics, [], describe(r));
  assert.equal(r.helperDiagnostics?.length, 1);
  const diag = r.helperDiagnostics![0]!;
  assert.equal(diag.code, "AD004");
  assert.ok(diag.file.endsWith(path.join("lib", "session.ts")));
  assert.equal(diag.range.start.line, 14);
  assert.ok(diag.related[0]!.file.endsWith("ad004-method-other-file.ts"));
  assert.deepEqual(diag.related[0]!.range.start, { line: 13, character: 4 });
  assert.equal(diag.related[0]!.message, "reached from s.closed() in state 'open'");
  assert.equal(diag.related.length, 1, "only the call that reaches the finding, not every call");
});

test("subclasses: inherited methods run with the subclass's object, super reaches the base", () => {
  const r = analyzeCase("ok-class-inherited.ts");
  assert.deepEqual(r.diagnostics, [], describe(r));
  assert.deepEqual(waitStates(r.drivers[0]!), ["ok-class-inherited.ts:31 [closed]", "session.ts:21 [open]"]);
  const send = r.drivers[0]!.sends.find((s) => s.message === "openComplete")!;
  assert.deepEqual(send.states, ["opening"]);
});

test("a base class the analysis cannot read: the state after its method is unknown", () => {
  const r = analyzeCase("ok-class-unknown-base.ts");
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(waitStates(r.drivers[0]!), ["ok-class-unknown-base.ts:18 []?"]);
});

test("fields: a switch on this.state enters each case in its own protocol state", () => {
  const r = analyzeCase("ok-field-state.ts");
  assert.deepEqual(r.diagnostics, [], describe(r));
  assert.deepEqual(waitStates(r.drivers[0]!), ["ok-field-state.ts:20 [closed]", "ok-field-state.ts:28 [open]"]);
});

test("fields: a field handed to unknown code is forgotten, and a switch on it stays silent", () => {
  const r = analyzeCase("ok-field-unknown.ts");
  assert.deepEqual(r.diagnostics, []);
  // The open case is entered in the closed state too, on a path whose findings are not reported.
  assert.deepEqual(waitStates(r.drivers[0]!), ["ok-field-unknown.ts:19 [closed]", "ok-field-unknown.ts:27 [closed,open]"]);
});

test("handler tables: the entry each message picks runs; a reassigned table stays opaque", () => {
  assert.deepEqual(waitStates(analyzeCase("ok-handler-table.ts").drivers[0]!), [
    "ok-handler-table.ts:12 [closed,open]",
    "ok-handler-table.ts:24 [closed,open]",
  ]);
  assert.deepEqual(waitStates(analyzeCase("ok-handler-table-methods.ts").drivers[0]!), [
    "ok-handler-table-methods.ts:26 [open]",
    "ok-handler-table-methods.ts:30 [closed]",
    "ok-handler-table-methods.ts:34 [open]",
  ]);
  assert.deepEqual(waitStates(analyzeCase("ok-handler-table-mutated.ts").drivers[0]!), ["ok-handler-table-mutated.ts:15 [closed]?"]);
});

test("AD030 through helper methods and functions: the loop keyword, here or in the other file", () => {
  const r = analyzeCase("ad030-helper-method.ts");
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`),
    ["AD030 15:4-15:9", "AD030 18:4-18:6"],
  );
  const inChip = r.helperDiagnostics!;
  assert.deepEqual(
    inChip.map((d) => `${path.basename(d.file)} ${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`),
    ["chip.ts AD030 30:4-30:9"],
  );
  assert.deepEqual(inChip[0]!.related[0]!.range.start, { line: 21, character: 4 });
  assert.equal(inChip[0]!.related[0]!.message, "reached from hw.spinUntilReset()");
  const passive = analyzeCase("ad030-passive-helper.ts");
  assert.deepEqual(
    passive.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.character}`),
    ["AD030 11:6-11"],
  );
});
