// Code lenses above protocol waits.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { codeLenses } from "../../server/src/features/codeLens";
import { analysed, conformance, fixtures } from "./helpers";

function lenses(file: string): string[] {
  return codeLenses(analysed(file)).map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
}

test("one lens per protocol wait, with its state and coverage", () => {
  assert.deepEqual(lenses(path.join(conformance, "missing-txtimeout-open.ts")), [
    "11: state 'closed' · 2/2 requests accepted",
    "19: state 'open' · 2/3 · missing txTimeout",
  ]);
  // The inner wait on d.dev.irq has no lens.
  assert.deepEqual(lenses(path.join(conformance, "fig4-ok.ts")), ["12: state 'closed' · 2/2 requests accepted", "22: state 'open' · 3/3 requests accepted"]);
});

test("lenses name messages another thread covers and replies still owed", () => {
  assert.deepEqual(lenses(path.join(fixtures, "watchdog-thread.ts")), [
    "9: states 'closed', 'opening', 'open' and 'closing' · 4/4 requests accepted · open, close and xmit by thread 'main'",
    "14: state 'closed' · 2/2 requests accepted · txTimeout by thread 'watchdog'",
    "17: state 'open' · 3/3 requests accepted · txTimeout by thread 'watchdog'",
  ]);
  assert.deepEqual(lenses(path.join(conformance, "reply-owed.ts")), [
    "8: state 'closed' · 2/2 requests accepted",
    "12: state 'open' · 3/3 requests accepted · owes openComplete",
  ]);
});

test("lenses are plain text (no command to run) and passive drivers have none", () => {
  const all = codeLenses(analysed(path.join(conformance, "missing-txtimeout-open.ts")));
  assert.ok(all.every((l) => l.command?.command === ""));
  assert.deepEqual(lenses(path.join(conformance, "passive-ripped.ts")), []);
});
