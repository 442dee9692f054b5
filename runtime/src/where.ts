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
/** Original locations by generated file, then by line * 2^20 + column (null: runtime or library code). */
const mapped = new Map<string, Map<number, SourceLocation | null>>();
const sourceMaps = new Map<string, SourceMap | null>();

/** The original (TypeScript) position of a generated one, through Node's source-map cache (tsx, --enable-source-maps); cached per site. */
function original(file: string, line: number, column: number): SourceLocation | null {
  let byPosition = mapped.get(file);
  if (byPosition === undefined) {
    byPosition = new Map();
    mapped.set(file, byPosition);
  }
  const key = line * 0x100000 + column;
  let loc = byPosition.get(key);
  if (loc === undefined) {
    loc = mapOriginal(file, line, column);
    byPosition.set(key, loc);
  }
  return loc;
}

function mapOriginal(file: string, line: number, column: number): SourceLocation | null {
  let loc: SourceLocation | null = { file, line, column };
  if (file.startsWith("file://")) loc.file = fileURLToPath(file);
  if (isForeign(loc.file)) return null;
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
  return loc;
}

function isForeign(file: string): boolean {
  return file.startsWith(runtimeDir) || file.startsWith("node:") || (file.includes("/node_modules/") && !file.includes("/node_modules/active-driver/"));
}

/** Reused for every capture: a stack capture installs its own `stack` on it. */
const holder: StackHolder = {};
/** Frames taken when the first frame below the API is not the driver's (a runtime or library helper between). */
const DEEP_FRAMES = 12;

/**
 * Where the driver called `api` (a function of the runtime): the first frame below it that is
 * not runtime code. One V8 stack capture of one frame, read as a structured CallSite (no text),
 * and the source-mapped location cached per generated (file, line, column). The capture itself
 * (V8 summarising the caller's optimised frame) is most of the 2-3 µs this costs.
 */
export function callerOf(api: (...args: never[]) => unknown): SourceLocation | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = structured;
  let loc: SourceLocation | null | undefined;
  try {
    Error.stackTraceLimit = 1;
    Error.captureStackTrace(holder, api);
    const sites = holder.stack;
    loc = firstDriverFrame(sites);
    if (loc === undefined && Array.isArray(sites) && sites.length > 0) {
      // The caller is runtime or library code: look further down.
      Error.stackTraceLimit = DEEP_FRAMES;
      Error.captureStackTrace(holder, api);
      loc = firstDriverFrame(holder.stack);
    }
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
  return loc ?? undefined;
}

/** The driver location of the first frame that has one; undefined when none (null is never returned). */
function firstDriverFrame(sites: unknown): SourceLocation | undefined {
  if (!Array.isArray(sites)) return undefined;
  for (const site of sites as NodeJS.CallSite[]) {
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
