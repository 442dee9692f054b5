// The silent twin: the same getter polled with a numeric counter as a bound (`retries < 3`), and a
// counter tested as a state (`pending === 0`).
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

class Link {
  constructor(private readonly d: DriverContext<typeof Ethernet>) {}
  get up(): boolean {
    return (this.d.dev.read8(0x6c) & 2) !== 0;
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const link = new Link(d);
  let pending = 0;
  for (;;) {
    if (pending === 0) {
      const a = await d.wait(open, txTimeout);
      if (a.mb !== open) continue;
      let retries = 0;
      while (!link.up && retries < 3) retries++;
      d.send(openComplete, { status: 0 });
      pending = 1;
    } else {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb !== close) continue;
      d.send(closeComplete, { status: 0 });
      pending = 0;
    }
  }
});
