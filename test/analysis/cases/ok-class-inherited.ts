// A subclass of a class from another file: inherited methods run with the subclass's object as
// `this` (its override of transmitted() and its own fields), `super(...)` passes the context on,
// and `super.opened()` reaches the base method. Correct: no findings.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";
import { Session } from "./lib/session";

type D = DriverContext<typeof Ethernet>;

class CountingSession extends Session {
  private frames = 0;

  constructor(d: D, private readonly label: string) {
    super(d);
  }

  override opened(): void {
    this.d.log(`${this.label} open`);
    super.opened();
  }

  protected override transmitted(): void {
    this.frames++;
    this.d.dev.write8(0x38, 0x40);
  }
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const s = new CountingSession(d, "eth0");
  for (;;) {
    const r = await d.wait(d.mb.open, d.mb.txTimeout);
    if (r.mb !== d.mb.open) continue;
    s.opened();
    await s.serveOpen();
    s.closed();
  }
});
