// Requests before `initialize` are answered with ServerNotInitialized (-32002) and requests after
// `shutdown` with InvalidRequest (-32600); notifications then are dropped; `exit` ends the process.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startRawServer } from "./helpers";

const position = { textDocument: { uri: "file:///x.ts" }, position: { line: 0, character: 0 } };

test("requests before initialize and after shutdown are answered as the LSP specification says", { timeout: 120_000 }, async () => {
  const server = startRawServer();
  try {
    server.send({ id: 1, method: "textDocument/hover", params: position });
    server.send({ method: "textDocument/didOpen", params: { textDocument: { uri: "file:///x.ts", languageId: "typescript", version: 1, text: "" } } });
    const early = await server.receive((m) => m.id === 1);
    assert.equal((early.error as { code: number } | undefined)?.code, -32002, JSON.stringify(early));
    server.send({ id: 2, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
    assert.ok((await server.receive((m) => m.id === 2)).result !== undefined);
    server.send({ method: "initialized", params: {} });
    server.send({ id: 3, method: "shutdown" });
    assert.equal((await server.receive((m) => m.id === 3)).result, null);
    server.send({ id: 4, method: "textDocument/hover", params: position });
    const late = await server.receive((m) => m.id === 4);
    assert.equal((late.error as { code: number } | undefined)?.code, -32600, JSON.stringify(late));
    server.send({ method: "exit" });
    assert.equal(await server.exited, 0);
  } finally {
    server.kill();
  }
});
