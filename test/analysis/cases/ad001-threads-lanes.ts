// AD001 behind a record of internal mailboxes: after the helper's inner wait the protocol state is
// still known, and the open loop forgets txTimeout.
import { defineDriver, type DriverContext, type InternalMailbox } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

async function flush(d: D, lanes: { work: InternalMailbox<void>; done: InternalMailbox<void> }): Promise<void> {
  d.send(lanes.work);
  await d.wait(lanes.done);
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const lanes = { work: d.mailbox<void>("work"), done: d.mailbox<void>("done") };
  d.spawn("worker", async (t) => {
    for (;;) {
      await t.wait(lanes.work);
      t.send(lanes.done);
    }
  });
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    await flush(d, lanes);
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit); //~ AD001
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
