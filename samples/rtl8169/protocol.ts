// The Ethernet device-class protocol the RTL8169 samples implement: the paper's Figure 3 (open,
// close, xmit, tx_timeout) grown with power management, hot unplug and received frames. It is
// written out here, as data, so the analyser can read it next to the drivers; it matches the one
// the simulated OS drives (`Ethernet` in "active-driver/nic") message for message, state for state.
import { defineProtocol, msg } from "active-driver";

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

/** Reply statuses (Linux errno values, negated as the kernel returns them). */
export const Status = { ok: 0, EIO: -5, ENODEV: -19 } as const;
