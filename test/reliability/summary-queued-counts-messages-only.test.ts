// The run summary's `queued` column counts messages waiting in a mailbox, not the OS's requests
// still owed a reply on an outgoing mailbox (those are in the requests list, as unanswered).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runDriverInWorker } from "active-driver/host";
import { tempDir, writeDriver } from "./helpers";

test("queued does not count pending OS calls for reply mailboxes", async () => {
  const dir = tempDir("queued");
  const driver = writeDriver(
    dir,
    "mute.ts",
    `
export default defineDriver({ protocol: Ethernet }, async (d) => {
  await d.wait(d.mb.open); // never answered
  await d.wait(d.mb.unplug);
});
`,
  );
  const result = await runDriverInWorker({
    driverPath: driver,
    scenario: { name: "quiet", workload: { frames: 0, rxRate: 0, deadlineUs: 20_000 }, faults: [] },
    seed: 1,
  });
  const s = result.summary;
  assert.ok(s !== undefined, result.error?.message);
  assert.ok(
    s.requests.some((r) => r.name === "open" && r.repliedUs === undefined),
    "the open request is unanswered",
  );
  assert.deepEqual(s.messages["openComplete"], { sent: 0, delivered: 0, queued: 0 });
  assert.equal(s.messages["open"]?.delivered, 1);
});
