// The stdio host of the debug adapter (DAP contract): `node dist/debugAdapter.js` speaks DAP on
// stdin/stdout. The same session runs inline in the extension host.
import { DebugSession } from "@vscode/debugadapter";
import { ActiveDriverDebugSession } from "./session";

DebugSession.run(ActiveDriverDebugSession);
