// A thread spawned per element of an array of mailboxes: each lane's thread waits on its own
// mailbox (the loop variable it closes over), so xmit and txTimeout are taken, and main is silent.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (const mb of [xmit, txTimeout]) {
    d.spawn(`lane-${mb.name}`, async () => {
      for (;;) {
        await d.wait(mb);
        d.log(`lane ${mb.name}`);
      }
    });
  }
  for (;;) {
    await d.wait(open);
    d.send(openComplete, { status: 0 });
    await d.wait(close);
    d.send(closeComplete, { status: 0 });
  }
});
