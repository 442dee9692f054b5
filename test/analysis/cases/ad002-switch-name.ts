// AD002: the open state's wait still lists open, which the protocol never sends while open.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.name !== "open") continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      const b = await d.wait(open, close, xmit, txTimeout); //~ AD002
      if (b.name === "close") break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
