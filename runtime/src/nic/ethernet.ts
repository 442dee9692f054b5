// The Ethernet device-class protocol (the paper's Figure 3, grown with power management, hot
// unplug and received frames). samples/rtl8169/protocol.ts re-exports it; the simulated OS
// (os.ts) drives any driver of this protocol, or of a subset of it (e.g. the contract's four
// requests and txTimeout), using only the messages the driver's protocol declares.
import { defineProtocol, msg } from "../index";

export const Ethernet = defineProtocol({
  name: "ethernet",
  messages: {
    open: msg.in({ reply: "openComplete" }),
    openComplete: msg.out<{ status: number }>(),
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    xmit: msg.in<{ frame: Uint8Array }>(),
    txTimeout: msg.in(),
    suspend: msg.in({ reply: "suspendComplete" }),
    suspendComplete: msg.out<{ status: number }>(),
    resume: msg.in({ reply: "resumeComplete" }),
    resumeComplete: msg.out<{ status: number }>(),
    unplug: msg.in(),
    recv: msg.out<{ frame: Uint8Array }>(),
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed", unplug: "unplugged" },
    opening: { openComplete: "open", txTimeout: "opening", unplug: "unplugged" },
    open: { close: "closing", xmit: "open", txTimeout: "open", suspend: "suspending", recv: "open", unplug: "unplugged" },
    closing: { closeComplete: "closed", txTimeout: "closing", recv: "closing", unplug: "unplugged" },
    suspending: { suspendComplete: "suspended", recv: "suspending", unplug: "unplugged" },
    suspended: { resume: "resuming", unplug: "unplugged" },
    resuming: { resumeComplete: "open", unplug: "unplugged" },
    // The card is gone: replies still owed may be sent (with an error status), nothing else comes.
    unplugged: { openComplete: "unplugged", closeComplete: "unplugged", suspendComplete: "unplugged", resumeComplete: "unplugged", recv: "unplugged" },
  },
});

/** Status codes the driver replies with (Linux errno values, negated as the kernel returns them). */
export const EthStatus = { ok: 0, ENODEV: -19, EIO: -5, EBUSY: -16 } as const;
