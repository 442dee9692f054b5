// The channel to the extension: acquireVsCodeApi inside VS Code; outside it (tests, a plain page)
// messages go to window.parent, which is the page itself when not framed, and no view state is kept.
import type { HostToWebview, WebviewToHost } from "../messages";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscodeApi: VsCodeApi | undefined = typeof acquireVsCodeApi === "function" ? acquireVsCodeApi() : undefined;

export function postToHost(message: WebviewToHost): void {
  if (vscodeApi) vscodeApi.postMessage(message);
  else window.parent.postMessage(message, "*");
}

/** What the view saved with saveViewState before it was hidden or the window reloaded (undefined: nothing). */
export function loadViewState(): unknown {
  return vscodeApi?.getState();
}

/** Kept by VS Code while the panel exists, across hiding and window reloads (the panel's serializer hands it back). */
export function saveViewState(state: unknown): void {
  vscodeApi?.setState(state);
}

/** Calls `handler` for each well-formed message from the extension; anything else is ignored. */
export function onHostMessage(handler: (message: HostToWebview) => void): void {
  window.addEventListener("message", (event: MessageEvent<unknown>) => {
    const message = asHostMessage(event.data);
    if (message) handler(message);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Shape checks only: all text reaches the DOM through textContent, so content needs no cleaning. */
export function asHostMessage(data: unknown): HostToWebview | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case "events":
      return Array.isArray(data.events) ? (data as unknown as HostToWebview) : undefined;
    case "current":
      return data.seq === null || typeof data.seq === "number" ? (data as unknown as HostToWebview) : undefined;
    case "protocol":
      return isRecord(data.states) && typeof data.initial === "string" ? (data as unknown as HostToWebview) : undefined;
    case "coverage":
      return Array.isArray(data.transitions) && Array.isArray(data.unreached) ? (data as unknown as HostToWebview) : undefined;
    default:
      return undefined;
  }
}
