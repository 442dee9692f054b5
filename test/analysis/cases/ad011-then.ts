// AD011 through a promise continuation: close finishes its work in `.then`.
import { definePassiveDriver } from "active-driver";
import { Ethernet } from "./protocol";

export default definePassiveDriver({ protocol: Ethernet }, (k) => {
  return {
    open() {
      return { status: 0 };
    },
    close() {
      k.lock("rtnl").then(() => k.unlock("rtnl")); //~ AD011
      return { status: 0 };
    },
    txTimeout() {
      queueMicrotask(() => k.dev.write8(0x37, 0x10)); //~ AD011
    },
    xmit() {},
  };
});
