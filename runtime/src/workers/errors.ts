// Errors of the driver workers, and finding where in the driver's own sources an error happened.
import type { SourceLocation } from "../trace";

export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
}

/** The driver could not be loaded: unreadable file, syntax error, missing import, no default export. */
export class DriverLoadError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(reason: string, where: ErrorLocation, options?: ErrorOptions) {
    super(`${formatLocation(where)}: ${reason}`, options);
    this.name = "DriverLoadError";
    this.reason = reason;
    this.file = where.file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** `file:line:col`, or as much of it as is known. */
export function formatLocation(where: ErrorLocation): string {
  if (where.line === undefined) return where.file;
  return where.column === undefined ? `${where.file}:${where.line}` : `${where.file}:${where.line}:${where.column}`;
}

/** 1-based line and column of a 0-based offset in `text`. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const framePattern = /\(?((?:[A-Za-z]:)?[^\s()]+?):(\d+):(\d+)\)?\s*$/;

/**
 * The first stack frame of `error` that lies in one of `files` (the driver's sources). Stacks are
 * source-mapped, so this is a .ts position.
 */
export function locateInStack(stack: string | undefined, files: ReadonlySet<string> | ((file: string) => boolean)): SourceLocation | undefined {
  if (stack === undefined) return undefined;
  const accept = typeof files === "function" ? files : (f: string) => files.has(f);
  for (const text of stack.split("\n")) {
    if (!/^\s+at /.test(text)) continue;
    const m = framePattern.exec(text);
    if (m === null) continue;
    const file = m[1]!.startsWith("file://") ? decodeURIComponent(m[1]!.slice("file://".length)) : m[1]!;
    if (accept(file)) return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** A plain, structured-cloneable description of an error (crosses the worker boundary). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** Where in the driver's sources, when known. */
  loc?: SourceLocation;
  /** A machine-friendly category: "load", "driver-error", "timeout", "out-of-memory", "worker". */
  kind: string;
}

export function serializeError(error: unknown, kind: string, loc?: SourceLocation): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message, kind };
    if (error.stack !== undefined) out.stack = error.stack;
    if (loc !== undefined) out.loc = loc;
    else if (error instanceof DriverLoadError) {
      out.loc = { file: error.file, line: error.line ?? 0, column: error.column ?? 0 };
    }
    return out;
  }
  const out: SerializedError = { name: "Error", message: String(error), kind };
  if (loc !== undefined) out.loc = loc;
  return out;
}
