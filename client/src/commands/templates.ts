// Templates of "New Active Driver": protocol first (the messages and the states in which each may
// occur), then a driver whose every protocol wait covers its state. Pure, so tests check them
// against the runtime's types and the analyser.

/** Lower-case words joined by dashes: a file name that is also readable as an identifier. */
export const driverNamePattern = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Why `name` is not a good driver name, or undefined when it is. */
export function validateDriverName(name: string): string | undefined {
  if (name.trim() === "") return "Give the driver a name, e.g. my-nic.";
  if (!driverNamePattern.test(name))
    return "Use lower-case letters, digits and dashes, starting with a letter (e.g. my-nic): it names the files and the protocol.";
  return undefined;
}

/** `my-nic` -> `MyNic`. */
export function pascalCase(name: string): string {
  return name
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

export interface DriverFiles {
  protocolFile: string;
  protocolText: string;
  driverFile: string;
  driverText: string;
}

export function driverTemplate(name: string): DriverFiles {
  const protocol = `${pascalCase(name)}Protocol`;
  const protocolText = `// The ${name} protocol: the messages between the OS and the driver, and in each state the messages
// that may occur and the state that follows. The analyser checks the driver against it as you type.
import { defineProtocol, msg } from "active-driver";

export const ${protocol} = defineProtocol({
  name: "${name}",
  messages: {
    open: msg.in({ reply: "openComplete" }), // OS -> driver request that owes a reply
    openComplete: msg.out<{ status: number }>(), // driver -> OS
    close: msg.in({ reply: "closeComplete" }),
    closeComplete: msg.out<{ status: number }>(),
    xmit: msg.in<{ frame: Uint8Array }>(), // no reply: asynchronous
    txTimeout: msg.in(), // notification from the OS watchdog
  },
  initial: "closed",
  states: {
    closed: { open: "opening", txTimeout: "closed" },
    opening: { openComplete: "open", txTimeout: "opening" },
    open: { close: "closing", xmit: "open", txTimeout: "open" },
    closing: { closeComplete: "closed", txTimeout: "closing" },
  },
});
`;
  const driverText = `// The ${name} driver in the active style: one sequential program that waits, in each protocol
// state, on exactly the messages that state enables (the protocol is in ./${name}.protocol.ts).
// Run it: "Active Driver: Run Driver on Simulated NIC"; debug it: F5 with an "active-driver" launch.
import { defineDriver } from "active-driver";
import { Rtl8169 } from "active-driver/nic";
import { ${protocol} } from "./${name}.protocol";

export default defineDriver({ protocol: ${protocol}, device: Rtl8169 }, async (d) => {
  const { open, close, xmit, txTimeout, openComplete, closeComplete } = d.mb;
  let state: "closed" | "open" = "closed";
  for (;;) {
    switch (state) {
      case "closed": {
        const r = await d.wait(open, txTimeout);
        if (r.name === "open") {
          // TODO: reset the device, set up the descriptor rings, unmask interrupts.
          d.send(openComplete, { status: 0 });
          state = "open";
        } // txTimeout while closed: nothing is in flight, so it is ignored on purpose.
        break;
      }
      case "open": {
        const r = await d.wait(close, xmit, txTimeout, d.dev.irq);
        switch (r.name) {
          case "xmit":
            // TODO: put the frame on the TX ring and poke the TX poll register.
            d.log(\`xmit \${r.msg.frame.length} bytes\`);
            break;
          case "irq":
            // TODO: read and acknowledge the interrupt status, reap the rings.
            break;
          case "txTimeout":
            // TODO: reset the transmitter and requeue what was in flight.
            break;
          case "close":
            d.send(closeComplete, { status: 0 });
            state = "closed";
            break;
        }
        break;
      }
    }
  }
});
`;
  return { protocolFile: `${name}.protocol.ts`, protocolText, driverFile: `${name}.ts`, driverText };
}
