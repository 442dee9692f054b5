// The silent twin of ad001-for-of-mailboxes: the same loops over arrays of mailboxes (sends and
// inner waits naming internal mailboxes, one per element), and the open loop waits on every
// message its state enables. The second driver iterates an array it also pushes to: its elements
// cannot be told, so the wait on each is not followed (followed as `[close]`, it would miss xmit).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const rx = d.mailbox<void>("rx");
  const tx = d.mailbox<void>("tx");
  const rxDone = d.mailbox<void>("rxDone");
  const txDone = d.mailbox<void>("txDone");
  const lanes = [rx, tx];
  const acks = [openComplete];
  d.spawn("rx", async (t) => {
    for (;;) {
      await t.wait(rx);
      t.send(rxDone);
    }
  });
  d.spawn("tx", async (t) => {
    for (;;) {
      await t.wait(tx);
      t.send(txDone);
    }
  });
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    for (const lane of lanes) d.send(lane);
    for (const done of [rxDone, txDone]) await d.wait(done);
    for (const reply of acks) d.send(reply, { status: 0 });
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});

export const grownLanes = defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const grown = [close];
  grown.push(xmit);
  for (;;) {
    const a = await d.wait(open, txTimeout);
    if (a.mb !== open) continue;
    d.send(openComplete, { status: 0 });
    for (;;) {
      for (const mb of grown) await d.wait(mb, txTimeout);
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
