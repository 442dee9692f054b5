// AD030: the driver spins until the reset bit clears. An unplugged card reads all ones, so the bit
// never clears and the loop never ends. Bound it (a counter, a d.sleep with a deadline) or wait
// for the device's interrupt.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

const CR = 0x37;
const CR_RESET = 0x10;

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.dev.write8(CR, CR_RESET);
    do { //~ AD030
      await d.sleep(1);
    } while (d.dev.read8(CR) & CR_RESET);
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
