// Scenarios: a workload for the simulated OS, faults for the NIC (and the OS), and a seed.
// The built-in ones have fixed names (`active-driver run --scenario NAME`); users add their own
// as JSON files in the workspace, read by loadScenarioFile().
import * as fs from "node:fs";
import * as path from "node:path";
import { validateFaultPlan, type FaultPlan } from "./faults";
import { outOfBound, SEED_BOUND, WORKLOAD_BOUNDS, type Bound } from "./scenarioBounds";
import { WORKLOAD_DEFAULTS, WORKLOAD_MODES, type Workload } from "./os";
import { defined } from "../defined";

export interface Scenario {
  name: string;
  description: string;
  workload: Workload;
  faults: FaultPlan[];
  /** Default seed (a run's own seed overrides it). */
  seed?: number;
  /** The NIC's MAC address (default 02:00:5e:00:00:01). */
  mac?: string;
}

export const SCENARIO_NAMES = ["default", "tx-timeout", "link-flap", "rx-overflow", "spurious-irq", "hot-unplug", "suspend-unplug", "protocol-fuzz"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const scenarios: Readonly<Record<ScenarioName, Scenario>> = Object.freeze({
  default: {
    name: "default",
    description: "Open, stream 500 frames out (50k frames/s) while 20k frames/s come in, close. No faults.",
    workload: {},
    faults: [],
  },
  "tx-timeout": {
    name: "tx-timeout",
    description: "The transmitter locks up after 100 frames; the OS watchdog (5 ms) sends txTimeout; the driver must reset the chip and carry on.",
    workload: {},
    faults: [{ kind: "tx-lockup", afterCount: 100, on: "tx" }],
  },
  "link-flap": {
    name: "link-flap",
    description: "The link drops for 1.5 ms, twice (at 2 ms and 6 ms): LinkChg interrupts, PHYstatus without LinkStatus, frames lost while down.",
    workload: { frames: 800 },
    faults: [{ kind: "link-flap", atUs: 2000, durationUs: 1500, repeat: 2, periodUs: 4000 }],
  },
  "rx-overflow": {
    name: "rx-overflow",
    description: "A 256-frame burst at line rate while the RX FIFO overflows for 100 us: RxFIFOOver, frames dropped at the NIC; reception must recover.",
    workload: {},
    faults: [{ kind: "rx-overflow", atUs: 3000, durationUs: 100, burst: 256 }],
  },
  "spurious-irq": {
    name: "spurious-irq",
    description: "Five interrupts with isr 0 (every 500 us from 1 ms), then one claiming RxOK and TxOK with nothing behind it.",
    workload: {},
    faults: [
      { kind: "spurious-irq", atUs: 1000, repeat: 5, periodUs: 500 },
      { kind: "spurious-irq", atUs: 4000, isr: 0x0005 },
    ],
  },
  "hot-unplug": {
    name: "hot-unplug",
    description: "The card vanishes mid-stream at 4 ms: reads return all ones, a last interrupt reads 0xffff, the OS sends unplug 50 us later.",
    workload: {},
    faults: [{ kind: "hot-unplug", atUs: 4000, noticeUs: 50 }],
  },
  "suspend-unplug": {
    name: "suspend-unplug",
    description:
      "The OS suspends the interface halfway through the stream and the card is removed within 20 us of that request (before or after, by seed): the suspend must still be answered.",
    workload: {},
    faults: [{ kind: "suspend-unplug", afterCount: 250, windowUs: 20, noticeUs: 30 }],
  },
  "protocol-fuzz": {
    name: "protocol-fuzz",
    description:
      "The OS as a protocol-driven adversary: at each step it issues any request or notification the protocol enables (each at most 3 times), injects one of 2 faults (hot unplug among them), or lets 200 frames flow, as the run's choices decide.",
    workload: { mode: "protocol", frames: 200, requestBudget: 3, faultBudget: 2, deadlineUs: 200_000 },
    faults: [],
  },
});

/** A built-in scenario by name; the error lists the names. */
export function getScenario(name: string): Scenario {
  const s = (scenarios as Record<string, Scenario>)[name];
  if (s === undefined) throw new Error(`unknown scenario "${name}": use one of ${SCENARIO_NAMES.join(", ")}, or a path to a .json scenario file`);
  return s;
}

const WORKLOAD_KEYS = Object.keys(WORKLOAD_DEFAULTS) as (keyof Workload)[];
const SCENARIO_KEYS = ["name", "description", "workload", "faults", "seed", "mac", "extends"];

/**
 * Reads a scenario from a JSON file. `extends` names a built-in scenario whose workload and
 * faults the file's own fields extend (workload fields override; faults replace when given).
 * Errors name the file and the field: `my.json: workload.frames: expected a non-negative number`.
 */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`${file}: cannot read the scenario file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${(error as Error).message})`, { cause: error });
  }
  return parseScenario(data, file, fileLabel(file));
}

/** A scenario file's own label: its name without the folder and the .json. */
function fileLabel(file: string): string {
  return path.basename(file).replace(/(\.scenario)?\.json$/i, "");
}

