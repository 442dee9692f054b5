// States as an enum, tested with if/else and a switch.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

enum Phase {
  Closed,
  Open,
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let phase = Phase.Closed;
  for (;;) {
    switch (phase) {
      case Phase.Closed: {
        const r = await d.wait(open, txTimeout);
        if (r.name === "open") {
          d.send(openComplete, { status: 0 });
          phase = Phase.Open;
        }
        break;
      }
      case Phase.Open: {
        const r = await d.wait(close, xmit, txTimeout);
        if (r.name === "close") {
          d.send(closeComplete, { status: 0 });
          phase = Phase.Closed;
        }
        break;
      }
    }
  }
});
