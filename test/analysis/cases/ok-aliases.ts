// Aliases of the context, of its functions and of mailboxes.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const ctx = d;
  const boxes = ctx.mb;
  const waitFor = ctx.wait;
  const reply = d.send;
  const opened = boxes.open;
  const { close: closed, txTimeout: watchdog } = boxes;
  for (;;) {
    const a = await waitFor(opened, watchdog);
    if (a.mb !== opened) continue;
    reply(boxes.openComplete, { status: 0 });
    for (;;) {
      const b = await waitFor(closed, boxes["xmit"], watchdog);
      if (b.mb === closed) break;
    }
    reply(boxes.closeComplete, { status: 0 });
  }
});
