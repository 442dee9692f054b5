// AD030 through helpers: loops whose exit depends only on registers read inside methods of a
// hardware class (`hw.resetPending()`, `hw.isGone()` through `this.status()`) or a plain helper
// function; and a loop inside a method of the other file, reported there (lib/chip.ts) with the call
// here as related information.
import { defineDriver } from "active-driver";
import { Chip, linkBits } from "./lib/chip";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const hw = new Chip(d.dev);
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    hw.startReset();
    while (hw.resetPending()) { //~ AD030
      await d.sleep(1);
    }
    do { //~ AD030
      await d.sleep(1);
    } while (!hw.isGone() && linkBits(d.dev) === 0);
    hw.spinUntilReset();
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
