// Entry point of the analysis server (bundled to dist/server.js). The transport comes from the
// command line: --stdio, --node-ipc or --socket=PORT (vscode-languageserver reads process.argv).
import { createConnection, ProposedFeatures } from "vscode-languageserver/node";
import { analyze, createCache } from "./workspace/analyzer";
import { startLanguageServer } from "./languageServer";

const connection = createConnection(ProposedFeatures.all);
startLanguageServer(connection, { analyze, cache: createCache() });
connection.listen();
