// Handlers inside try/catch/finally; the reply is sent in finally on every path.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    let status = 0;
    try {
      d.dev.write8(0x37, 0x10);
    } catch {
      status = -1;
    } finally {
      d.send(openComplete, { status });
    }
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
