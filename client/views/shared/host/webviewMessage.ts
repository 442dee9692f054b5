// Checks what a webview posts before the extension acts on it: the page renders trace text from
// driver runs, so its messages are treated as untrusted input. Pure (no vscode).
import type { WebviewToHost } from "../messages";

/** Shape check of what a webview sends: it is untrusted input like any page's. */
export function asWebviewMessage(data: unknown): WebviewToHost | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const m = data as Record<string, unknown>;
  switch (m.type) {
    case "ready":
      return m.view === "traffic" || m.view === "machine" ? (m as unknown as WebviewToHost) : undefined;
    case "export":
      return m.format === "jsonl" || m.format === "chrome" ? (m as unknown as WebviewToHost) : undefined;
    case "reveal": {
      const loc = m.loc as Record<string, unknown> | null | undefined;
      const ok =
        typeof m.seq === "number" &&
        typeof loc === "object" &&
        loc !== null &&
        typeof loc.file === "string" &&
        typeof loc.line === "number" &&
        typeof loc.column === "number";
      return ok ? (m as unknown as WebviewToHost) : undefined;
    }
    default:
      return undefined;
  }
}
