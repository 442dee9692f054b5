// The register file: reset values, read/write semantics, widths, the window, reset timing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Cfg9346, Cmd, Intr, Phy, Reg, RESET_US, Rtl8169, formatMac } from "active-driver/nic";
import { FakeHost } from "./fakeHost";

function attached(options = {}): { nic: Rtl8169; host: FakeHost } {
  const host = new FakeHost();
  const nic = new Rtl8169(options);
  nic.attach(host);
  return { nic, host };
}

test("MAC0..5 hold the station address and take writes only while Cfg9346 is unlocked", () => {
  const { nic } = attached({ mac: "02:11:22:33:44:55" });
  assert.equal(nic.read(Reg.MAC0, 4), 0x33221102);
  assert.equal(nic.read(Reg.MAC4, 2), 0x5544);
  nic.write(Reg.MAC0, 4, 0xaabbccdd);
  assert.equal(formatMac(nic.mac), "02:11:22:33:44:55", "locked: write ignored");
  nic.write(Reg.Cfg9346, 1, Cfg9346.Unlock);
  nic.write(Reg.MAC0, 4, 0xaabbccdd);
  nic.write(Reg.Cfg9346, 1, Cfg9346.Lock);
  assert.equal(formatMac(nic.mac), "dd:cc:bb:aa:44:55");
});

test("storage registers read back; unimplemented offsets read 0; past the window reads all ones", () => {
  const { nic } = attached();
  nic.write(Reg.TxDescStartAddrLow, 4, 0x12345600);
  nic.write(Reg.RxDescAddrLow, 4, 0x00abcd00);
  nic.write(Reg.RxMaxSize, 2, 1536);
  assert.equal(nic.read(Reg.TxDescStartAddrLow, 4), 0x12345600);
  assert.equal(nic.read(Reg.RxDescAddrLow, 4), 0x00abcd00);
  assert.equal(nic.read(Reg.RxMaxSize, 2), 1536);
  nic.write(0x30, 4, 0xffffffff); // FLASH: not implemented
  assert.equal(nic.read(0x30, 4), 0);
  assert.equal(nic.read(0x100, 1), 0xff);
  assert.equal(nic.read(0xfe, 4), 0xffff0000, "the two bytes past the end read as ones");
  assert.notEqual(nic.read(Reg.TxConfig, 4) & 0x7cf00000, 0, "TxConfig carries a chip version");
});

test("PHYstatus shows a 1000 Mb/s full-duplex link", () => {
  const { nic } = attached();
  const phy = nic.read(Reg.PHYstatus, 1);
  assert.equal(phy & Phy.LinkStatus, Phy.LinkStatus);
  assert.equal(phy & Phy._1000bpsF, Phy._1000bpsF);
  assert.equal(phy & Phy.FullDup, Phy.FullDup);
  const down = attached({ linkUp: false }).nic;
  assert.equal(down.read(Reg.PHYstatus, 1) & Phy.LinkStatus, 0);
});

test("a 32-bit read at IntrMask returns mask in the low half and status in the high half", () => {
  const { nic } = attached();
  nic.write(Reg.IntrMask, 2, 0x0025);
  nic.write(Reg.TxPoll, 1, 0x01); // FSWInt: sets SWInt
  assert.equal(nic.read(Reg.IntrMask, 4), (Intr.SWInt << 16) | 0x0025);
  nic.write(Reg.IntrStatus, 1, 0xff); // low byte only: SWInt (0x100) stays
  assert.equal(nic.read(Reg.IntrStatus, 2), Intr.SWInt);
  nic.write(Reg.IntrStatus + 1, 1, 0x01);
  assert.equal(nic.read(Reg.IntrStatus, 2), 0);
});

test("reset takes RESET_US, CmdReset reads 1 until done, then LinkChg is signalled even when masked", () => {
  const { nic, host } = attached();
  nic.write(Reg.ChipCmd, 1, Cmd.RxEnb | Cmd.TxEnb);
  assert.equal(nic.read(Reg.ChipCmd, 1), Cmd.RxEnb | Cmd.TxEnb);
  nic.write(Reg.IntrMask, 2, 0);
  nic.write(Reg.ChipCmd, 1, Cmd.Reset);
  assert.equal(nic.read(Reg.ChipCmd, 1), Cmd.Reset, "resetting; RX and TX disabled");
  host.advance(RESET_US - 1);
  assert.equal(nic.read(Reg.ChipCmd, 1) & Cmd.Reset, Cmd.Reset);
  assert.equal(host.interrupts.length, 0);
  host.advance(1);
  assert.equal(nic.read(Reg.ChipCmd, 1), 0);
  assert.deepEqual(host.interrupts, [{ time: RESET_US, isr: Intr.LinkChg }]);
  assert.equal(nic.read(Reg.IntrStatus, 2), Intr.LinkChg);
  nic.write(Reg.IntrStatus, 2, Intr.LinkChg);
  assert.equal(nic.read(Reg.IntrStatus, 2), 0);
  assert.equal(host.interrupts.length, 1, "acknowledging a masked bit raises nothing");
});

test("reset keeps the mask, the ring bases and the MAC; ChipCmd writes during reset are ignored", () => {
  const { nic, host } = attached();
  nic.write(Reg.IntrMask, 2, 0x00ff);
  nic.write(Reg.TxDescStartAddrLow, 4, 0x1000);
  nic.write(Reg.ChipCmd, 1, Cmd.Reset);
  nic.write(Reg.ChipCmd, 1, Cmd.TxEnb);
  assert.equal(nic.read(Reg.ChipCmd, 1), Cmd.Reset);
  host.advance(RESET_US);
  assert.equal(nic.read(Reg.IntrMask, 2), 0x00ff);
  assert.equal(nic.read(Reg.TxDescStartAddrLow, 4), 0x1000);
  assert.equal(nic.read(Reg.ChipCmd, 1), 0);
});

test("PHYAR reads MII registers: BMSR shows the link", () => {
  const { nic } = attached();
  nic.write(Reg.PHYAR, 4, 1 << 16);
  const v = nic.read(Reg.PHYAR, 4);
  assert.equal(v >>> 31, 1, "the flag says the read completed");
  assert.equal(v & 0x0004, 0x0004);
  nic.setLink(false);
  nic.write(Reg.PHYAR, 4, 1 << 16);
  assert.equal(nic.read(Reg.PHYAR, 4) & 0x0004, 0);
});

test("inspect() decodes registers and rings", () => {
  const { nic } = attached();
  nic.write(Reg.IntrMask, 2, Intr.RxOK | Intr.TxOK);
  const view = nic.inspect();
  assert.match(String(view.IntrMask), /RxOK\|TxOK/);
  assert.match(String(view.PHYstatus), /LinkStatus/);
  assert.equal(view.MAC, "02:00:5e:00:00:01");
  assert.equal(view.state, "running");
});
