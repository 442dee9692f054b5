// AD013: awaiting a timer promise yields to the event loop, not to the domain's scheduler: other
// threads can run in the middle of this handler. Use `await d.sleep(10)` instead.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.dev.write8(0x37, 0x10);
    await delay(10); //~ AD013
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
