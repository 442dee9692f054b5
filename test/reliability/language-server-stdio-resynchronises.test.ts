// The stdio language server survives a malformed frame: a Content-Length that is not a number, or a
// body that is not JSON, is logged on stderr and skipped, and the next message is answered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startRawServer } from "./helpers";

const initialize = (id: number): object => ({ id, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });

test("a malformed Content-Length is logged and the server answers the next message", { timeout: 120_000 }, async () => {
  const server = startRawServer();
  try {
    server.write("Content-Length: abc\r\n\r\n{}");
    server.write("Content-Length: 5\r\n\r\nnot j");
    server.send(initialize(1));
    const reply = await server.receive((m) => m.id === 1);
    assert.ok((reply.result as { capabilities?: unknown } | undefined)?.capabilities !== undefined, JSON.stringify(reply));
    assert.match(server.stderr(), /malformed input on stdin: Content-Length "abc" is not a number: skipped to the next message/);
    assert.match(server.stderr(), /malformed input on stdin: a message body that is not JSON .*: dropped/);
    server.send({ id: 2, method: "shutdown" });
    await server.receive((m) => m.id === 2);
    server.send({ method: "exit" });
    assert.equal(await server.exited, 0);
  } finally {
    server.kill();
  }
});
