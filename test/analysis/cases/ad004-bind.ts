// AD004 through a function made by .bind: the bound driver comes before the call's own argument, so
// the closeComplete the helper sends on txTimeout, while still open, is found as for a direct call.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

function reply(d: D, status: number): void {
  d.send(d.mb.closeComplete, { status }); //~ AD004
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const replyClose = reply.bind(undefined, d);
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    d.send(d.mb.openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.txTimeout) replyClose(0);
      if (b.mb === d.mb.close) break;
    }
    replyClose(0);
  }
});
