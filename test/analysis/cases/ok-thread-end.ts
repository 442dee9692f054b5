// A driver that serves one open/close session and ends: both replies are sent before it returns.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let a = await d.wait(open, txTimeout);
  while (a.mb === txTimeout) a = await d.wait(open, txTimeout);
  d.send(openComplete, { status: 0 });
  for (;;) {
    const b = await d.wait(close, xmit, txTimeout);
    if (b.mb !== close) continue;
    d.send(closeComplete, { status: 0 });
    return;
  }
});
