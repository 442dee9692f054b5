// defined(): optional members stay absent, so a spread never overwrites a default with undefined.
import { test } from "node:test";
import assert from "node:assert/strict";
import { defined } from "../../runtime/src/defined";

test("defined() drops undefined members and keeps every other value, falsy ones included", () => {
  assert.deepEqual(defined({ a: undefined, b: null, c: 0, d: "", e: false, f: 1 }), { b: null, c: 0, d: "", e: false, f: 1 });
  assert.deepEqual(Object.keys(defined({ loc: undefined })), []);
});

test("spread over defaults, an absent member keeps the default where an undefined one would erase it", () => {
  const defaults = { mac: "00:e0:4c:00:00:01", seed: 1 };
  const mac: string | undefined = undefined;
  assert.deepEqual({ ...defaults, ...defined({ mac }) }, defaults);
  assert.equal({ ...defaults, ...{ mac } }.mac, undefined, "the plain spread is what defined() exists to avoid");
});
