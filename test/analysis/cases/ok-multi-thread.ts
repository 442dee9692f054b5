// Three threads: main handles open, close and txTimeout; tx owns xmit; rx owns the interrupts.
// A message another thread waits on is that thread's to cover.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  d.spawn("tx", async () => {
    for (;;) {
      const r = await d.wait(xmit);
      d.dev.write8(0x38, r.msg.frame.length > 0 ? 0x40 : 0);
    }
  });
  d.spawn("rx", rxLoop);
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, txTimeout);
      if (b.mb === close) break;
      d.dev.write8(0x37, 0x10);
    }
    d.send(closeComplete, { status: 0 });
  }
});

async function rxLoop(d: Parameters<Parameters<typeof defineDriver>[1]>[0]): Promise<void> {
  for (;;) {
    const irq = await d.wait(d.dev.irq);
    d.dev.write16(0x3e, irq.msg.isr);
  }
}
