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

/** The same loop without txTimeout: a bug the caller's file reports. */
export async function serveOpenForgetful(d: D): Promise<void> {
  for (;;) {
    const r = await d.wait(d.mb.close, d.mb.xmit);
    if (r.mb === d.mb.close) return;
  }
}

/** Waits for the next request in the closed state and returns it. */
export function nextRequest(d: D) {
  return d.wait(d.mb.open, d.mb.txTimeout);
}
