// runScenario(): launch a driver on a Rtl8169 wired per the scenario, drive the OS workload to its
// end in virtual time, and summarise. `active-driver run`, the debugger and the tests call this.
import * as fs from "node:fs";
import { replayChooser, type Chooser } from "../explore/chooser";
import { launch } from "../index";
import type { TraceEvent } from "../trace";
import type { AnyDriverDefinition, DeliveryGate, DriverInstance, AnyProtocol, LaunchOptions, TraceOptions, Violation } from "../types";
import type { FaultRecord } from "./faults";
import type { Finding } from "./oracles";
import { SimulatedOs, WORKLOAD_DEFAULTS, type FrameAccount, type RequestRecord } from "./os";
import { PcapWriter } from "./pcap";
import { Rtl8169, type NicCounters } from "./rtl8169";
import { resolveScenario, type Scenario } from "./scenarios";
import { Wire } from "./wire";
import { ETH_MAX, ETH_MIN } from "./frames";
import { defined } from "../defined";

export interface RunOptions {
  /** Overrides the scenario's seed (default: the scenario's, else 1). */
  seed?: number;
  /** Where the run's decisions come from (default: the seeded chooser of `seed`). */
  chooser?: Chooser;
  /** The choices of a schedule to replay (a schedule file's `choices`), when no `chooser` is given. */
  schedule?: readonly number[];
  /** Tracing, as launch() takes it (default on). */
  trace?: boolean | TraceOptions;
  /** The stepping gate, passed to launch() (debugger). */
  gate?: DeliveryGate;
  /** Write the wire capture (both directions) to this .pcap file; `true` keeps it in `summary.pcap` only. */
  pcap?: string | boolean;
  /** Called once the instance runs, before the workload starts (the debugger keeps `inst` and `nic`). */
  onLaunch?: (inst: DriverInstance<AnyProtocol>, nic: Rtl8169) => void;
  /** Called when the driver's run ends, before the summary is made (host work: the trace decoded, the capture written). */
  onRunEnd?: () => void;
  /** More launch options (stepBudget, maxQueued, ...). */
  launch?: Omit<LaunchOptions, "seed" | "device" | "trace" | "gate">;
}

export interface MailboxCount {
  sent: number;
  delivered: number;
  queued: number;
}

export interface RunSummary {
  scenario: string;
  seed: number;
  /** "active" or "passive". */
  model: string;
  /** Virtual time at the end, in microseconds. */
  virtualTimeUs: number;
  /** The workload ran to its end (not cut by the deadline, an unplug or a failure). */
  completed: boolean;
  /** True when the driver did not fail, broke no protocol rule and every frame is accounted for. */
  ok: boolean;
  /** Messages per mailbox. */
  messages: Record<string, MailboxCount>;
  requests: RequestRecord[];
  txTimeouts: number;
  frames: { tx: FrameAccount; rx: FrameAccount };
  /** Why the frame accounting does not balance, or what else an oracle found. */
  problems: string[];
  /** The same, machine-readable: which oracle (`kind`), when, and where the driver waited. */
  findings: Finding[];
  notes: string[];
  faults: FaultRecord[];
  violations: Violation[];
  /** The driver's error, if it failed. */
  failure?: string;
  protocolState: string;
  nic: NicCounters;
  /** Where the capture went, when asked for a file. */
  pcapFile?: string;
  /** The capture itself (only when `pcap` was requested). Not enumerable: JSON.stringify leaves it out. */
  readonly pcap?: Uint8Array;
  /** The trace events (empty when tracing is off). Not enumerable: JSON.stringify leaves it out. */
  readonly trace: readonly TraceEvent[];
}

type DriverModule = AnyDriverDefinition | { readonly default: AnyDriverDefinition };

