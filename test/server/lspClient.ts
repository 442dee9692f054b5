// A real JSON-RPC client for the language server over the child's stdio: the shipped bundle
// (dist/server.js) when it is at least as new as server/src, else the TypeScript source through tsx.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ProtocolConnection,
} from "vscode-languageserver-protocol/node";

const repo = path.resolve(__dirname, "..", "..");
const bundle = path.join(repo, "dist", "server.js");

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** `dist` when the bundle is current, `source` otherwise (AD_SERVER=dist|source forces one). */
export function serverFlavour(): "dist" | "source" {
  const forced = process.env.AD_SERVER;
  if (forced === "dist" || forced === "source") return forced;
  return fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestSource(path.join(repo, "server", "src")) ? "dist" : "source";
}

export const clientCapabilities: ClientCapabilities = {
  workspace: {
    diagnostics: { refreshSupport: true },
    codeLens: { refreshSupport: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ["create"] },
    didChangeWatchedFiles: { dynamicRegistration: false },
  },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ["quickfix", "refactor"] } }, isPreferredSupport: true, dataSupport: true },
    hover: { contentFormat: ["markdown", "plaintext"] },
    definition: { linkSupport: true },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    completion: { completionItem: { snippetSupport: false } },
  },
};

export interface ServerProcess {
  connection: ProtocolConnection;
  child: ChildProcess;
  flavour: "dist" | "source";
  stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export function startServer(flavour: "dist" | "source" = serverFlavour()): ServerProcess {
  const args = flavour === "dist" ? [bundle, "--stdio"] : ["--conditions=source", "--import", "tsx", path.join(repo, "server", "src", "server.ts"), "--stdio"];
  const child = spawn(process.execPath, args, { cwd: repo, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  return { connection, child, flavour, stderr: () => stderr, exited };
}
