// Figure 4 with a state variable and a switch: every state waits on every message it can receive.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state: "closed" | "open" = "closed";
  for (;;) {
    switch (state) {
      case "closed": {
        const r = await d.wait(open, txTimeout);
        if (r.mb === open) {
          d.dev.write8(0x37, 0x10);
          await d.wait(d.dev.irq);
          d.send(openComplete, { status: 0 });
          state = "open";
        }
        break;
      }
      case "open": {
        const r = await d.wait(close, xmit, txTimeout, d.dev.irq);
        if (r.mb === txTimeout) d.dev.write8(0x37, 0x10);
        else if (r.mb === close) {
          d.send(closeComplete, { status: 0 });
          state = "closed";
        }
        break;
      }
    }
  }
});
