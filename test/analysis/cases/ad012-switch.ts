// AD012 with a switch on the message name: `pending` is set by xmit and tested by irq.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    let pending = 0; //~ AD012
    let serving = true;
    while (serving) {
      const b = await d.wait(close, xmit, txTimeout, d.dev.irq);
      switch (b.name) {
        case "xmit":
          pending = pending + 1;
          break;
        case "irq":
          if (pending > 0) pending = 0;
          break;
        case "close":
          serving = false;
          break;
        default:
          break;
      }
    }
    d.send(closeComplete, { status: 0 });
  }
});
