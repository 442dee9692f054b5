// `active-driver check --watch PATH...`: checks, then checks again whenever a TypeScript file under
// the paths changes (a protocol file edited elsewhere changes the drivers that use it), until
// Ctrl+C. For terminals and editors without the extension; text output only.
import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import * as path from "node:path";
import { checkFiles, collectFiles, displayPath, formatText, InputError } from "./check";

/** Changes closer together than this make one check (an editor's save is several events). */
const SETTLE_MS = 150;

/**
 * Runs until SIGINT or SIGTERM; resolves with the exit status (0: the user stopped it). The paths
 * must exist (the caller checked them once, as plain `check` does).
 */
export function watchCheck(paths: readonly string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const run = (why: string): void => {
    const started = performance.now();
    let text: string;
    try {
      text = formatText(checkFiles(collectFiles(paths)).checked);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      text = `active-driver check: ${error.message}\n`;
    }
    const time = new Date().toLocaleTimeString("en-GB", { hour12: false });
    out.write(`\n[${time}] ${why} (${Math.round(performance.now() - started)} ms)\n${text}`);
  };
  run("checked");
  return new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const changed = new Set<string>();
    const onChange = (dir: string) => (_event: string, name: string | Buffer | null) => {
      const file = name === null ? undefined : path.join(dir, name.toString());
      if (file !== undefined && !file.endsWith(".ts")) return;
      if (file !== undefined) changed.add(displayPath(path.resolve(file)));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const names = [...changed];
        changed.clear();
        run(names.length === 0 ? "changed" : `changed: ${names.join(", ")}`);
      }, SETTLE_MS);
    };
    // A folder is watched whole; a file through its folder (editors often replace a file on save).
    const tree = new FolderWatch(onChange);
    for (const p of paths) tree.add(statSync(p).isDirectory() ? p : path.dirname(p));
    // Every folder has its watcher now: a save from here on is seen.
    out.write("watching for changes; Ctrl+C to stop\n");
    const stop = (): void => {
      clearTimeout(timer);
      tree.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/**
 * A watcher per folder, set up synchronously, skipping what `check` skips (node_modules, dot
 * folders); a folder created later is added when it appears. (Node 20's recursive `fs.watch` on
 * Linux sets its watchers up asynchronously, so a save right after it returns can go unseen.)
 */
class FolderWatch {
  private readonly watchers = new Map<string, FSWatcher>();

  constructor(private readonly onChange: (dir: string) => (event: string, name: string | Buffer | null) => void) {}

  add(dir: string): void {
    const key = path.resolve(dir);
    if (this.watchers.has(key)) return;
    let watcher: FSWatcher;
    let entries;
    try {
      watcher = watch(dir, this.listener(dir));
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // gone or unreadable: nothing there to check either
    }
    watcher.on("error", () => this.forget(key));
    this.watchers.set(key, watcher);
    for (const entry of entries) if (entry.isDirectory() && !skipped(entry.name)) this.add(path.join(dir, entry.name));
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }

  private listener(dir: string): (event: string, name: string | Buffer | null) => void {
    const changed = this.onChange(dir);
    return (event, name) => {
      const entry = name === null ? undefined : name.toString();
      if (entry !== undefined && event === "rename" && !skipped(entry)) {
        const p = path.join(dir, entry);
        let isDir = false;
        try {
          isDir = statSync(p).isDirectory();
        } catch {
          this.forget(path.resolve(p)); // removed
        }
        if (isDir) {
          // A new folder may come with files in it already: check everything again.
          this.add(p);
          return changed(event, null);
        }
      }
      changed(event, name);
    };
  }

  private forget(key: string): void {
    for (const [dir, w] of this.watchers) {
      if (dir === key || dir.startsWith(key + path.sep)) {
        w.close();
        this.watchers.delete(dir);
      }
    }
  }
}

function skipped(name: string): boolean {
  return name === "node_modules" || name.startsWith(".");
}
