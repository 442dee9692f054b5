// Shrinking a failing schedule, against a model of a run: the failure needs a 1 at position 2 and
// a 3 somewhere at or after position 10; everything else is noise to take out.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RunResult } from "active-driver/host";
import { shrinkSchedule, type ScheduleRunner } from "../../cli/src/shrink";

const fails = (c: readonly number[]): boolean => c[2] === 1 && c.slice(10).includes(3);

function result(c: readonly number[]): RunResult {
  const failed = fails(c);
  return {
    ok: !failed,
    files: [],
    events: 0,
    wallMs: 0,
    ...(failed ? { error: { name: "Error", kind: "driver-error", message: `failed with ${c.length} choices` } } : {}),
  } as RunResult;
}

describe("shrinkSchedule", () => {
  it("truncates, removes and zeroes out while the same failure persists", async () => {
    const noisy = Array.from({ length: 60 }, (_, i) => (i === 2 ? 1 : i === 37 ? 3 : (i * 7) % 3));
    assert.ok(fails(noisy));
    let batches = 0;
    const run: ScheduleRunner = async (schedules) => {
      batches++;
      return schedules.map(result);
    };
    const shrunk = await shrinkSchedule(noisy, "driver-error", result(noisy), run);
    assert.ok(fails(shrunk.choices), `${JSON.stringify(shrunk.choices)} still fails`);
    assert.equal(shrunk.choices.length, 11, "the noise before the 3 removed, down to where it must stand");
    assert.deepEqual(
      shrunk.choices.flatMap((c, i) => (c !== 0 ? [[i, c]] : [])),
      [
        [2, 1],
        [10, 3],
      ],
      "only the two choices that matter are left",
    );
    assert.equal(shrunk.result.ok, false);
    assert.ok(batches > 1 && shrunk.tried >= batches);
  });

  it("keeps the schedule when nothing smaller fails the same way, and stops at its run budget", async () => {
    const needed = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3];
    const same = await shrinkSchedule(needed, "driver-error", result(needed), async (s) => s.map(result));
    assert.deepEqual(same.choices, needed);
    const other = await shrinkSchedule(needed, "unanswered", result(needed), async (s) => s.map(result));
    assert.deepEqual(other.choices, needed, "another kind of failure does not count");
    const capped = await shrinkSchedule([...needed, 4, 4, 4], "driver-error", result(needed), async (s) => s.map(result), { maxRuns: 3 });
    assert.ok(capped.tried <= 3);
  });
});
