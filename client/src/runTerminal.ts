// A terminal-like view of driver runs: a pseudoterminal the run command writes its progress and
// summary to (with colour), reused across runs until the user closes it.
import * as vscode from "vscode";

const ansi = { reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", cyan: "\x1b[36m" } as const;
export type Tone = "plain" | "title" | "ok" | "warn" | "error" | "dim";
const tones: Record<Tone, string> = { plain: "", title: ansi.bold + ansi.cyan, ok: ansi.green, warn: ansi.yellow, error: ansi.red + ansi.bold, dim: ansi.dim };

export class RunTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly writes = new vscode.EventEmitter<string>();
  /** Lines written before the terminal opened (VS Code opens it asynchronously). */
  private backlog: string[] | undefined;
  private readonly closeListener: vscode.Disposable;

  constructor(private readonly name = "Active Driver Run") {
    this.closeListener = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.terminal = undefined;
    });
  }

  /** Shows the terminal (creating it if needed) without taking focus from the editor. */
  show(): void {
    if (this.terminal === undefined) {
      this.backlog = [];
      const pty: vscode.Pseudoterminal = {
        onDidWrite: this.writes.event,
        open: () => {
          const pending = this.backlog ?? [];
          this.backlog = undefined;
          for (const text of pending) this.writes.fire(text);
        },
        close: () => {
          this.terminal = undefined;
        },
      };
      this.terminal = vscode.window.createTerminal({ name: this.name, pty, iconPath: new vscode.ThemeIcon("circuit-board") });
    }
    this.terminal.show(true);
  }

  line(text: string, tone: Tone = "plain"): void {
    const colour = tones[tone];
    const out = `${colour}${text.replace(/\r?\n/g, "\r\n")}${colour === "" ? "" : ansi.reset}\r\n`;
    if (this.backlog !== undefined) this.backlog.push(out);
    else if (this.terminal !== undefined) this.writes.fire(out);
  }

  dispose(): void {
    this.closeListener.dispose();
    this.terminal?.dispose();
    this.writes.dispose();
  }
}
