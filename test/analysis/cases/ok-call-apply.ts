// Silent twin of ad004-call-apply: replies sent through call and apply (a method with `this` bound
// by call included) are followed, so the owed replies count as sent and nothing is reported.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

const replies = {
  status: 0,
  opened(d: D): void {
    d.send(d.mb.openComplete, { status: this.status });
  },
  closed(d: D): void {
    d.send(d.mb.closeComplete, { status: this.status });
  },
};

function log(d: D, ...parts: string[]): void {
  d.log(parts.join(" "));
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    replies.opened.call(replies, d);
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
      log.apply(undefined, [d, "frame", "sent"]);
    }
    replies.closed.apply(replies, [d]);
  }
});
