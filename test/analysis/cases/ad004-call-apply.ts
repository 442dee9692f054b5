// AD004 through Function.prototype.call and apply: the helper runs with the call's arguments, so
// the closeComplete it sends while the interface is still open is found, as for a direct call.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

function answerOpen(d: D): void {
  d.send(d.mb.openComplete, { status: 0 });
}

function reply(d: D, status: number): void {
  d.send(d.mb.closeComplete, { status }); //~ AD004
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    answerOpen.apply(undefined, [d]);
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.txTimeout) reply.call(undefined, d, 0);
      if (b.mb === d.mb.close) break;
    }
    d.send(d.mb.closeComplete, { status: 0 });
  }
});
