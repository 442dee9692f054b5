// AD020: a reply that names an incoming message, and an initial state that does not exist.
import { defineProtocol, msg } from "active-driver";

export const Disk = defineProtocol({
  name: "disk",
  messages: {
    read: msg.in({ reply: "write" }), //~ AD020
    write: msg.in(),
    done: msg.out(),
  },
  initial: "ready", //~ AD020
  states: {
    idle: { read: "idle", write: "idle", done: "idle" },
  },
});
