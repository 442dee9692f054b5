// Browser harness for the webview tests: builds the two bundles with esbuild into a temp dir, serves
// them with the page from client/views/shared/host/html.ts on 127.0.0.1, and drives headless Chromium.
// Pages get a stub acquireVsCodeApi that records what the webview posts, as VS Code's would, and
// keeps its getState/setState state (seeded with `state`, as VS Code hands it to a page shown again).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { webviewHtml } from "../../client/views/shared/host/html";
import { createNonce } from "../../client/views/shared/host/nonce";
import type { HostToWebview, TraceEvent } from "../../client/views/shared/messages";

const ROOT = resolve(__dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VIEWS = ["traffic", "machine"] as const;
export type View = (typeof VIEWS)[number];

export interface OpenOptions {
  /** Install the acquireVsCodeApi stub (default true); without it the page uses its postMessage fallback. */
  vscodeApi?: boolean;
  /** Extra markup injected into the body of the served page (CSP tests). */
  injectBody?: string;
  width?: number;
  height?: number;
  /** What getState returns at first: the state a previous page of the view saved (JSON-able). */
  state?: unknown;
}

export interface WebviewPage {
  page: Page;
  nonce: string;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** What the webview posted to the extension. */
  posted(): Promise<unknown[]>;
  /** What the webview last saved with setState (undefined: nothing). */
  state(): Promise<unknown>;
  /** securitypolicyviolation events: "directive blockedURI". */
  violations(): Promise<string[]>;
  /** Posts a message as the extension would, and returns once the page has handled it and drawn a frame. */
  post(message: HostToWebview): Promise<void>;
  /** As post, for a message given as JSON text and parsed in the page (keeps own "__proto__" keys, as structured clone does). */
  postJson(json: string): Promise<void>;
  frame(): Promise<void>;
}

const INIT_SCRIPT = `
  window.__name = (f) => f; // tsx's keepNames helper, for functions passed to page.evaluate
  window.__posted = [];
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
  window.addEventListener("message", (e) => { if (e.data && typeof e.data.type === "string" && ["ready", "reveal", "export"].includes(e.data.type)) window.__posted.push(e.data); });
`;
const VSCODE_STUB = `
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = JSON.parse(JSON.stringify(s)); },
  });
`;

export class Harness {
  private constructor(
    readonly origin: string,
    readonly browser: Browser,
    private readonly server: Server,
    private readonly outdir: string,
    /** Nonce of the page most recently served, per view. */
    private readonly nonces: Map<string, string>,
  ) {}

  static async start(): Promise<Harness> {
    const outdir = mkdtempSync(join(tmpdir(), "webview-test-"));
    await build({
      entryPoints: Object.fromEntries(VIEWS.map((v) => [v, join(ROOT, `client/views/${v}/page/main.ts`)])),
      outdir,
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      logLevel: "error",
    });
    const nonces = new Map<string, string>();
    const css = readFileSync(join(ROOT, "client/views/media/webview.css"));
    let origin = "";
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", origin);
      const view = VIEWS.find((v) => url.pathname === `/${v}.html`);
      if (view) {
        const nonce = createNonce();
        nonces.set(view, nonce);
        let html = webviewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/${view}.js`, styleUri: `${origin}/webview.css`, title: `${view} view` });
        const inject = url.searchParams.get("inject");
        if (inject) html = html.replace('<div id="root"></div>', `<div id="root"></div>${inject}`);
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
      } else if (VIEWS.some((v) => url.pathname === `/${v}.js`)) {
        res.writeHead(200, { "content-type": "text/javascript" }).end(readFileSync(join(outdir, url.pathname)));
      } else if (url.pathname === "/webview.css") {
        res.writeHead(200, { "content-type": "text/css" }).end(css);
      } else if (url.pathname === "/favicon.ico") {
        res.writeHead(204).end();
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("harness: the test server has no port");
    origin = `http://127.0.0.1:${address.port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
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
    return new Harness(origin, browser, server, outdir, nonces);
  }

  async open(view: View, options: OpenOptions = {}): Promise<WebviewPage> {
    const page = await this.browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 700 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    const seed = options.state === undefined ? "" : `window.__state = ${JSON.stringify(options.state)};`;
    await page.addInitScript(INIT_SCRIPT + seed + (options.vscodeApi === false ? "" : VSCODE_STUB));
    const query = options.injectBody ? `?inject=${encodeURIComponent(options.injectBody)}` : "";
    await page.goto(`${this.origin}/${view}.html${query}`);
    // A view lays out asynchronously (the machine view's ELK layout) under aria-busy: wait for it, then for a frame.
    const settled = async (): Promise<void> => {
      await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
    };
    const frame = async (): Promise<void> => {
      await settled();
      await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
    };
    await settled();
    return {
      page,
      nonce: this.nonces.get(view)!,
      errors,
      posted: () => page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted),
      state: () => page.evaluate(() => (window as unknown as { __state?: unknown }).__state),
      violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      post: async (message) => {
        await page.evaluate(postAndSync, message);
        await frame();
      },
      postJson: async (json) => {
        await page.evaluate(`(${postAndSync.toString()})(JSON.parse(${JSON.stringify(json)}))`);
        await frame();
      },
      frame,
    };
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise<void>((done) => this.server.close(() => done()));
    rmSync(this.outdir, { recursive: true, force: true });
  }
}

/** In the page: post a message, then wait until a sentinel posted after it arrives (messages keep their order). */
export function postAndSync(message: unknown): Promise<void> {
  return new Promise<void>((done) => {
    const token = Math.random();
    const onMessage = (event: MessageEvent): void => {
      if (event.data && event.data.__sync === token) {
        window.removeEventListener("message", onMessage);
        done();
      }
    };
    window.addEventListener("message", onMessage);
    window.postMessage(message, "*");
    window.postMessage({ __sync: token }, "*");
  });
}

/**
 * A deterministic synthetic trace (self-contained: it also runs inside the page via page.evaluate).
 * Six-event cycle: OS sends xmit to main (with loc), main receives it, the NIC reports a device
 * event, the NIC sends irq to rx, rx receives it, main waits (with loc); state every 1000, fault every 5000.
 */
export function syntheticTrace(count: number, start = 0): TraceEvent[] {
  const events: TraceEvent[] = [];
  const loc = (line: number) => ({ file: "/drivers/rtl8169/active.ts", line, column: 7 });
  for (let seq = start; seq < start + count; seq++) {
    const time = seq * 3;
    let e: TraceEvent;
    if (seq % 5000 === 4999) e = { seq, time, kind: "fault", from: "thread:main", fault: "unhandled", detail: `txTimeout in state closed #${seq}` };
    else if (seq % 1000 === 999) e = { seq, time, kind: "state", from: "thread:main", state: seq % 2000 === 999 ? "open" : "closed" };
    else {
      switch (seq % 6) {
        case 0:
          e = { seq, time, kind: "send", from: "os", to: "thread:main", mailbox: "xmit", payload: `{len:${seq}}`, loc: loc(10) };
          break;
        case 1:
          e = { seq, time, kind: "deliver", from: "thread:main", mailbox: "xmit", payload: `{len:${seq - 1}}`, loc: loc(12) };
          break;
        case 2:
          e = { seq, time, kind: "device", from: "nic", detail: "TxPoll <- 0x40" };
          break;
        case 3:
          e = { seq, time, kind: "send", from: "nic", to: "thread:rx", mailbox: "irq", payload: "{isr:0x1}" };
          break;
        case 4:
          e = { seq, time, kind: "deliver", from: "thread:rx", mailbox: "irq", payload: "{isr:0x1}" };
          break;
        default:
          e = { seq, time, kind: "wait", from: "thread:main", mailbox: "xmit", loc: loc(9) };
      }
    }
    events.push(e);
  }
  return events;
}

/** In the page: seqs of the rows wholly inside the diagram's viewport (below its sticky header), ascending. */
export function visibleSeqs(): number[] {
  const scroller = document.getElementById("diagram")!;
  const top = scroller.querySelector(".header")!.getBoundingClientRect().bottom;
  const bottom = scroller.getBoundingClientRect().top + scroller.clientHeight;
  const seqs: number[] = [];
  for (const row of Array.from(scroller.querySelectorAll<HTMLElement>(".row:not([hidden])"))) {
    const r = row.getBoundingClientRect();
    if (r.top >= top - 0.5 && r.bottom <= bottom + 0.5) seqs.push(Number(row.dataset.seq));
  }
  return seqs.sort((a, b) => a - b);
}
