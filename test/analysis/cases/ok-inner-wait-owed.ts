// While open's reply is owed the driver waits on the device: an inner wait, not a protocol wait.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const reset = d.mailbox<void>("reset");
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.dev.write8(0x37, 0x10);
    await d.wait(d.dev.irq);
    await d.sleep(1);
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout, reset);
      if (b.mb === close) break;
      if (b.mb === txTimeout) d.send(reset);
    }
    d.send(closeComplete, { status: 0 });
  }
});
