// Register polls with a bound (a counter) or an exit on something other than a register.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

const CR = 0x37;

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.dev.write8(CR, 0x10);
    for (let i = 0; i < 1000 && (d.dev.read8(CR) & 0x10) !== 0; i++) await d.sleep(1);
    let tries = 100;
    while (d.dev.read8(CR) & 0x10) {
      if (--tries === 0) break;
      await d.sleep(1);
    }
    d.send(openComplete, { status: tries > 0 ? 0 : -1 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
