// AD003: open is a request: the OS blocks until the driver sends openComplete. This driver forgets
// the reply when the device fails to come up and goes back to waiting for requests.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout); //~ AD003
    if (a.mb !== open) continue;
    d.dev.write8(0x37, 0x10);
    if ((d.dev.read8(0x37) & 0x10) !== 0) continue; // reset stuck: gives up without replying
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
