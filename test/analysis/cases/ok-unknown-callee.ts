// A function the analysis cannot see receives the context: after it, the protocol state cannot be
// told, so the analysis stays silent (the wait below would otherwise look wrong).
import { defineDriver } from "active-driver";
import { configure } from "some-vendor-library";
import { Ethernet } from "./protocol";

export default defineDriver({ protocol: Ethernet }, async (d) => {
  const { open, close, txTimeout } = d.mb;
  configure(d);
  for (;;) {
    await d.wait(open, close, txTimeout);
  }
});
