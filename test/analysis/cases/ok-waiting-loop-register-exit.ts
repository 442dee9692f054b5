// A loop that blocks in `wait` on every iteration and returns when a register reads all ones (the
// card was unplugged) is not a register poll: the OS, not the device, bounds it.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    if (d.dev.read32(0x40) === 0xffffffff) return;
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
