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
