// A handler table some code changes after it is written (an entry reassigned): the entry that runs
// cannot be told from the literal, so the call stays opaque and the analysis silent after it (the
// literal's close entry would otherwise owe closeComplete at the wait).
import { defineDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  const handlers: Record<string, () => void> = {
    open: () => d.send(openComplete, { status: 0 }),
    close: () => undefined,
  };
  handlers.close = () => d.send(closeComplete, { status: 0 });
  for (;;) {
    const r = await d.wait(open, close, xmit, txTimeout);
    handlers[r.name]?.();
  }
});
