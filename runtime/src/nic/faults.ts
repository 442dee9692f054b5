// Fault plans: what goes wrong, and when (virtual time or after a count of device events).
// The device carries out the hardware faults; the simulated OS carries out the OS-side ones
// (the notice of an unplug, a suspend that races it).
import { FAULT_BOUNDS, outOfBound } from "./scenarioBounds";

export const FAULT_KINDS = ["tx-lockup", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_EVENTS = ["tx", "rx", "irq"] as const;
export type FaultEvent = (typeof FAULT_EVENTS)[number];

export interface FaultPlan {
  kind: FaultKind;
  /** Trigger at this virtual time, in microseconds. */
  atUs?: number;
  /** Or trigger once the device has counted this many `on` events (frames sent, frames received, interrupts). */
  afterCount?: number;
  on?: FaultEvent;
  /**
   * tx-lockup: how long the transmitter stays stuck (default: until the driver resets the chip);
   * link-flap: how long the link stays down (default 2000); rx-overflow: how long the RX FIFO drops frames (default 500).
   */
  durationUs?: number;
  /** Times to fire (default 1), `periodUs` apart (default 10000). */
  repeat?: number;
  periodUs?: number;
  /** spurious-irq: the isr delivered (default 0: an interrupt with no cause). Non-zero bits are latched in IntrStatus too. */
  isr?: number;
  /** rx-overflow: frames sent at line rate to the NIC during the window (default 64). */
  burst?: number;
  /** hot-unplug, suspend-unplug: one last interrupt with isr 0xffff, as a shared IRQ line reads after removal (default true). */
  finalIrq?: boolean;
  /** hot-unplug, suspend-unplug: virtual time between the removal and the OS's `unplug` notification (default 50). */
  noticeUs?: number;
  /** suspend-unplug: the removal lands within this many us before or after the suspend request, chosen by the seed (default 20). */
  windowUs?: number;
}

/** A fault as it happened, for the run summary and the trace. */
export interface FaultRecord {
  kind: FaultKind;
  timeUs: number;
  detail: string;
}

/** The numeric fields of a fault plan. */
export const NUMBER_FIELDS = ["atUs", "afterCount", "durationUs", "repeat", "periodUs", "isr", "burst", "noticeUs", "windowUs"] as const;

/** Checks a plan read from JSON; the error names `where` (e.g. "file.json: faults[1]") and the field. */
export function validateFaultPlan(value: unknown, where: string): FaultPlan {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${where}: a fault must be an object like { "kind": "link-flap", "atUs": 5000 }`);
  const plan = value as Record<string, unknown>;
  if (typeof plan.kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(plan.kind)) {
    throw new Error(`${where}.kind: ${JSON.stringify(plan.kind)} is not one of ${FAULT_KINDS.join(", ")}`);
  }
  for (const key of Object.keys(plan)) {
    if (key !== "kind" && key !== "on" && key !== "finalIrq" && !(NUMBER_FIELDS as readonly string[]).includes(key)) {
      throw new Error(`${where}.${key}: unknown field (known: kind, on, finalIrq, ${NUMBER_FIELDS.join(", ")})`);
    }
  }
  for (const key of NUMBER_FIELDS) {
    const v = plan[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
      throw new Error(`${where}.${key}: expected a non-negative number, got ${JSON.stringify(v)}`);
    const why = typeof v === "number" ? outOfBound(v, FAULT_BOUNDS[key]) : undefined;
    if (why !== undefined) throw new Error(`${where}.${key}: ${why}`);
  }
  if (plan.on !== undefined && !(FAULT_EVENTS as readonly unknown[]).includes(plan.on))
    throw new Error(`${where}.on: ${JSON.stringify(plan.on)} is not one of ${FAULT_EVENTS.join(", ")}`);
  if (plan.finalIrq !== undefined && typeof plan.finalIrq !== "boolean") throw new Error(`${where}.finalIrq: expected true or false`);
  if (plan.atUs === undefined && plan.afterCount === undefined)
    throw new Error(`${where}: give "atUs" (virtual time) or "afterCount" (events) to say when the fault fires`);
  return plan as unknown as FaultPlan;
}
