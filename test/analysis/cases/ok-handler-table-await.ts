// Awaiting the entry a message picks in a table of async handlers that never touch the driver
// (bookkeeping): whichever entry runs is an analysable helper, so the await is no foreign one.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const stats = { frames: 0, timeouts: 0 };
  const bookkeeping = {
    async xmit(): Promise<void> {
      stats.frames++;
    },
    async txTimeout(): Promise<void> {
      stats.timeouts++;
    },
  };
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
      await bookkeeping[b.name as "xmit" | "txTimeout"]();
    }
    d.send(closeComplete, { status: 0 });
  }
});
