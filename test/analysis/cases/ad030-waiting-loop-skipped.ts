// The same loop, but a register bit skips the wait: while the bit stays set (an unplugged card reads
// all ones) the loop spins without waiting, and only a register read ends it.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) { //~ AD030
    if (d.dev.read32(0x40) === 0xffffffff) return;
    if ((d.dev.read8(0x37) & 0x10) !== 0) continue;
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
