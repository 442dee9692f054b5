// Mailboxes chosen at run time (a spread list): the analysis cannot tell what arrives, so it stays
// silent from there on instead of guessing.
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete } = d.mb;
  const first = [open, txTimeout] as const;
  const later = [close, xmit] as const;
  await d.wait(...first);
  d.send(openComplete, { status: 0 });
  for (;;) await d.wait(...later);
});
