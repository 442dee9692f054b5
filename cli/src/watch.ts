// `active-driver check --watch PATH...`: checks, then checks again whenever a TypeScript file under
// the paths changes (a protocol file edited elsewhere changes the drivers that use it), until
// Ctrl+C. For terminals and editors without the extension; text output only.
import { statSync, watch, type FSWatcher } from "node:fs";
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
  out.write("watching for changes; Ctrl+C to stop\n");
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
    const watchers: FSWatcher[] = paths.map((p) => {
      const dir = statSync(p).isDirectory() ? p : path.dirname(p);
      return watch(dir, { recursive: true }, onChange(dir));
    });
    const stop = (): void => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
