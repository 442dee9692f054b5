// Loops over helper calls that are not unbounded register polls: a counter bounds the loop, the
// helper answers from a field or a constant rather than a register, a bounded method of the
// hardware class, an exit on a message.
import { defineDriver } from "active-driver";
import { Chip } from "./lib/chip";
import { Ethernet } from "./protocol";

class Ring {
  private used = 0;

  busy(): boolean {
    return this.used > 0;
  }

  take(): void {
    this.used = this.used > 0 ? this.used - 1 : 0;
  }
}

function ready(): boolean {
  return true;
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const hw = new Chip(d.dev);
  const ring = new Ring();
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    hw.startReset();
    for (let i = 0; i < 100 && hw.resetPending(); i++) await d.sleep(1);
    const up = hw.waitReset(100);
    while (ring.busy()) ring.take();
    while (!ready()) await d.sleep(1);
    d.send(openComplete, { status: up ? 0 : -1 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
