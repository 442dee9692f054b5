// AD001 with enum states (string members): the closed state forgets txTimeout.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

enum State {
  Closed = "closed",
  Open = "open",
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state: State = State.Closed;
  for (;;) {
    if (state === State.Closed) {
      await d.wait(open); //~ AD001
      d.send(openComplete, { status: 0 });
      state = State.Open;
    } else {
      const r = await d.wait(close, xmit, txTimeout);
      if (r.mb === close) {
        d.send(closeComplete, { status: 0 });
        state = State.Closed;
      }
    }
  }
});
