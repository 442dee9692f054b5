// Entry point of the analysis server (bundled to dist/server.js). The transport comes from the
// command line: --stdio (with the resynchronising framing and the LSP lifecycle of lsp/stdio.ts),
// --node-ipc or --socket=PORT (vscode-languageserver reads process.argv).
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { stdioTransport } from "./lsp/stdio";
import { analyze, createCache } from "./workspace/analyzer";
import { startLanguageServer } from "./languageServer";

const stdio = process.argv.includes("--stdio") ? stdioTransport((text) => process.stderr.write(`[active-driver-server] ${text}\n`)) : undefined;
const connection = stdio !== undefined ? createConnection(ProposedFeatures.all, stdio.reader, stdio.writer) : createConnection(ProposedFeatures.all);
startLanguageServer(connection, { analyze, cache: createCache() });
connection.listen();
