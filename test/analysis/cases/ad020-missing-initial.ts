// AD020: no initial state, and a reply that is not a message at all.
import { defineProtocol, msg } from "active-driver";

export const Timer = defineProtocol({ //~ AD020
  name: "timer",
  messages: {
    arm: msg.in({ reply: "armd" }), //~ AD020
    armed: msg.out(),
  },
  states: {
    idle: { arm: "idle", armed: "idle" },
  },
});
