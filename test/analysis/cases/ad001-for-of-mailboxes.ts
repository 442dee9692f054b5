// `for...of` over arrays of mailboxes: the body runs once per element, the loop variable denoting
// it. The sends and inner waits over the lanes name internal mailboxes, and the reply to open is
// sent over `acks`: after the loops the protocol state is 'open' with nothing owed, and the open
// loop's wait that forgets txTimeout is found (before, the path that skips the loop owed the reply
// there).
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
      const b = await d.wait(close, xmit); //~ AD001
      if (b.mb === close) break;
    }
    d.send(closeComplete, { status: 0 });
  }
});
