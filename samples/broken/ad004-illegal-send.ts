// AD004: closeComplete answers close; sending it when a transmit times out tells the OS the device
// closed while it is still open. The protocol allows closeComplete only in the closing state.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === txTimeout) d.send(closeComplete, { status: -1 }); //~ AD004
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
