// The range of every number a scenario may give, so that a scenario file cannot ask for what no run
// can carry out (frames: 1e15, a 1 GB frame, a fault repeated 1e12 times every 0 us) and then blame
// a correct driver. The loader checks them (its errors name the file and the field) and the JSON
// Schema states them (scenarioSchema.ts).
import { ETH_MAX, ETH_MIN } from "./frames";
import type { NUMBER_FIELDS } from "./faults";
import type { Workload } from "./os";

export interface Bound {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
  /** What the number counts, for the error ("frames", "us"). */
  unit: string;
}

/** One hour of virtual time: no time in a scenario goes past it. */
const HOUR_US = 3_600_000_000;
const time = (min = 0): Bound => ({ min, max: HOUR_US, unit: "us" });
const count = (unit: string, max: number, min = 0): Bound => ({ min, max, integer: true, unit });
const size: Bound = { min: ETH_MIN, max: ETH_MAX, integer: true, unit: "bytes" };
const rate: Bound = { min: 0, max: 10_000_000, unit: "frames per second" };

type NumericWorkloadKey = Exclude<keyof Workload, "loopback" | "mode">;

export const WORKLOAD_BOUNDS: Record<NumericWorkloadKey, Bound> = {
  frames: count("frames", 1_000_000),
  minSize: size,
  maxSize: size,
  xmitRate: rate,
  txInFlight: count("frames", 65_536, 1),
  rxRate: rate,
  rxMinSize: size,
  rxMaxSize: size,
  cycles: count("cycles", 10_000, 1),
  suspends: count("suspends", 10_000),
  suspendedUs: time(),
  watchdogUs: time(1),
  drainUs: time(),
  replyGraceUs: time(),
  replyTimeoutUs: time(1),
  deadlineUs: time(1),
  requestBudget: count("requests", 10_000),
  faultBudget: count("faults", 10_000),
  stepUs: time(1),
  maxSteps: count("steps (0: from the budgets)", 1_000_000),
};

export const FAULT_BOUNDS: Record<(typeof NUMBER_FIELDS)[number], Bound> = {
  atUs: time(),
  afterCount: count("events", 1_000_000_000),
  durationUs: time(),
  repeat: count("times", 100_000, 1),
  periodUs: time(1),
  isr: count("(a 16-bit status)", 0xffff),
  burst: count("frames", 100_000),
  noticeUs: time(),
  windowUs: time(),
};

/** A scenario's seed: a whole number from 0 (as `--seed` takes it). */
export const SEED_BOUND: Bound = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, unit: "" };

/** Why `value` (already a finite number) is out of `bound`, or undefined when it is within. */
export function outOfBound(value: number, bound: Bound): string | undefined {
  if (bound.integer === true && !Number.isInteger(value)) return `expected a whole number, got ${value}`;
  if (value < bound.min || value > bound.max)
    return `${value} is out of range: expected ${bound.min} to ${bound.max}${bound.unit !== "" ? ` ${bound.unit}` : ""}`;
  return undefined;
}
