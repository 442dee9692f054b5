// AD002: close can only arrive once the device is open, so waiting on it while closed is dead
// code (and hides a confusion about the state the driver is in). Fix: remove close from the wait.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout, close); //~ AD002
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
