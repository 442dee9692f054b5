// A register read through a getter (`link.up` runs `get up()`) is a register read: a loop left only
// when the getter changes is a register poll.
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
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    while (!link.up) { //~ AD030
      d.dev.write8(0x37, 0x10);
    }
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
