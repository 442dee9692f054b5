// Threads that talk through a record of internal mailboxes passed to helpers (the shape of
// samples/rtl8169/threaded.ts): the analysis follows `lanes.work` to the internal mailbox, so the
// protocol state stays known in main.
import { defineDriver, type DriverContext, type InternalMailbox } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

interface Lanes {
  work: InternalMailbox<void>;
  done: InternalMailbox<void>;
}

async function worker(d: D, lanes: Lanes): Promise<void> {
  for (;;) {
    await d.wait(lanes.work);
    d.dev.write8(0x38, 0x40);
    d.send(lanes.done);
  }
}

async function flush(d: D, lanes: Lanes): Promise<void> {
  d.send(lanes.work);
  await d.wait(lanes.done);
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const lanes = { work: d.mailbox<void>("work"), done: d.mailbox<void>("done") };
  d.spawn("worker", (t) => worker(t, lanes));
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    await flush(d, lanes);
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
      if (b.mb === xmit) await flush(d, lanes);
    }
    d.send(closeComplete, { status: 0 });
  }
});
