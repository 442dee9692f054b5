// The wait result destructured: `const { name } = await wait(...)` and a switch on `name`.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  for (;;) {
    const { name } = await d.wait(open, txTimeout);
    if (name !== "open") continue;
    d.send(openComplete, { status: 0 });
    let serving = true;
    while (serving) {
      const { name: next, msg } = await d.wait(close, xmit, txTimeout);
      switch (next) {
        case "close":
          d.send(closeComplete, { status: 0 });
          serving = false;
          break;
        case "xmit":
          d.log(msg);
          break;
        default:
          break;
      }
    }
  }
});
