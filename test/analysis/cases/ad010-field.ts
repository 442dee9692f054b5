// AD010 on a field: `link.up` is written by open and tested by xmit.
import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  const link = {
    up: false, //~ AD010
    resets: 0,
  };
  return {
    open() {
      link.up = true;
      return { status: 0 };
    },
    close() {
      return { status: 0 };
    },
    txTimeout() {
      link.resets++;
    },
    xmit() {
      if (link.up) k.dev.write8(0x38, 0x40);
    },
  };
});
