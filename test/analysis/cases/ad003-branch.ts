// AD003: the reply is sent on one branch only (when the device answers); the other path moves on.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let up = false;
  while (true) {
    if (!up) {
      const a = await d.wait(open, txTimeout);
      if (a.mb !== open) continue;
      if (d.dev.read8(0x37) !== 0xff) d.send(openComplete, { status: 0 });
      up = true;
    } else {
      const b = await d.wait(close, xmit, txTimeout); //~ AD003
      if (b.mb === close) {
        d.send(closeComplete, { status: 0 });
        up = false;
      }
    }
  }
});
