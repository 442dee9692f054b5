// Mailboxes chosen at run time (a list picked by a register, a list that grows): the analysis cannot
// tell what arrives, so it stays silent from there on instead of guessing. (A list written once and
// only spread is followed: see ad001-mailbox-array.ts.)
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete } = d.mb;
  const first = d.dev.read8(0x37) === 0 ? [open, txTimeout] : [open];
  const later = [close];
  later.push(xmit);
  await d.wait(...first);
  d.send(openComplete, { status: 0 });
  for (;;) await d.wait(...later);
});
