// `active-driver/nic`: the simulated RTL8169 NIC, its wire and faults, the Ethernet protocol,
// the simulated OS side and the scenarios that run a driver end to end.
export { Rtl8169, RESET_US } from "./rtl8169";
export type { Rtl8169Options, NicCounters, NicEvent } from "./rtl8169";
// The register maps are constants of this module, not re-exports: under a CommonJS transform (tsx)
// a re-export is a getter calling the other module's getter on every `Desc.OWN` a driver reads.
import * as regs from "./regs";
import * as mitigation from "./mitigation";
export const Reg = regs.Reg;
export const Intr = regs.Intr;
export const Cmd = regs.Cmd;
export const Poll = regs.Poll;
export const Phy = regs.Phy;
export const Desc = regs.Desc;
export const RxAccept = regs.RxAccept;
export const Cfg9346 = regs.Cfg9346;
export const Mitigate = mitigation.Mitigate;
export { intrMitigate, decodeMitigation, MITIGATION_UNIT_US } from "./mitigation";
export { REG_WINDOW, decodeIntr, decodeCmd, decodePhy, decodeOpts1, decodeRxConfig, registerName } from "./regs";
export { PhysicalMemory, DmaError, DMA_BASE, DMA_ALIGN, DMA_LIMIT } from "./memory";
export { Wire, wireTimeUs } from "./wire";
export type { WireOptions, TrafficOptions, WireObserver, WirePort, DropCause, RxResult, WireCounters } from "./wire";
export { PcapWriter, parsePcap, PCAP_MAGIC, LINKTYPE_ETHERNET } from "./pcap";
export type { PcapOptions, PcapHeader, PcapRecord } from "./pcap";
export { FAULT_KINDS, validateFaultPlan } from "./faults";
export type { FaultKind, FaultPlan, FaultRecord, FaultEvent } from "./faults";
export { makeFrame, frameTag, describeFrame, parseMac, formatMac, Stream, PEER_MAC, DEFAULT_MAC, BROADCAST, ETH_MIN, ETH_MAX } from "./frames";
export type { FrameSpec, FrameTag } from "./frames";
export { Ethernet, EthStatus } from "./ethernet";
export { SimulatedOs, WORKLOAD_DEFAULTS, WORKLOAD_MODES } from "./os";
export type { Workload, WorkloadMode, OsReport, FrameAccount, RequestRecord } from "./os";
export { scenarios, SCENARIO_NAMES, getScenario, loadScenarioFile, parseScenario, resolveScenario } from "./scenarios";
export { scenarioJsonSchema } from "./scenarioSchema";
export type { Scenario, ScenarioName } from "./scenarios";
export { runScenario, formatSummary } from "./run";
export type { RunOptions, RunSummary, MailboxCount } from "./run";
