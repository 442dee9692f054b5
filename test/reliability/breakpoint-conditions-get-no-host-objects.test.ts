// Breakpoint conditions run in a vm context that is handed only primitives and objects made inside
// it: a condition that redefines the sandbox's helpers (a setter where the next evaluation's input
// goes, a getter on the input itself) never receives an object of the worker's realm, so it cannot
// reach that realm's Function constructor, `process` or the driver's own objects.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Sandbox, type MessageFacts } from "../../client/src/debug/worker/sandbox";

const escaped = "__activeDriverSandboxEscaped";
const reach = `globalThis.${escaped} = typeof process === "object" ? "process" : "host"`;
/** Calls `value.constructor.constructor` (the Function of the value's realm) with code that marks this realm. */
const climb = (value: string): string => `try { ${value}.constructor.constructor(${JSON.stringify(reach)})(); } catch {}`;

function facts(payload: unknown): MessageFacts {
  return { name: "xmit", payload, state: "open", thread: "main", seq: 7, time: 100, kind: "message", position: 3, summary: "{frame}" };
}

test("a condition that plants setters and getters for the next evaluation gets nothing of the host", () => {
  const sandbox = new Sandbox();
  const frame = new Uint8Array([1, 2, 3]);
  const payload = { frame, nested: { list: [1, 2, 3], map: new Map([["k", 1n]]) } };
  const traps = [
    `Object.defineProperty(__activeDriver, "pending", { configurable: true, set(v) { ${climb("v")} ${climb("v.facts")} ${climb("v.payload")} } })`,
    `Object.defineProperty(globalThis, "__activeDriverInput", { configurable: true, get() { return "[0,false,{},null]"; }, set(v) { ${climb("v")} } })`,
    `(() => { const f = __activeDriver.invoke; __activeDriver.invoke = (...a) => { for (const x of a) { ${climb("x")} } return f(...a); }; })()`,
  ];
  for (const trap of traps) {
    const planted = sandbox.condition(`(${trap}, false)`, () => facts(payload));
    assert.ok(!planted.ok || planted.value === false, JSON.stringify(planted));
    const next = sandbox.condition("m.frame.length === 3", () => facts(payload));
    assert.equal((globalThis as Record<string, unknown>)[escaped], undefined, `escaped through: ${trap}`);
    assert.ok(next.ok || !next.timedOut, JSON.stringify(next));
  }
});

test("the message a condition sees is a copy made in the context, whole", () => {
  const sandbox = new Sandbox();
  const payload = { frame: new Uint8Array([9, 8, 7]), big: 2n ** 70n, when: new Date(5), tags: new Set(["a"]), skipped: () => 1, nan: NaN };
  const checks = [
    "m.frame instanceof Uint8Array && m.frame.length === 3 && m.frame[0] === 9",
    "m.big === 2n ** 70n && m.when.getTime() === 5 && m.tags.has('a') && m.skipped === undefined && Number.isNaN(m.nan)",
    "name === 'xmit' && state === 'open' && position === 3 && seq === 7",
    "Object.getPrototypeOf(m.frame).constructor === Uint8Array && m.constructor === Object",
  ];
  for (const check of checks)
    assert.deepEqual(
      sandbox.condition(check, () => facts(payload)),
      { ok: true, value: true },
      check,
    );
  sandbox.condition("(m.frame[0] = 0, true)", () => facts(payload));
  assert.equal(payload.frame[0], 9, "the driver's frame is untouched");
  assert.deepEqual(
    sandbox.logMessage("len {m.frame.length} of {name}", () => facts(payload)),
    { ok: true, value: "len 3 of xmit" },
  );
});
