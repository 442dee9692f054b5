// The TypeScript server plugin as VS Code loads it: a real tsserver started with
// `--globalPlugins active-driver-ts-plugin --pluginProbeLocations <extension>` (what VS Code passes
// for contributes.typescriptServerPlugins), over an extension folder laid out as in the VSIX:
// dist/tsPlugin.js (bundled here with esbuild), dist/types (emitted), and the shim package
// node_modules/active-driver-ts-plugin/package.json written by scripts/prepackage.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const repo = path.resolve(__dirname, "..", "..");
let tmp = "";
let extension = "";
let workspace = "";

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ad-tsserver-"));
  extension = path.join(tmp, "extension");
  workspace = path.join(tmp, "workspace");
  fs.mkdirSync(path.join(extension, "dist"), { recursive: true });
  fs.mkdirSync(path.join(workspace, "drivers"), { recursive: true });
  fs.copyFileSync(path.join(repo, "package.json"), path.join(extension, "package.json"));
  await esbuild.build({
    entryPoints: [path.join(repo, "client/src/tsPlugin/index.ts")],
    outfile: path.join(extension, "dist/tsPlugin.js"),
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
  });
  const emit = spawnSync(process.execPath, [path.join(repo, "scripts/emit-runtime-types.mjs"), "--out", path.join(extension, "dist/types")], {
    encoding: "utf8",
  });
  assert.equal(emit.status, 0, emit.stderr);
  const prepackage = (await import(pathToFileURL(path.join(repo, "scripts/prepackage.mjs")).href)) as { writeShim(root: string): string };
  prepackage.writeShim(extension);
});

after(() => {
  if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true });
});

interface TsServerMessage {
  type: string;
  event?: string;
  body?: { file?: string; diagnostics?: { text: string; code: number }[] };
}

/** Opens `file` in a fresh tsserver and returns its semantic diagnostics (text of each). */
function semanticDiagnostics(file: string, pluginProbe: string | undefined): Promise<string[]> {
  const args = [require.resolve("typescript/lib/tsserver.js"), "--useInferredProjectPerProjectRoot", "--disableAutomaticTypingAcquisition"];
  if (pluginProbe !== undefined) args.push("--globalPlugins", "active-driver-ts-plugin", "--pluginProbeLocations", pluginProbe);
  const server = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let pending = "";
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error(`tsserver exited (${code}) before reporting diagnostics`)));
    server.stdout.setEncoding("utf8");
    server.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{")) continue; // Content-Length headers and blank lines
        const message = JSON.parse(line) as TsServerMessage;
        if (message.type === "event" && message.event === "semanticDiag" && message.body?.file === file) {
          server.removeAllListeners("exit");
          server.kill();
          resolve((message.body.diagnostics ?? []).map((d) => `TS${d.code}: ${d.text}`));
        }
      }
    });
    const send = (seq: number, command: string, args: unknown): void =>
      void server.stdin.write(JSON.stringify({ seq, type: "request", command, arguments: args }) + "\n");
    send(1, "open", { file, projectRootPath: workspace });
    send(2, "geterr", { files: [file], delay: 0 });
  });
}

const driver = `import { defineProtocol, msg, defineDriver } from "active-driver";
import { Rtl8169 } from "active-driver/nic";

export const P = defineProtocol({
  name: "p",
  messages: { open: msg.in({ reply: "openComplete" }), openComplete: msg.out<{ status: number }>() },
  initial: "closed",
  states: { closed: { open: "opening" }, opening: { openComplete: "closed" } },
});

export default defineDriver({ protocol: P, device: Rtl8169 }, async (d) => {
  for (;;) {
    const r = await d.wait(d.mb.open);
    if (r.name === "open") d.send(d.mb.openComplete, { status: 0 });
  }
});
`;

test("tsserver without the plugin: Cannot find module 'active-driver' and an implicit any", async () => {
  const file = path.join(workspace, "drivers", "without.ts");
  fs.writeFileSync(file, driver);
  const diagnostics = await semanticDiagnostics(file, undefined);
  assert.ok(
    diagnostics.some((d) => d.startsWith("TS2307:")),
    diagnostics.join("\n"),
  );
  assert.ok(
    diagnostics.some((d) => d.startsWith("TS7006:")),
    diagnostics.join("\n"),
  );
});

test("tsserver loads the plugin through the shim package: no diagnostics", async () => {
  const file = path.join(workspace, "drivers", "with.ts");
  fs.writeFileSync(file, driver);
  const diagnostics = await semanticDiagnostics(file, extension);
  assert.deepEqual(diagnostics, []);
});
