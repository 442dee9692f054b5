// switch (r.name) with cases that fall through and a default.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let running = false;
  for (;;) {
    if (!running) {
      const a = await d.wait(open, txTimeout);
      switch (a.name) {
        case "open":
          d.send(openComplete, { status: 0 });
          running = true;
          break;
        default:
          break;
      }
      continue;
    }
    const b = await d.wait(close, xmit, txTimeout, d.dev.irq);
    switch (b.name) {
      case "xmit":
      case "irq":
        d.dev.write8(0x38, 0x40);
        break;
      case "txTimeout":
        d.dev.write8(0x37, 0x10);
        break;
      case "close":
        d.send(closeComplete, { status: 0 });
        running = false;
    }
  }
});
