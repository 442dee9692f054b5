// AD020 (warning): the suspended state has no way in.
import { defineProtocol, msg } from "active-driver";

export const Power = defineProtocol({
  name: "power",
  messages: {
    suspend: msg.in(),
    resume: msg.in(),
  },
  initial: "on",
  states: {
    on: { resume: "on" },
    suspended: { resume: "on" }, //~ AD020
  },
});