/**
 * Checks a scenario object (from JSON or code); `where` prefixes errors. A scenario without a name
 * is called `label` (a file's name), else "custom": never by the name of the built-in it extends.
 */
export function parseScenario(data: unknown, where: string, label = "custom"): Scenario {
  if (typeof data !== "object" || data === null || Array.isArray(data))
    throw new Error(`${where}: a scenario is an object like { "name": "mine", "workload": {...}, "faults": [...] }`);
  const obj = data as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!SCENARIO_KEYS.includes(key)) throw new Error(`${where}: ${key}: unknown field (known: ${SCENARIO_KEYS.join(", ")})`);
  let base: Scenario | undefined;
  if (obj.extends !== undefined) {
    if (typeof obj.extends !== "string" || !(SCENARIO_NAMES as readonly string[]).includes(obj.extends)) {
      throw new Error(`${where}: extends: ${JSON.stringify(obj.extends)} is not one of ${SCENARIO_NAMES.join(", ")}`);
    }
    base = getScenario(obj.extends);
  }
  if (obj.name !== undefined && (typeof obj.name !== "string" || obj.name === "")) throw new Error(`${where}: name: expected a non-empty string`);
  if (obj.description !== undefined && typeof obj.description !== "string") throw new Error(`${where}: description: expected a string`);
  if (obj.seed !== undefined && (typeof obj.seed !== "number" || !Number.isInteger(obj.seed)))
    throw new Error(`${where}: seed: expected an integer, got ${JSON.stringify(obj.seed)}`);
  if (obj.seed !== undefined) bounded(where, "seed", obj.seed as number, SEED_BOUND);
  if (obj.mac !== undefined && (typeof obj.mac !== "string" || !/^([0-9a-fA-F]{1,2}[:-]){5}[0-9a-fA-F]{1,2}$/.test(obj.mac)))
    throw new Error(`${where}: mac: expected six hex bytes like "02:00:5e:00:00:01"`);
  const workload: Workload = { ...(base?.workload ?? {}) };
  if (obj.workload !== undefined) {
    if (typeof obj.workload !== "object" || obj.workload === null || Array.isArray(obj.workload)) throw new Error(`${where}: workload: expected an object`);
    for (const [key, value] of Object.entries(obj.workload)) {
      if (!(WORKLOAD_KEYS as string[]).includes(key)) throw new Error(`${where}: workload.${key}: unknown field (known: ${WORKLOAD_KEYS.join(", ")})`);
      const expected = typeof WORKLOAD_DEFAULTS[key as keyof Workload];
      if (key === "mode") {
        if (!(WORKLOAD_MODES as readonly unknown[]).includes(value))
          throw new Error(`${where}: workload.mode: ${JSON.stringify(value)} is not one of ${WORKLOAD_MODES.join(", ")}`);
      } else if (expected === "boolean" ? typeof value !== "boolean" : typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new Error(
          `${where}: workload.${key}: expected ${expected === "boolean" ? "true or false" : "a non-negative number"}, got ${JSON.stringify(value)}`,
        );
      }
      if (typeof value === "number") bounded(where, `workload.${key}`, value, WORKLOAD_BOUNDS[key as keyof typeof WORKLOAD_BOUNDS]);
      (workload as Record<string, unknown>)[key] = value;
    }
  }
  let faults: FaultPlan[] = [...(base?.faults ?? [])];
  if (obj.faults !== undefined) {
    if (!Array.isArray(obj.faults)) throw new Error(`${where}: faults: expected an array of fault plans`);
    faults = obj.faults.map((f, i) => validateFaultPlan(f, `${where}: faults[${i}]`));
  }
  const name = (obj.name as string | undefined) ?? label;
  return {
    name,
    description:
      (obj.description as string | undefined) ??
      (base !== undefined ? `${where}: the built-in "${base.name}" scenario with this one's changes` : `scenario from ${where}`),
    workload,
    faults,
    ...defined({ seed: (obj.seed as number | undefined) ?? base?.seed, mac: obj.mac as string | undefined }),
  };
}

/** `where: field: why` when a number is out of its bound. */
function bounded(where: string, field: string, value: number, bound: Bound): void {
  const why = outOfBound(value, bound);
  if (why !== undefined) throw new Error(`${where}: ${field}: ${why}`);
}

/** A name from the registry, a path to a JSON file, or a scenario object. */
export function resolveScenario(scenario: string | Scenario): Scenario {
  // Objects are checked like files: a caller in plain JavaScript gets "faults: expected an array", not a TypeError deep in the run.
  if (typeof scenario !== "string") return parseScenario(scenario, `scenario ${JSON.stringify((scenario as { name?: unknown } | null)?.name ?? "object")}`);
  if ((SCENARIO_NAMES as readonly string[]).includes(scenario)) return getScenario(scenario);
  if (scenario.endsWith(".json")) return loadScenarioFile(scenario);
  return getScenario(scenario);
}
