// The state variable is computed by a function the analysis does not evaluate: it cannot tell which
// branch runs in which protocol state, so it reports nothing rather than guessing.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

function nextState(s: string, m: string): "closed" | "open" {
  return m === "open" ? "open" : m === "close" ? "closed" : (s as "closed" | "open");
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state: "closed" | "open" = "closed";
  for (;;) {
    if (state === "closed") {
      const r = await d.wait(open, txTimeout);
      if (r.mb === open) d.send(openComplete, { status: 0 });
      state = nextState(state, r.name);
    } else {
      const r = await d.wait(close, xmit, txTimeout);
      if (r.mb === close) d.send(closeComplete, { status: 0 });
      state = nextState(state, r.name);
    }
  }
});
