// The Chooser: every nondeterministic decision of a run (which OS activity acts next, how long a
// gap lasts, where a fault lands in its window, which ready driver thread resumes, which enabled
// request the OS issues) asks it for an option index. A run's answers are its schedule: the same
// driver, scenario and answers give the same trace, byte for byte.
import { createRandom } from "../random";

/** What a decision is about. Ordering decisions (thread, os-activity) are the ones PCT prioritises. */
export type ChoiceKind =
  | "os-activity"
  | "gap"
  | "fault-offset"
  | "thread"
  | "request"
  /** Which fault the OS injects, once it chose to inject one. */
  | "fault"
  /** A frame's size (the OS's frames). */
  | "frame-size"
  /** The peer's traffic: inter-arrival gap, size, broadcast or not. */
  | "rx-gap"
  | "rx-size"
  | "rx-broadcast"
  /** Any other draw of a device model (DeviceHost.random). */
  | "device";

export const CHOICE_KINDS: readonly ChoiceKind[] = [
  "os-activity",
  "gap",
  "fault-offset",
  "thread",
  "request",
  "fault",
  "frame-size",
  "rx-gap",
  "rx-size",
  "rx-broadcast",
  "device",
];

/** Kinds that order activities (which one goes next), rather than pick a value. */
export const ORDERING_KINDS: ReadonlySet<ChoiceKind> = new Set<ChoiceKind>(["os-activity", "thread", "request", "fault"]);

/**
 * Options of a continuous decision (a share of a window): 2^32 steps, so a seeded chooser's answer
 * divided by it is exactly the float the seeded random source gives.
 */
export const FRACTION_STEPS = 0x100000000;

export interface Chooser {
  /**
   * One nondeterministic decision: returns an integer in [0, options). 0 is the default/"natural"
   * choice. `label(i)`, when given, names option i (a thread, an OS activity) for strategies that
   * keep per-activity state (PCT); it is only called by such strategies.
   */
  choose(kind: ChoiceKind, options: number, label?: (index: number) => string): number;
  /**
   * True when this chooser always answers 0 to "thread" decisions (arrival order): the domain may
   * then take its fast path and not ask.
   */
  readonly arrivalOrder?: boolean;
}

/** Kinds drawn from the device's random stream by the seeded chooser (the wire's traffic). */
const DEVICE_KINDS: ReadonlySet<ChoiceKind> = new Set<ChoiceKind>(["rx-gap", "rx-size", "rx-broadcast", "device"]);

/**
 * `--seed N`: timing and data drawn from the seed (the device's stream for the wire's traffic, the
 * workload's for the rest), threads resumed in arrival order, OS activities in their natural order.
 * Seeded runs trace what they traced before choices existed.
 */
export function seededChooser(seed: number): Chooser {
  const device = createRandom(seed, 0);
  const workload = createRandom(seed, 1);
  return {
    arrivalOrder: true,
    choose(kind: ChoiceKind, options: number): number {
      if (options <= 1 || kind === "thread") return 0;
      return Math.floor((DEVICE_KINDS.has(kind) ? device() : workload()) * options);
    },
  };
}

/** Every decision uniform over its options (threads too), from one seeded stream. */
export function randomChooser(seed: number): Chooser {
  const random = createRandom(seed, 2);
  return {
    choose(_kind: ChoiceKind, options: number): number {
      return options <= 1 ? 0 : Math.floor(random() * options);
    },
  };
}

/**
 * Replays a schedule: decision i takes `choices[i]`; past the end of the list, or where the recorded
 * index is out of range for this decision, 0.
 */
export function replayChooser(choices: readonly number[]): Chooser {
  let next = 0;
  return {
    choose(_kind: ChoiceKind, options: number): number {
      if (options <= 1) return 0;
      const c = choices[next++];
      return c !== undefined && Number.isInteger(c) && c >= 0 && c < options ? c : 0;
    },
  };
}

/** A decision as a run made it. */
export interface Decision {
  kind: ChoiceKind;
  options: number;
  choice: number;
}

/**
 * Wraps a chooser and records its decisions (those with more than one option, the ones a schedule
 * lists): `choices` is the run's schedule.
 */
export class RecordingChooser implements Chooser {
  readonly choices: number[] = [];
  readonly options: number[] = [];
  readonly kinds: ChoiceKind[] = [];
  readonly arrivalOrder: boolean | undefined;
  /** `onChoice`: told each recorded decision as it is made (a worker keeps them where its parent can read them). */
  constructor(
    private readonly inner: Chooser,
    private readonly onChoice?: (choice: number) => void,
  ) {
    this.arrivalOrder = inner.arrivalOrder;
  }
  choose(kind: ChoiceKind, options: number, label?: (index: number) => string): number {
    if (options <= 1) return 0;
    const c = this.inner.choose(kind, options, label);
    this.onChoice?.(c);
    this.choices.push(c);
    this.options.push(options);
    this.kinds.push(kind);
    return c;
  }
}

export interface PctOptions {
  seed: number;
  /** Bug depth d: d - 1 priority change points. */
  depth: number;
  /** Expected number of ordering decisions in a run (where the change points are drawn). */
  steps: number;
}

/**
 * Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010) over OS activities and driver
 * threads: each activity gets a random priority when first seen (all above d); an ordering decision
 * takes the highest-priority option; at d - 1 change points, drawn among the first `steps` ordering
 * decisions, the activity about to go gets priority d - i (below every initial one). Value decisions
 * (gaps, sizes, offsets, which request) are drawn uniformly from the seed.
 */
export function pctChooser(options: PctOptions): Chooser {
  const random = createRandom(options.seed, 3);
  const depth = Math.max(1, Math.floor(options.depth));
  const steps = Math.max(1, Math.floor(options.steps));
  const changeAt = new Map<number, number>();
  for (let i = 1; i < depth && changeAt.size < Math.min(depth - 1, steps);) {
    const step = 1 + Math.floor(random() * steps);
    if (!changeAt.has(step)) changeAt.set(step, i++);
  }
  const priority = new Map<string, number>();
  let ordering = 0;
  const priorityOf = (name: string): number => {
    let p = priority.get(name);
    if (p === undefined) {
      p = depth + random() * 1e6;
      priority.set(name, p);
    }
    return p;
  };
  const best = (kind: ChoiceKind, n: number, label: (i: number) => string): number => {
    let top = 0;
    let topPriority = -Infinity;
    for (let i = 0; i < n; i++) {
      const p = priorityOf(`${kind}:${label(i)}`);
      if (p > topPriority) {
        topPriority = p;
        top = i;
      }
    }
    return top;
  };
  return {
    choose(kind: ChoiceKind, n: number, label?: (index: number) => string): number {
      if (n <= 1) return 0;
      if (kind !== "thread" && kind !== "os-activity") return Math.floor(random() * n);
      ordering++;
      const name = label ?? ((i: number) => String(i));
      let top = best(kind, n, name);
      const change = changeAt.get(ordering);
      if (change !== undefined) {
        priority.set(`${kind}:${name(top)}`, depth - change);
        top = best(kind, n, name);
      }
      return top;
    },
  };
}
