// AD020: errors in a protocol spec (an error) and unreachable states (a warning). Range: the
// offending property.
import { ethernetProtocol, ruleTester } from "../../../../test/analysis/ruleTester";

/** A protocol whose spec is `spec` (the inside of defineProtocol's object). */
function protocol(spec: string): string {
  return `import { defineProtocol, msg } from "active-driver";

export const P = defineProtocol({
${spec}
});
`;
}

const messages = `  messages: {
    open: msg.in({ reply: "openComplete" }),
    openComplete: msg.out(),
    ping: msg.in(),
  },`;

ruleTester("AD020", {
  valid: [
    ethernetProtocol,
    protocol(`${messages}\n  initial: "idle",\n  states: {\n    idle: { open: "busy", ping: "idle" },\n    busy: { openComplete: "idle" },\n  },`),
  ],
  invalid: [
    {
      name: "a row names a message that does not exist",
      code: protocol(`${messages}\n  initial: "idle",\n  states: {\n    idle: { open: "busy", [|pong: "idle"|] },\n    busy: { openComplete: "idle" },\n  },`),
      errors: [
        {
          message: "state 'idle' names 'pong', which is not a message of the protocol",
          data: { kind: "protocolSpec", problem: "unknownMessage", name: "pong" },
        },
      ],
    },
    {
      name: "a transition to a state that does not exist",
      code: protocol(`${messages}\n  initial: "idle",\n  states: {\n    idle: { open: "busy", [|ping: "gone"|] },\n    busy: { openComplete: "idle" },\n  },`),
      errors: [{ message: "state 'idle' moves on ping to 'gone', which is not a state", data: { problem: "unknownState", name: "gone" } }],
    },
    {
      name: "a reply that is an incoming message, and one that is no message",
      code: protocol(`  messages: {
    open: msg.in({ [|reply: "ping"|] }),
    close: msg.in({ [|reply: "closed"|] }),
    ping: msg.in(),
  },
  initial: "idle",
  states: {
    idle: { open: "idle", close: "idle", ping: "idle" },
  },`),
      errors: [
        { message: "the reply of open, 'ping', is not an outgoing message", data: { problem: "replyNotOutgoing", name: "ping" } },
        { message: "the reply of close, 'closed', is not a message of the protocol", data: { problem: "unknownReply", name: "closed" } },
      ],
    },
    {
      name: "no initial state: the range is the spec object",
      code: `import { defineProtocol, msg } from "active-driver";

export const P = defineProtocol([|{
  messages: { ping: msg.in() },
  states: { idle: { ping: "idle" } },
}|]);
`,
      errors: [{ message: "the protocol has no initial state", data: { problem: "missingInitial" } }],
    },
    {
      name: "an initial state that is not a state",
      code: protocol(`${messages}\n  [|initial: "start"|],\n  states: {\n    idle: { open: "busy", ping: "idle" },\n    busy: { openComplete: "idle" },\n  },`),
      errors: [{ message: "initial state 'start' is not a state", data: { problem: "unknownInitial", name: "start" } }],
    },
    {
      name: "an unreachable state is a warning",
      code: protocol(
        `${messages}\n  initial: "idle",\n  states: {\n    idle: { open: "busy", ping: "idle" },\n    busy: { openComplete: "idle" },\n    [|spare: { ping: "idle" }|],\n  },`,
      ),
      errors: [
        {
          message: "state 'spare' cannot be reached from the initial state 'idle'",
          severity: "warning",
          data: { problem: "unreachableState", name: "spare" },
        },
      ],
    },
  ],
});
