// The OS's table of tagged frames: dense per stream, a Map past the dense limit, every value listed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TaggedFrames } from "../../runtime/src/nic/tagged";

test("frames are found by (stream, seq), apart per stream, and listed once each", () => {
  const t = new TaggedFrames<string>();
  t.set(2, 0, "g0");
  t.set(2, 7, "g7");
  t.set(1, 0, "o0");
  t.set(3, 0xfffffff0, "far");
  assert.equal(t.get(2, 7), "g7");
  assert.equal(t.get(1, 7), undefined, "another stream's seq 7");
  assert.equal(t.get(2, 3), undefined, "a hole");
  assert.equal(t.get(3, 0xfffffff0), "far");
  assert.equal(t.get(9, 0), undefined, "a stream never seen");
  assert.deepEqual([...t.values()].sort(), ["far", "g0", "g7", "o0"]);
  t.set(2, 7, "again");
  assert.deepEqual([...t.values()].sort(), ["again", "far", "g0", "o0"]);
});
