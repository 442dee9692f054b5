// The finding twin: only xmit gets a lane, so txTimeout is taken by no thread. Each protocol wait
// misses it, the lane's included (the lane's thread closes over `mb`, which denotes xmit there).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, openComplete, closeComplete } = d.mb;
  for (const mb of [xmit]) {
    d.spawn(`lane-${mb.name}`, async () => {
      for (;;) {
        await d.wait(mb); //~ AD001
        d.log(`lane ${mb.name}`);
      }
    });
  }
  for (;;) {
    await d.wait(open); //~ AD001
    d.send(openComplete, { status: 0 });
    await d.wait(close); //~ AD001
    d.send(closeComplete, { status: 0 });
  }
});
