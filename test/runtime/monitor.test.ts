// The runtime protocol monitor: state transitions, unhandled arrivals, illegal sends, enabled
// messages nobody waits for, and replies still owed at stop().
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defineDriver, launch } from "active-driver";
import { Ethernet, lineOf } from "./helpers";

/** Opens, then serves xmit/close; txTimeout only while closed (the mistake of the paper's example). */
const forgetful = defineDriver({ protocol: Ethernet }, async ({ wait, send, mb }) => {
  for (;;) {
    const a = await wait(mb.open, mb.txTimeout); // CLOSED-WAIT
    if (a.name !== "open") continue;
    send(mb.openComplete, { status: 0 });
    for (;;) {
      const b = await wait(mb.close, mb.xmit); // OPEN-WAIT
      if (b.name === "close") break;
    }
    send(mb.closeComplete, { status: 0 });
  }
});

describe("protocol monitor", () => {
  it("follows the states table: incoming messages on arrival, outgoing ones on send", async () => {
    const inst = launch(forgetful);
    assert.equal(inst.protocolState, "closed");
    const opened = inst.os.open();
    assert.equal(inst.protocolState, "opening", "open moves the state as it arrives");
    assert.deepEqual(await opened, { status: 0 });
    assert.equal(inst.protocolState, "open");
    await inst.os.close();
    assert.equal(inst.protocolState, "closed");
    const states = inst.trace.filter((e) => e.kind === "state").map((e) => `${e.detail}|${e.state}`);
    assert.deepEqual(states, [
      "closed -> opening on open|opening",
      "opening -> open on openComplete|open",
      "open -> closing on close|closing",
      "closing -> closed on closeComplete|closed",
    ]);
    assert.deepEqual(inst.violations, []);
  });

  it("reports an incoming message the state does not enable, with state, message and where the driver waits", async () => {
    const inst = launch(forgetful);
    await inst.idle();
    inst.os.xmit({ frame: new Uint8Array(4) });
    assert.equal(inst.violations.length, 1);
    const v = inst.violations[0];
    assert.equal(v.kind, "unhandled");
    assert.equal(v.message, "xmit");
    assert.equal(v.state, "closed");
    assert.equal(v.thread, "main");
    assert.equal(v.loc?.line, lineOf(__filename, "CLOSED-WAIT"));
    assert.match(
      v.detail,
      /"xmit" arrived in state "closed", which does not enable it \(enabled: open, txTimeout\); the driver waits at .*monitor\.test\.ts:\d+:\d+/,
    );
    const fault = inst.trace.find((e) => e.kind === "fault");
    assert.equal(fault?.fault, "unhandled");
    assert.equal(fault?.mailbox, "xmit");
    assert.equal(fault?.state, "closed");
    assert.equal(inst.status, "running", "a violation is reported, the driver goes on");
  });

  it("reports a send the state does not allow, at the send's file:line, even with tracing off", async () => {
    const driver = defineDriver({ protocol: Ethernet }, async ({ wait, send, mb }) => {
      await wait(mb.open);
      send(mb.openComplete, { status: 0 });
      send(mb.openComplete, { status: 1 }); // ILLEGAL-SEND
      await wait(mb.close);
    });
    const inst = launch(driver, { trace: false });
    assert.deepEqual(await inst.os.open(), { status: 0 });
    await inst.idle();
    assert.equal(inst.violations.length, 1);
    const v = inst.violations[0];
    assert.equal(v.kind, "illegal-send");
    assert.equal(v.message, "openComplete");
    assert.equal(v.state, "open");
    assert.equal(v.loc?.file, __filename);
    assert.equal(v.loc?.line, lineOf(__filename, "ILLEGAL-SEND"));
    assert.match(v.detail, /send of "openComplete" in state "open", which does not allow it/);
    assert.equal(inst.protocolState, "open", "an illegal send does not move the state");
  });

  it("reports an enabled message left queued with no thread waiting on it (the forgotten txTimeout)", async () => {
    const inst = launch(forgetful);
    await inst.os.open();
    inst.os.txTimeout();
    await inst.idle();
    const v = inst.violations.find((x) => x.kind === "unwaited");
    assert.ok(v, "expected an unwaited violation");
    assert.equal(v.message, "txTimeout");
    assert.equal(v.state, "open");
    assert.equal(v.loc?.line, lineOf(__filename, "OPEN-WAIT"));
    assert.match(v.detail, /"txTimeout" \(1 queued\) is enabled in state "open" but no thread waits on it \("main" waits on close, xmit at /);
    await inst.idle();
    assert.equal(inst.violations.filter((x) => x.kind === "unwaited").length, 1, "reported once per message");
  });

  it("stop() rejects requests whose reply is still owed, naming the request and its reply", async () => {
    const mute = defineDriver({ protocol: Ethernet }, async ({ wait, mb }) => {
      for (;;) await wait(mb.open, mb.txTimeout);
    });
    const inst = launch(mute);
    const pending = inst.os.open();
    await inst.idle();
    await inst.stop();
    await assert.rejects(pending, /open: stopped while the driver still owed the reply "openComplete" .*the driver never replied/);
    assert.equal(inst.status, "stopped");
    await assert.rejects(inst.os.open(), /the driver instance is stopped/);
  });
});
