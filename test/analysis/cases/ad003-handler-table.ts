// Handlers kept in a table indexed by the message name: on each path the analysis runs the entry
// the delivered message picks. The close handler forgets its reply, owed at the next wait.
import { defineDriver, type WaitResult } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete } = d.mb;
  const handlers: Record<string, (r: WaitResult) => void> = {
    open: () => d.send(openComplete, { status: 0 }),
    close: () => d.log("closing"),
    xmit: () => d.dev.write8(0x38, 0x40),
    txTimeout: () => undefined,
  };
  for (;;) {
    const r = await d.wait(open, close, xmit, txTimeout); //~ AD003
    handlers[r.name](r);
  }
});
