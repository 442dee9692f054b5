// The RTL8169 register map, register bits and descriptor layout, with the names Linux uses
// (drivers/net/ethernet/realtek/r8169_main.c), plus decoders for the debugger's Device scope.

/** Register offsets in the 256-byte MMIO window. */
export const Reg = {
  MAC0: 0x00,
  MAC4: 0x04,
  MAR0: 0x08,
  CounterAddrLow: 0x10,
  CounterAddrHigh: 0x14,
  TxDescStartAddrLow: 0x20,
  TxDescStartAddrHigh: 0x24,
  TxHDescStartAddrLow: 0x28,
  TxHDescStartAddrHigh: 0x2c,
  ChipCmd: 0x37,
  TxPoll: 0x38,
  IntrMask: 0x3c,
  IntrStatus: 0x3e,
  TxConfig: 0x40,
  RxConfig: 0x44,
  Cfg9346: 0x50,
  Config0: 0x51,
  Config1: 0x52,
  Config2: 0x53,
  Config3: 0x54,
  Config4: 0x55,
  Config5: 0x56,
  PHYAR: 0x60,
  PHYstatus: 0x6c,
  RxMaxSize: 0xda,
  CPlusCmd: 0xe0,
  IntrMitigate: 0xe2,
  RxDescAddrLow: 0xe4,
  RxDescAddrHigh: 0xe8,
  MaxTxPacketSize: 0xec,
} as const;

/** Size of the register window; offsets outside it read all ones. */
export const REG_WINDOW = 0x100;

/** IntrStatus / IntrMask bits. */
export const Intr = {
  RxOK: 0x0001,
  RxErr: 0x0002,
  TxOK: 0x0004,
  TxErr: 0x0008,
  /** Linux's name; the datasheet calls it RDU: no RX descriptor owned by the NIC. */
  RxOverflow: 0x0010,
  LinkChg: 0x0020,
  RxFIFOOver: 0x0040,
  /** TDU: a TX poll found no descriptor owned by the NIC. */
  TxDescUnavail: 0x0080,
  SWInt: 0x0100,
  PCSTimeout: 0x4000,
  /** A DMA access hit no mapped memory (PCI master abort). */
  SYSErr: 0x8000,
} as const;

/** ChipCmd bits. */
export const Cmd = {
  StopReq: 0x80,
  Reset: 0x10,
  RxEnb: 0x08,
  TxEnb: 0x04,
  RxBufEmpty: 0x01,
} as const;

/** TxPoll bits. */
export const Poll = { HPQ: 0x80, NPQ: 0x40, FSWInt: 0x01 } as const;

/** Cfg9346 values: MAC0..5 and Config0..5 take writes only while unlocked. */
export const Cfg9346 = { Lock: 0x00, Unlock: 0xc0 } as const;

/** RxConfig accept bits. */
export const RxAccept = {
  AcceptErr: 0x20,
  AcceptRunt: 0x10,
  AcceptBroadcast: 0x08,
  AcceptMulticast: 0x04,
  AcceptMyPhys: 0x02,
  AcceptAllPhys: 0x01,
} as const;

/** PHYstatus bits. */
export const Phy = {
  TBI_Enable: 0x80,
  TxFlowCtrl: 0x40,
  RxFlowCtrl: 0x20,
  _1000bpsF: 0x10,
  _100bps: 0x08,
  _10bps: 0x04,
  LinkStatus: 0x02,
  FullDup: 0x01,
} as const;

/** Descriptor opts1 bits (TX and RX). A descriptor is 16 bytes: opts1, opts2, addr low, addr high. */
export const Desc = {
  OWN: 0x80000000,
  EOR: 0x40000000,
  FS: 0x20000000,
  LS: 0x10000000,
  /** RX status: the frame was longer than RxMaxSize (receive watchdog timer). */
  RxRWT: 1 << 22,
  /** RX status: receive error summary. */
  RxRES: 1 << 21,
  LengthMask: 0x3fff,
  SIZE: 16,
} as const;

/** Chip version bits in TxConfig (RTL8169s: XID 0x008 in bits 30..20, i.e. 0x00800000). */
export const TXCONFIG_CHIP_VERSION = 0x00800000;

function bitNames(value: number, table: Record<string, number>): string {
  const names = Object.entries(table)
    .filter(([, bit]) => bit !== 0 && (value & bit) === bit)
    .map(([name]) => name);
  return names.length > 0 ? names.join("|") : "0";
}

const hex = (v: number, digits: number): string => "0x" + (v >>> 0).toString(16).padStart(digits, "0");

/** "0x0005 (RxOK|TxOK)". */
export function decodeIntr(isr: number): string {
  return `${hex(isr & 0xffff, 4)} (${bitNames(isr, Intr)})`;
}

export function decodeCmd(cmd: number): string {
  return `${hex(cmd, 2)} (${bitNames(cmd, Cmd)})`;
}

export function decodePhy(phy: number): string {
  return `${hex(phy, 2)} (${bitNames(phy, Phy)})`;
}

export function decodeRxConfig(rx: number): string {
  return `${hex(rx, 8)} (${bitNames(rx & 0x3f, RxAccept)})`;
}

/** "OWN|EOR|FS|LS len=60". */
export function decodeOpts1(opts1: number): string {
  const flags = bitNames(opts1 & 0xf0000000, { OWN: Desc.OWN, EOR: Desc.EOR, FS: Desc.FS, LS: Desc.LS });
  return `${flags} len=${opts1 & Desc.LengthMask}`;
}

/** Names of the register at `offset`, for trace details. */
export function registerName(offset: number): string {
  return REGISTER_NAMES.get(offset) ?? hex(offset, 2);
}

// Register names by offset, for trace details.
const REGISTER_NAMES = new Map<number, string>(
  Object.entries(Reg)
    .reverse()
    .map(([name, at]) => [at, name]),
);

export { hex };
