// Source locations of driver code: the caller of an API function (for the trace, when enabled)
// and the first driver frame of an error (for failures). Frames inside the runtime are skipped.
import { findSourceMap, type SourceMap } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SourceLocation } from "./trace";

const runtimeDir = __dirname;
const framePattern = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

function fromFrame(line: string): SourceLocation | undefined {
  const m = framePattern.exec(line);
  if (m === null) return undefined;
  let file = m[1];
  if (file.startsWith("file://")) file = fileURLToPath(file);
  if (file.startsWith("internal/") || (!file.includes("/") && !file.includes("\\")) || isForeign(file)) return undefined;
  return { file, line: Number(m[2]), column: Number(m[3]) };
}

/** The first driver frame in a stack text. */
export function locationInStack(stack: string | undefined): SourceLocation | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split("\n")) {
    if (!line.trimStart().startsWith("at ")) continue;
    const loc = fromFrame(line);
    if (loc !== undefined) return loc;
  }
  return undefined;
}

interface StackHolder {
  stack?: unknown;
}

const structured = (_error: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;
const mapped = new Map<string, SourceLocation | null>();
const sourceMaps = new Map<string, SourceMap | null>();

/** The original (TypeScript) position of a generated one, through Node's source-map cache (tsx, --enable-source-maps). */
function original(file: string, line: number, column: number): SourceLocation | null {
  const key = `${file}:${line}:${column}`;
  let loc = mapped.get(key);
  if (loc !== undefined) return loc;
  loc = { file, line, column };
  if (file.startsWith("file://")) loc.file = fileURLToPath(file);
  if (isForeign(loc.file)) loc = null;
  else {
    let map = sourceMaps.get(file);
    if (map === undefined) {
      map = findSourceMap(file) ?? null;
      sourceMaps.set(file, map);
    }
    const entry = map?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
    if (entry?.originalSource !== undefined && entry.originalLine !== undefined && entry.originalColumn !== undefined) {
      const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : resolve(dirname(loc.file), entry.originalSource);
      loc = isForeign(source) ? null : { file: source, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    }
  }
  mapped.set(key, loc);
  return loc;
}

function isForeign(file: string): boolean {
  return file.startsWith(runtimeDir) || file.startsWith("node:") || (file.includes("/node_modules/") && !file.includes("/node_modules/active-driver/"));
}

/**
 * Where the driver called `api` (a function of the runtime): the first frame below it that is
 * not runtime code. Costs one V8 stack capture (about 2 µs); positions are cached per site.
 */
export function callerOf(api: (...args: never[]) => unknown): SourceLocation | undefined {
  const holder: StackHolder = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 4;
  Error.prepareStackTrace = structured;
  Error.captureStackTrace(holder, api);
  const sites = holder.stack as NodeJS.CallSite[] | undefined;
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  if (!Array.isArray(sites)) return undefined;
  for (const site of sites) {
    const file = site.getFileName() ?? site.getScriptNameOrSourceURL();
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!file || line === null || column === null) continue;
    const loc = original(file, line, column);
    if (loc !== null) return loc;
  }
  return undefined;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  return loc === undefined ? "unknown location" : `${loc.file}:${loc.line}:${loc.column}`;
}

/** Where an error was thrown in driver code. */
export function locationOfError(error: unknown): SourceLocation | undefined {
  return error instanceof Error ? locationInStack(error.stack) : undefined;
}
