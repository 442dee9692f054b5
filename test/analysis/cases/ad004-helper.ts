// AD004 inside a helper of the same file: reply() sends closeComplete while still open.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

function reply(d: DriverContext<typeof Ethernet>): void {
  d.send(d.mb.closeComplete, { status: 0 }); //~ AD004
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.txTimeout) reply(d);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
