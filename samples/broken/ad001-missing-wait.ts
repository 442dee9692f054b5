// AD001: in the open state the OS watchdog can send txTimeout, but this wait forgets it (the
// omission the paper says an active driver makes visible). Fix: add txTimeout to the wait.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit); //~ AD001
      if (b.mb === close) break;
      d.dev.write8(0x38, 0x40);
    }
    d.send(closeComplete, { status: 0 });
  }
});
