// Protocols shared by the webview tests.
import type { ProtocolMessage } from "../../client/views/shared/messages";

/** The design's Ethernet protocol (the paper's Figure 3). */
export const ETHERNET: ProtocolMessage = {
  type: "protocol",
  name: "ethernet",
  initial: "closed",
  current: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", xmit: "open", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
  directions: { open: "in", openComplete: "out", close: "in", closeComplete: "out", xmit: "in", txTimeout: "in" },
};

/** A protocol of twelve states (power management, resets, link and hot unplug): the layout must stay readable. */
export const TWELVE_STATES: ProtocolMessage = {
  type: "protocol",
  name: "ethernet-pm",
  initial: "closed",
  states: {
    closed: { open: "opening", unplug: "removed", txTimeout: "closed" },
    opening: { openComplete: "open", unplug: "removed" },
    open: { close: "closing", xmit: "open", txTimeout: "resetting", linkDown: "noLink", suspend: "suspending", unplug: "removed" },
    resetting: { resetDone: "open", close: "closing", unplug: "removed" },
    noLink: { linkUp: "open", close: "closing", unplug: "removed" },
    suspending: { suspendComplete: "suspended", unplug: "removed" },
    suspended: { resume: "resuming", unplug: "removed" },
    resuming: { resumeComplete: "open", resumeFailed: "failed" },
    failed: { close: "closing", unplug: "removed" },
    closing: { closeComplete: "closed", unplug: "removed" },
    removed: { release: "released" },
    released: {},
  },
  directions: {
    open: "in",
    openComplete: "out",
    close: "in",
    closeComplete: "out",
    xmit: "in",
    txTimeout: "in",
    resetDone: "out",
    linkDown: "in",
    linkUp: "in",
    suspend: "in",
    suspendComplete: "out",
    resume: "in",
    resumeComplete: "out",
    resumeFailed: "out",
    unplug: "in",
    release: "in",
  },
};
