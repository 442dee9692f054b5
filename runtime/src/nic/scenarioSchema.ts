// The JSON Schema of a scenario file, built from the same lists the loader checks against
// (workload fields, fault kinds and fields, built-in names), so the editor's completion and
// squiggles (package.json's jsonValidation, dist/schemas/scenario.schema.json) cannot drift from
// what `active-driver run` accepts. The loader stays the authority: its errors name file and field.
import { FAULT_EVENTS, FAULT_KINDS, NUMBER_FIELDS } from "./faults";
import { WORKLOAD_DEFAULTS, WORKLOAD_MODES, type Workload } from "./os";
import { FAULT_BOUNDS, SEED_BOUND, WORKLOAD_BOUNDS, type Bound } from "./scenarioBounds";
import { SCENARIO_NAMES } from "./scenarios";

const WORKLOAD_DOCS: Record<keyof Workload, string> = {
  frames: "Frames the OS transmits over the whole run.",
  minSize: "Smallest frame the OS sends, in bytes without FCS.",
  maxSize: "Largest frame the OS sends, in bytes without FCS.",
  xmitRate: "Frames per second the OS offers.",
  txInFlight: "Frames the OS lets be outstanding before it stops the queue.",
  rxRate: "Incoming frames per second from the peer while the interface is up (0 for none).",
  rxMinSize: "Smallest incoming frame, in bytes.",
  rxMaxSize: "Largest incoming frame, in bytes.",
  loopback: "Frames the NIC sends come back to it.",
  cycles: "Open/close cycles; the frames are spread over them.",
  suspends: "Suspend/resume pairs per open period.",
  suspendedUs: "Time spent suspended, in microseconds.",
  watchdogUs: "TX watchdog period, in microseconds (txTimeout after a stall this long).",
  drainUs: "Before close and suspend: longest wait for TX to drain and RX to go quiet, in microseconds.",
  replyGraceUs: "After unplug: longest wait for replies still owed, in microseconds.",
  replyTimeoutUs: "A request unanswered this long fails the run (liveness), in microseconds of virtual time.",
  deadlineUs: "The run stops here whatever happens, in microseconds of virtual time.",
  mode: "script: open, stream, suspend/resume as configured, close. protocol: at each step the OS issues any request or notification the protocol enables (or a fault, or nothing), as the run's chooser decides, within the budgets.",
  requestBudget: "Protocol mode: times the OS may issue each request or notification.",
  faultBudget: "Protocol mode: faults the OS may inject (link flap, RX overflow, spurious interrupt, TX lock-up, hot unplug).",
  stepUs: "Protocol mode: mean time between OS steps, in microseconds.",
  maxSteps: "Protocol mode: OS steps at most (0: 16 + 8 x the budgets). A small bound makes `explore --strategy dfs` exhaustive.",
};

/** Every fault field but kind: the compiler checks that each has its line. */
const FAULT_DOCS: Record<(typeof NUMBER_FIELDS)[number] | "on" | "finalIrq", string> = {
  atUs: "Fire at this virtual time, in microseconds.",
  afterCount: "Or fire once the device has counted this many `on` events.",
  on: "What afterCount counts: frames sent (tx), frames received (rx) or interrupts (irq). Default tx.",
  durationUs: "tx-lockup: how long the transmitter stays stuck; link-flap: how long the link is down; rx-overflow: how long the RX FIFO drops frames.",
  repeat: "Times to fire (default 1), periodUs apart.",
  periodUs: "Time between repeats, in microseconds (default 10000).",
  isr: "spurious-irq: the interrupt status delivered (default 0: an interrupt with no cause).",
  burst: "rx-overflow: frames sent at line rate during the window (default 64).",
  finalIrq: "hot-unplug, suspend-unplug: one last interrupt reading 0xffff (default true).",
  noticeUs: "hot-unplug, suspend-unplug: time from the removal to the OS's unplug, in microseconds (default 50).",
  windowUs: "suspend-unplug: the removal lands within this many microseconds of the suspend request (default 20).",
};

type Schema = Record<string, unknown>;

/** A number's type and range in the schema, as the loader checks them. */
function range(bound: Bound): Schema {
  return { type: bound.integer === true ? "integer" : "number", minimum: bound.min, maximum: bound.max };
}

/** The schema (draft-07) of a scenario file. */
export function scenarioJsonSchema(): Schema {
  const workload: Record<string, Schema> = {};
  for (const key of Object.keys(WORKLOAD_DEFAULTS) as (keyof Workload)[]) {
    const fallback = WORKLOAD_DEFAULTS[key];
    workload[key] =
      key === "mode"
        ? { enum: [...WORKLOAD_MODES], default: fallback, description: WORKLOAD_DOCS[key] }
        : typeof fallback === "boolean"
          ? { type: "boolean", default: fallback, description: WORKLOAD_DOCS[key] }
          : { ...range(WORKLOAD_BOUNDS[key as keyof typeof WORKLOAD_BOUNDS]), default: fallback, description: WORKLOAD_DOCS[key] };
  }
  const fault: Record<string, Schema> = { kind: { enum: [...FAULT_KINDS], description: "What goes wrong." } };
  for (const [key, description] of Object.entries(FAULT_DOCS)) {
    if (key === "on") fault[key] = { enum: [...FAULT_EVENTS], description };
    else if (key === "finalIrq") fault[key] = { type: "boolean", description };
    else fault[key] = { ...range(FAULT_BOUNDS[key as keyof typeof FAULT_BOUNDS]), description };
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "Active Driver scenario",
    description: "A workload for the simulated OS, faults for the simulated RTL8169, and a seed: `active-driver run DRIVER.ts --scenario this.json`.",
    type: "object",
    additionalProperties: false,
    properties: {
      name: { type: "string", minLength: 1, description: "Shown in run summaries." },
      description: { type: "string" },
      extends: {
        enum: [...SCENARIO_NAMES],
        description: "A built-in scenario whose workload and faults this file extends (workload fields override; faults replace when given).",
      },
      seed: { ...range(SEED_BOUND), description: "Default seed (a run's --seed overrides it)." },
      mac: { type: "string", pattern: "^([0-9a-fA-F]{1,2}[:-]){5}[0-9a-fA-F]{1,2}$", description: "The NIC's MAC address (default 02:00:5e:00:00:01)." },
      workload: { type: "object", additionalProperties: false, properties: workload },
      faults: {
        type: "array",
        items: {
          type: "object",
          additionalProperties: false,
          required: ["kind"],
          properties: fault,
          anyOf: [{ required: ["atUs"] }, { required: ["afterCount"] }],
        },
      },
    },
  };
}
