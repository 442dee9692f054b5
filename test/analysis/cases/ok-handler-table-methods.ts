// Handler tables that are followed: an object literal whose methods share `this` (the context is
// one of its properties), called with `?.(` so that a message without an entry does nothing, and a
// table of async handlers that take the wait result. Each message runs its own entry: no findings.
import { defineDriver, type DriverContext, type WaitResult } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, xmit, txTimeout } = d.mb;
  const replies = {
    d,
    status: 0,
    open() {
      this.d.send(this.d.mb.openComplete, { status: this.status });
    },
    close() {
      this.d.send(this.d.mb.closeComplete, { status: this.status });
    },
  };
  const onOpen = {
    async xmit(ctx: D, r: WaitResult): Promise<void> {
      ctx.dev.write8(0x38, r.name === "xmit" ? 0x40 : 0);
    },
    async txTimeout(ctx: D): Promise<void> {
      await ctx.sleep(1);
    },
  };
  for (;;) {
    const a = await d.wait(open, txTimeout);
    (replies as Record<string, (() => void) | undefined>)[a.name]?.();
    if (a.mb !== open) continue;
    for (;;) {
      const b = await d.wait(close, xmit, txTimeout);
      if (b.mb === close) break;
      await onOpen[b.name as "xmit" | "txTimeout"](d, b);
    }
    replies.close();
  }
});
