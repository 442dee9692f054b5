// Helpers for the cases: a class holding the context, whose methods wait and reply (in a file of its own).
import type { DriverContext } from "active-driver";
import type { Ethernet } from "../protocol";

type D = DriverContext<typeof Ethernet>;

export class Session {
  constructor(protected readonly d: D) {}

  opened(): void {
    this.d.send(this.d.mb.openComplete, { status: 0 });
  }

  closed(): void {
    this.d.send(this.d.mb.closeComplete, { status: 0 }); //~ AD004
  }

  /** Serves the open state until close arrives (the caller replies to close). */
  async serveOpen(): Promise<void> {
    for (;;) {
      const r = await this.d.wait(this.d.mb.close, this.d.mb.xmit, this.d.mb.txTimeout);
      if (r.mb === this.d.mb.close) return;
      this.transmitted();
    }
  }

  /** Overridden by subclasses that count frames. */
  protected transmitted(): void {}
}
