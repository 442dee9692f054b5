// Silent twin of ad004-bind: a method bound to its object with .bind sends each reply where the
// protocol allows it; the bound `this` and driver are followed, so nothing is reported.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

class Replies {
  constructor(private readonly status: number) {}
  opened(d: D): void {
    d.send(d.mb.openComplete, { status: this.status });
  }
  closed(d: D): void {
    d.send(d.mb.closeComplete, { status: this.status });
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const replies = new Replies(0);
  const opened = replies.opened.bind(replies, d);
  const closed = replies.closed.bind(replies);
  for (;;) {
    const a = await d.wait(d.mb.open, d.mb.txTimeout);
    if (a.mb !== d.mb.open) continue;
    opened();
    for (;;) {
      const b = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
      if (b.mb === d.mb.close) break;
    }
    closed(d);
  }
});
