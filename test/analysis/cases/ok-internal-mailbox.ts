// Main hands transmit work to a worker thread through an internal mailbox.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const work = d.mailbox<Uint8Array>("work");
  d.spawn("worker", async (w) => {
    for (;;) {
      const job = await w.wait(work);
      w.dev.write8(0x38, job.msg.length > 0 ? 0x40 : 0);
    }
  });
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
      if (b.name === "xmit") d.send(work, b.msg.frame);
    }
    d.send(closeComplete, { status: 0 });
  }
});
