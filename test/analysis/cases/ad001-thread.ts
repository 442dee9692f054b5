// AD001 with threads: tx covers xmit, but nobody covers txTimeout while open.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  d.spawn("tx", async () => {
    for (;;) await d.wait(xmit);
  });
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    await d.wait(close); //~ AD001
    d.send(closeComplete, { status: 0 });
  }
});
