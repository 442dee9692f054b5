// Helpers for the cases: the open-state loop, in a file of its own.
import type { DriverContext } from "active-driver";
import type { Ethernet } from "../protocol";

type D = DriverContext<typeof Ethernet>;

/** Serves the open state until close arrives (the caller replies to close). */
export async function serveOpen(d: D): Promise<void> {
  for (;;) {
    const r = await d.wait(d.mb.close, d.mb.xmit, d.mb.txTimeout);
    if (r.mb === d.mb.close) return;
    if (r.mb === d.mb.xmit) d.dev.write8(0x38, 0x40);
  }
}

/** The same loop without txTimeout: a bug reported here, with the callers that reach it. */
export async function serveOpenForgetful(d: D): Promise<void> {
  for (;;) {
    const r = await d.wait(d.mb.close, d.mb.xmit); //~ AD001
    if (r.mb === d.mb.close) return;
  }
}

/** Waits for the next request in the closed state and returns it. */
export function nextRequest(d: D) {
  return d.wait(d.mb.open, d.mb.txTimeout);
}

/** Waits for the OS watchdog only: every other message enabled where it is called is missed. */
export function awaitWatchdog(d: D) {
  return d.wait(d.mb.txTimeout); //~ AD001
}