/** Runs `driver` through `scenario` (a name, a .json path, or a Scenario). */
export async function runScenario(driver: DriverModule, scenarioRef: string | Scenario, options: RunOptions = {}): Promise<RunSummary> {
  const scenario = resolveScenario(scenarioRef);
  const seed = options.seed ?? scenario.seed ?? 1;
  const w = { ...WORKLOAD_DEFAULTS, ...scenario.workload };
  const pcap = options.pcap !== undefined && options.pcap !== false ? new PcapWriter() : undefined;
  const wire = new Wire({
    loopback: w.loopback,
    trafficPaused: true,
    pcap,
    ...(w.rxRate > 0
      ? { traffic: { rate: w.rxRate, minSize: Math.max(ETH_MIN, w.rxMinSize), maxSize: Math.min(ETH_MAX, Math.max(w.rxMinSize, w.rxMaxSize)) } }
      : {}),
  });
  const nic = new Rtl8169({ wire, faults: scenario.faults, ...defined({ mac: scenario.mac }) });
  const inst = launch(driver as AnyDriverDefinition, {
    ...options.launch,
    seed,
    ...(options.chooser !== undefined ? { chooser: options.chooser } : options.schedule !== undefined ? { chooser: replayChooser(options.schedule) } : {}),
    device: nic,
    trace: options.trace ?? true,
    ...defined({ gate: options.gate }),
  }) as unknown as DriverInstance<AnyProtocol>;
  let setupError: string | undefined;
  let os: SimulatedOs | undefined;
  try {
    os = new SimulatedOs(inst, nic, scenario.workload, scenario.faults);
  } catch (error) {
    setupError = (error as Error).message;
  }
  options.onLaunch?.(inst, nic);
  if (os !== undefined) {
    const theOs = os;
    theOs.start();
    try {
      await inst.runUntil(() => theOs.finished || inst.status !== "running");
    } catch (error) {
      // The runtime gives up (a timer storm, a driver that never yields...): the instance says why.
      if (inst.failure === undefined) setupError = (error as Error).message;
    }
  }
  options.onRunEnd?.();
  const report = os?.report();
  const virtualTimeUs = inst.now();
  const messages: Record<string, MailboxCount> = {};
  // An outgoing mailbox queues nothing (its messages go to the OS at once): its `length` counts the OS's requests still owed a reply there, which the requests list reports.
  for (const mb of inst.mailboxes()) messages[mb.name] = { sent: mb.sent, delivered: mb.delivered, queued: mb.direction === "out" ? 0 : mb.length };
  const violations = [...inst.violations];
  const failureError = inst.failure;
  const trace = inst.trace;
  await inst.stop();
  nic.detach();
  // Nobody else holds this device (no onLaunch hook kept it): its DMA memory can serve the next run.
  if (options.onLaunch === undefined) nic.memory.release();
  let pcapFile: string | undefined;
  if (pcap !== undefined && typeof options.pcap === "string") {
    try {
      fs.writeFileSync(options.pcap, pcap.bytes());
    } catch (error) {
      // The driver ran; the capture could not be kept: an output failure, named as such.
      const failed = new Error(`cannot write the capture file ${options.pcap}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
      failed.name = "OutputError";
      throw failed;
    }
    pcapFile = options.pcap;
  }
  const failure = failureError?.message ?? setupError;
  const problems = report?.problems ?? [];
  const summary: RunSummary = {
    scenario: scenario.name,
    seed,
    model: inst.model,
    virtualTimeUs,
    completed: report?.completed ?? false,
    ok: failure === undefined && violations.length === 0 && problems.length === 0,
    messages,
    requests: report?.requests ?? [],
    txTimeouts: report?.txTimeouts ?? 0,
    frames: { tx: report?.tx ?? emptyAccount(), rx: report?.rx ?? emptyAccount() },
    problems,
    findings: report?.findings ?? [],
    notes: report?.notes ?? [],
    faults: [...nic.faultLog],
    violations,
    ...defined({ failure }),
    protocolState: String(inst.protocolState),
    nic: { ...nic.counters, dropped: { ...nic.counters.dropped } },
    ...defined({ pcapFile }),
    trace,
  };
  Object.defineProperty(summary, "trace", { value: trace, enumerable: false });
  if (pcap !== undefined) Object.defineProperty(summary, "pcap", { value: pcap.bytes(), enumerable: false });
  return summary;
}

function emptyAccount(): FrameAccount {
  return { offered: 0, delivered: 0, dropped: {}, lost: 0, corrupted: 0, duplicates: 0, bogus: 0 };
}

/** A few lines for a terminal: what ran, what moved, what went wrong. */
export function formatSummary(s: RunSummary): string {
  const lines: string[] = [];
  const drops = (a: FrameAccount) => {
    const parts = Object.entries(a.dropped).map(([c, n]) => `${c} ${n}`);
    return parts.length > 0 ? ` dropped ${parts.join(", ")}` : "";
  };
  lines.push(
    `scenario ${s.scenario}, seed ${s.seed}, ${s.model} driver: ${s.ok ? "ok" : "FAILED"} after ${(s.virtualTimeUs / 1000).toFixed(3)} ms of virtual time${s.completed ? "" : " (workload not completed)"}`,
  );
  lines.push(
    `  TX: ${s.frames.tx.offered} sent by the OS, ${s.frames.tx.delivered} on the wire,${drops(s.frames.tx)}${s.frames.tx.lost > 0 ? `, ${s.frames.tx.lost} lost` : ""}`,
  );
  lines.push(
    `  RX: ${s.frames.rx.offered} from the wire, ${s.frames.rx.delivered} to the OS,${drops(s.frames.rx)}${s.frames.rx.lost > 0 ? `, ${s.frames.rx.lost} lost` : ""}`,
  );
  lines.push(
    `  requests: ${s.requests.map((r) => `${r.name}${r.repliedUs !== undefined ? `=${String(r.status)}` : r.error !== undefined ? "!" : "?"}`).join(" ") || "none"}; txTimeouts ${s.txTimeouts}; interrupts ${s.nic.interrupts}; resets ${s.nic.resets}`,
  );
  const mbs = Object.entries(s.messages)
    .filter(([, m]) => m.sent > 0)
    .map(([n, m]) => `${n} ${m.sent}`);
  lines.push(`  messages: ${mbs.join(", ") || "none"}`);
  for (const f of s.faults) lines.push(`  fault at ${f.timeUs}us: ${f.kind}: ${f.detail}`);
  for (const v of s.violations) lines.push(`  violation: ${v.detail}`);
  if (s.failure !== undefined) lines.push(`  driver failed: ${s.failure}`);
  for (const p of s.problems) lines.push(`  problem: ${p}`);
  for (const n of s.notes) lines.push(`  note: ${n}`);
  if (s.pcapFile !== undefined) lines.push(`  capture: ${s.pcapFile}`);
  return lines.join("\n");
}
