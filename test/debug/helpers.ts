// Helpers for the debug adapter tests: DebugClient against the stdio adapter (dist/debugAdapter.js,
// as shipped) or against the session class served in this process (the inline host), fixture paths
// and the lines their `// @marker` comments sit on.
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import assert from "node:assert/strict";
import { DebugClient } from "@vscode/debugadapter-testsupport";
import type { DebugProtocol } from "@vscode/debugprotocol";
import { ActiveDriverDebugSession } from "../../client/src/debug/session";

export const ROOT = path.resolve(__dirname, "..", "..");
export const ADAPTER = path.join(ROOT, "dist", "debugAdapter.js");
export const FIXTURES = path.join(__dirname, "fixtures");
export const FEW_FRAMES = path.join(FIXTURES, "few-frames.json");

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

/** 1-based line of the comment `// @marker` in `file`. */
export function lineOf(file: string, marker: string): number {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const i = lines.findIndex((l) => l.includes(`// @${marker}`));
  assert.ok(i >= 0, `${file} has no "// @${marker}" line`);
  return i + 1;
}

/** Generous: a slow machine running two suites at once must not fail on time (stops are event-driven). */
const EVENT_TIMEOUT_MS = 60_000;

export interface Client {
  dc: DebugClient;
  close(): Promise<void>;
}

/** The stdio adapter as shipped (build first: `node esbuild.js`). */
export async function startStdio(): Promise<Client> {
  assert.ok(fs.existsSync(ADAPTER), `${ADAPTER} is missing: run \`node esbuild.js\` first`);
  const dc = new DebugClient("node", ADAPTER, "active-driver", { cwd: ROOT });
  dc.defaultTimeout = EVENT_TIMEOUT_MS;
  await dc.start();
  return { dc, close: () => dc.stop() };
}

/** The session class in this process, served on a local socket (the inline host runs the same class). */
export async function startInline(): Promise<Client & { sessions: ActiveDriverDebugSession[] }> {
  const sessions: ActiveDriverDebugSession[] = [];
  const server = net.createServer((socket) => {
    const session = new ActiveDriverDebugSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
    sessions.push(session);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const dc = new DebugClient("node", "(inline)", "active-driver");
  dc.defaultTimeout = EVENT_TIMEOUT_MS;
  await dc.start(port);
  return {
    dc,
    sessions,
    close: async () => {
      await dc.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface LaunchOptions {
  driver: string;
  scenario?: string;
  seed?: number;
  stopOnEntry?: boolean;
  trace?: string;
}

/** initialize, breakpoints (in `configure`), launch, configurationDone; resolves with the first stop. */
export async function launch(dc: DebugClient, options: LaunchOptions, configure?: () => Promise<void>): Promise<DebugProtocol.StoppedEvent> {
  const initialized = dc.waitForEvent("initialized");
  const stopped = dc.waitForEvent("stopped") as Promise<DebugProtocol.StoppedEvent>;
  await dc.initializeRequest({ adapterID: "active-driver", linesStartAt1: true, columnsStartAt1: true, pathFormat: "path" });
  await initialized;
  await configure?.();
  const args = { type: "active-driver", request: "launch", scenario: FEW_FRAMES, seed: 1, stopOnEntry: true, ...options };
  const launched = dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
  await dc.configurationDoneRequest();
  await launched;
  return stopped;
}

/** Runs `request` and resolves with the stop it causes. */
export async function stopAfter(dc: DebugClient, request: (threadId: number) => Promise<unknown>, threadId = 3): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent("stopped") as Promise<DebugProtocol.StoppedEvent>;
  await request(threadId);
  return stopped;
}

export async function evaluate(dc: DebugClient, expression: string): Promise<string> {
  const r = await dc.evaluateRequest({ expression, context: "watch" });
  return r.body.result;
}

/** The stop's delivery: position, mailbox and arrival seq (from evaluate, as a user would see them). */
export async function whereAmI(dc: DebugClient): Promise<{ position: number; mailbox: string; seq: number }> {
  return {
    position: Number(await evaluate(dc, "position")),
    mailbox: await evaluate(dc, "delivery.mailbox"),
    seq: Number(await evaluate(dc, "delivery.seq")),
  };
}

/** Variables of the scope named `name` in the top frame of `threadId`. */
export async function scopeVariables(dc: DebugClient, name: string, threadId = 3): Promise<DebugProtocol.Variable[]> {
  const frames = await dc.stackTraceRequest({ threadId });
  const frameId = frames.body.stackFrames[0]!.id;
  const scopes = await dc.scopesRequest({ frameId });
  const scope = scopes.body.scopes.find((s) => s.name === name);
  assert.ok(scope !== undefined, `no scope "${name}" (scopes: ${scopes.body.scopes.map((s) => s.name).join(", ")})`);
  return (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
}

export function variable(vars: DebugProtocol.Variable[], name: string): DebugProtocol.Variable {
  const v = vars.find((x) => x.name === name);
  assert.ok(v !== undefined, `no variable "${name}" (have: ${vars.map((x) => x.name).join(", ")})`);
  return v;
}
