// Transpiles one driver source file to CommonJS with the TypeScript compiler API, no type-check:
// drivers run from their .ts sources without a build step. An inline source map makes stack
// traces (and so trace `loc`s) point at the .ts lines. Output is cached by path, mtime and size
// in memory, and by content on disk (the user's cache folder), so a run whose sources did not change does not
// load the compiler at all (loading it is most of `active-driver run`'s start-up).
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as TS from "typescript";
import { DriverLoadError, positionOf } from "./errors";

let compiler: typeof TS | undefined;
/** The TypeScript compiler, loaded on first use. */
export function typescript(): typeof TS {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  compiler ??= require("typescript") as typeof TS;
  return compiler;
}

export interface Transpiled {
  /** CommonJS JavaScript with an inline source map. */
  code: string;
  /** The source text it came from (for locating imports in error messages). */
  source: string;
}

interface CacheEntry extends Transpiled {
  mtimeMs: number;
  size: number;
}

const cache = new Map<string, CacheEntry>();

function compilerOptions(ts: typeof TS): TS.CompilerOptions {
  return {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    esModuleInterop: true,
    inlineSourceMap: true,
    inlineSources: true,
    // Drivers are plain modules: keep `import x = require()` and enums working without a program.
    isolatedModules: true,
    verbatimModuleSyntax: false,
  };
}

/** Reads and transpiles `file` (absolute), reusing the cached output while the file is unchanged. */
export function transpileFile(file: string): Transpiled {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new DriverLoadError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file });
  }
  const hit = cache.get(file);
  if (hit !== undefined && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
  const source = fs.readFileSync(file, "utf8");
  const key = diskKey(file, source);
  let code = readDisk(key);
  if (code === undefined) {
    code = transpileSource(file, source).code;
    writeDisk(key, code);
  }
  const entry: CacheEntry = { code, source, mtimeMs: stat.mtimeMs, size: stat.size };
  cache.set(file, entry);
  return entry;
}

// ---- the disk cache: one file per (this build of the runtime, path, source text) ----------------

/**
 * The folder: ACTIVE_DRIVER_TRANSPILE_CACHE names it ("0" turns the cache off); by default the
 * user's cache folder (never a shared temporary folder: another user could plant code there).
 */
function cacheFolder(): string | undefined {
  const setting = process.env["ACTIVE_DRIVER_TRANSPILE_CACHE"];
  if (setting === "0") return undefined;
  if (setting !== undefined && setting !== "") return setting;
  const base = process.env["XDG_CACHE_HOME"] || (process.platform === "win32" ? process.env["LOCALAPPDATA"] : undefined) || path.join(os.homedir(), ".cache");
  return path.join(base, "active-driver", "transpile");
}

let diskDir: string | undefined | null = null;
/** The cache folder once it exists and belongs to this user alone; undefined when unusable. */
function disk(): string | undefined {
  if (diskDir !== null) return diskDir;
  diskDir = undefined;
  const dir = cacheFolder();
  if (dir === undefined) return undefined;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = process.getuid?.();
    if (uid !== undefined && (st.uid !== uid || (st.mode & 0o022) !== 0)) return undefined;
    diskDir = dir;
    prune(dir);
  } catch {
    // no cache
  }
  return diskDir;
}

/** Entries unused this long are removed (once per process): the folder does not grow forever. */
const KEEP_MS = 14 * 24 * 3600 * 1000;

function prune(dir: string): void {
  const old = Date.now() - KEEP_MS;
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < old) fs.rmSync(file, { force: true });
    } catch {
      // gone already
    }
  }
}
let buildId: string | undefined;

/**
 * The key covers what the output depends on: this file's build (its bundle or source: a new
 * release brings a new compiler and new options), the driver file's path (its source map names it)
 * and its text.
 */
function diskKey(file: string, source: string): string {
  buildId ??= [__filename, compilerFile()].map(identity).join("|");
  return createHash("sha256").update(buildId).update("\0").update(file).update("\0").update(source).digest("hex");
}

/** The compiler's file without loading it: dist/typescript.js beside the bundle, else the package. */
function compilerFile(): string | undefined {
  const beside = path.join(__dirname, "typescript.js");
  if (fs.existsSync(beside)) return beside;
  try {
    return require.resolve("typescript");
  } catch {
    return undefined;
  }
}

function identity(file: string | undefined): string {
  if (file === undefined) return "";
  try {
    const st = fs.statSync(file);
    return `${file}:${st.mtimeMs}:${st.size}`;
  } catch {
    return file;
  }
}

function readDisk(key: string): string | undefined {
  const dir = disk();
  if (dir === undefined) return undefined;
  const file = path.join(dir, `${key}.js`);
  try {
    const code = fs.readFileSync(file, "utf8");
    const now = new Date();
    fs.utimesSync(file, now, now); // in use: kept by prune()
    return code;
  } catch {
    return undefined;
  }
}

/** Best effort, atomic (a temporary file renamed into place): a failure only costs the next run a transpile. */
function writeDisk(key: string, code: string): void {
  const dir = disk();
  if (dir === undefined) return;
  const target = path.join(dir, `${key}.js`);
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(temporary, code, { mode: 0o600 });
    fs.renameSync(temporary, target);
  } catch {
    try {
      fs.rmSync(temporary, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}

/** Transpiles source text; a syntax error throws a DriverLoadError at the first diagnostic. */
export function transpileSource(file: string, source: string): Transpiled {
  if (file.endsWith(".json")) return { code: `module.exports = ${source};`, source };
  const ts = typescript();
  const out = ts.transpileModule(source, { fileName: file, reportDiagnostics: true, compilerOptions: compilerOptions(ts) });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  const first = errors[0];
  if (first !== undefined) {
    const { line, column } = positionOf(source, first.start ?? 0);
    const text = ts.flattenDiagnosticMessageText(first.messageText, " ");
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more syntax error${errors.length > 2 ? "s" : ""})` : "";
    throw new DriverLoadError(`syntax error: ${text} (TS${first.code})${more}`, { file, line, column });
  }
  return { code: out.outputText, source };
}

/** Forgets cached output (all files, or one). */
export function clearTranspileCache(file?: string): void {
  if (file === undefined) cache.clear();
  else cache.delete(file);
}
