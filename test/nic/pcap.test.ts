// The pcap tap: classic libpcap, linktype 1, virtual-time stamps; parsed back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LINKTYPE_ETHERNET, PCAP_MAGIC, PEER_MAC, PcapWriter, Poll, Reg, Stream, frameTag, makeFrame, parsePcap } from "active-driver/nic";
import { queueTx, setup } from "./rings";

test("the wire's pcap holds what the NIC sent, with virtual timestamps", () => {
  const r = setup({ tx: 4, wire: { pcap: true, pcapDirection: "tx" } });
  for (let seq = 0; seq < 3; seq++) queueTx(r, makeFrame({ dst: PEER_MAC, src: r.nic.mac, stream: Stream.test, seq, size: 1000 }));
  r.nic.write(Reg.TxPoll, 1, Poll.NPQ);
  r.host.advance(1_000_000);
  const file = r.nic.wire.pcap?.bytes();
  assert.ok(file !== undefined);
  const { header, records } = parsePcap(file);
  assert.equal(header.magic, PCAP_MAGIC);
  assert.equal(header.versionMajor, 2);
  assert.equal(header.versionMinor, 4);
  assert.equal(header.network, LINKTYPE_ETHERNET);
  assert.equal(header.snaplen, 65535);
  assert.equal(records.length, 3);
  // setup ran 100us of reset first; each 1000-byte frame takes 8us.
  assert.deepEqual(
    records.map((x) => [x.tsSec, x.tsUsec]),
    [
      [0, 108],
      [0, 116],
      [0, 124],
    ],
  );
  assert.deepEqual(
    records.map((x) => frameTag(x.data)?.seq),
    [0, 1, 2],
  );
  assert.ok(records.every((x) => x.inclLen === 1000 && x.origLen === 1000));
});

test("PcapWriter: seconds roll over, snaplen truncates, maxBytes stops recording", () => {
  const w = new PcapWriter({ snaplen: 100, maxBytes: 24 + 2 * (16 + 100) });
  const f = makeFrame({ dst: PEER_MAC, src: PEER_MAC, stream: Stream.test, seq: 1, size: 300 });
  w.record(f, 2_500_001);
  w.record(f, 3_000_000);
  w.record(f, 4_000_000);
  assert.equal(w.truncated, true);
  const { records } = parsePcap(w.bytes());
  assert.equal(records.length, 2);
  assert.deepEqual([records[0].tsSec, records[0].tsUsec, records[0].inclLen, records[0].origLen], [2, 500001, 100, 300]);
  assert.deepEqual([records[1].tsSec, records[1].tsUsec], [3, 0]);
});

test("parsePcap names the damage", () => {
  assert.throws(() => parsePcap(new Uint8Array(10)), /shorter than the 24-byte global header/);
  const w = new PcapWriter();
  w.record(new Uint8Array(60), 0);
  const bytes = w.bytes();
  assert.throws(() => parsePcap(bytes.subarray(0, bytes.length - 1)), /record at offset 24 claims 60 bytes, past the end/);
  const bad = bytes.slice();
  bad[0] = 0;
  assert.throws(() => parsePcap(bad), /magic/);
});
