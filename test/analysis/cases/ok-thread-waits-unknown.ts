// A thread that waits on a mailbox the analysis cannot tell (chosen at run time) may be the one
// taking xmit and txTimeout: main, which waits on neither, stays silent rather than guess.
import { defineDriver, type DriverContext } from "active-driver";
import { Ethernet } from "./protocol";

type D = DriverContext<typeof Ethernet>;

function laneOf(d: D, which: number) {
  return Object.values(d.mb)[which]!;
}

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, openComplete, closeComplete } = d.mb;
  for (const which of [2, 3]) {
    d.spawn("lane", async () => {
      for (;;) await d.wait(laneOf(d, which) as never);
    });
  }
  for (;;) {
    await d.wait(open);
    d.send(openComplete, { status: 0 });
    await d.wait(close);
    d.send(closeComplete, { status: 0 });
  }
});
