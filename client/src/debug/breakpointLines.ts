// Line breakpoints: the debugger stops only where messages move, so a line breakpoint is verified
// when its line holds a wait(...) call (stops when a message is delivered there) or a send(...) call
// (stops once that send has happened), or, in a passive driver, where an entry point is defined
// (stops when it is called). Decided from the source text alone, as the analyser does.
import * as fs from "node:fs";
import type { SourceLocation } from "active-driver";

export interface LineVerdict {
  line: number;
  verified: boolean;
  /** What the line holds when verified; why not otherwise. */
  kind?: "wait" | "send" | "entry";
  message?: string;
}

const callPattern = /(?:^|[^\w$])(wait|send)\s*(?:<[^>]*>\s*)?\(/;

/** Removes string and template contents and comments, keeping columns; `inBlock` carries a block comment across lines. */
function codeOf(line: string, state: { inBlock: boolean }): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const next = line[i + 1];
    if (state.inBlock) {
      if (c === "*" && next === "/") {
        state.inBlock = false;
        i++;
      }
      out += " ";
      continue;
    }
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
      out += " ";
      continue;
    }
    if (c === "/" && next === "/") break;
    if (c === "/" && next === "*") {
      state.inBlock = true;
      i++;
      out += "  ";
      continue;
    }
    if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += " ";
      continue;
    }
    out += c;
  }
  return out;
}

/** Method `name(...) {` and function-valued property `name: (...) =>` / `name: x =>` / `name: function`: the name and its column. */
const entryPatterns = [
  /^(\s*(?:async\s+)?)([A-Za-z_$][\w$]*)\s*(?:<[^>]*>\s*)?\([^;]*$/,
  /^(\s*)([A-Za-z_$][\w$]*)\s*:\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)/,
];
const notNames = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "function",
  "return",
  "await",
  "typeof",
  "new",
  "do",
  "else",
  "try",
  "with",
  "yield",
  "void",
  "delete",
  "throw",
  "super",
  "import",
  "constructor",
]);

/**
 * Where a passive driver's entry points are defined: for each name, the first method or function-valued
 * property of that name after the `definePassiveDriver(` call (1-based line, column of the name). Empty when the text has no such call. Method lines must open a body or a
 * parameter list that continues (a call statement ends with `;` or `)`, or passes a callback).
 */
export function entryPointLines(text: string): Map<string, { line: number; column: number }> {
  const found = new Map<string, { line: number; column: number }>();
  const state = { inBlock: false };
  let inside = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const code = codeOf(raw, state);
    if (!inside) {
      inside = /\bdefinePassiveDriver\s*(?:<[^>]*>\s*)?\(/.test(code);
      return;
    }
    for (const [k, pattern] of entryPatterns.entries()) {
      const m = pattern.exec(code);
      if (m === null || notNames.has(m[2]!) || found.has(m[2]!)) continue;
      if (k === 0 && (!/[{(,]\s*$/.test(code) || code.includes("=>"))) continue;
      found.set(m[2]!, { line: i + 1, column: m[1]!.length + 1 });
      break;
    }
  });
  return found;
}

const entryCache = new Map<string, { mtimeMs: number; size: number; entries: Map<string, { line: number; column: number }> }>();

/** Where entry point `name` of the passive driver in `file` is defined, if the source shows it. */
export function entryPointLocation(file: string, name: string): SourceLocation | undefined {
  let cached = entryCache.get(file);
  try {
    const st = fs.statSync(file);
    if (cached === undefined || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
      cached = { mtimeMs: st.mtimeMs, size: st.size, entries: entryPointLines(fs.readFileSync(file, "utf8")) };
      entryCache.set(file, cached);
    }
  } catch {
    return undefined;
  }
  const at = cached.entries.get(name);
  return at === undefined ? undefined : { file, line: at.line, column: at.column };
}

/** For each 1-based line of `text`: "wait", "send" or undefined. */
export function messageLines(text: string): ("wait" | "send" | undefined)[] {
  const state = { inBlock: false };
  return text.split(/\r?\n/).map((line) => {
    const m = callPattern.exec(codeOf(line, state));
    return m === null ? undefined : (m[1] as "wait" | "send");
  });
}

/** A place a breakpoint can stop at: a wait/send call, or a passive entry point (1-based line and column). */
export interface BreakpointPlace {
  line: number;
  column: number;
  kind: "wait" | "send" | "entry";
}

/** The places on lines `from` to `to` (1-based, inclusive) of `text`, in order: what the breakpointLocations request answers. */
export function breakpointPlaces(text: string, from: number, to: number): BreakpointPlace[] {
  const places: BreakpointPlace[] = [];
  const state = { inBlock: false };
  text.split(/\r?\n/).forEach((raw, i) => {
    const code = codeOf(raw, state);
    const line = i + 1;
    if (line < from || line > to) return;
    const m = callPattern.exec(code);
    if (m !== null) places.push({ line, column: m.index + m[0].indexOf(m[1]!) + 1, kind: m[1] as "wait" | "send" });
  });
  for (const at of entryPointLines(text).values()) {
    if (at.line >= from && at.line <= to && !places.some((p) => p.line === at.line)) places.push({ ...at, kind: "entry" });
  }
  return places.sort((a, b) => a.line - b.line || a.column - b.column);
}

const why =
  "the Active Driver debugger stops where messages move: put the breakpoint on a line with a wait(...) call (it stops when a message is delivered there) or a send(...) call; in a passive driver, also on the first line of an entry point (it stops when the entry point is called)";

/** Verdicts for breakpoints at `lines` (1-based) of `file`. `text` overrides reading the file. */
export function verifyLines(file: string, lines: readonly number[], text?: string): LineVerdict[] {
  let source = text;
  if (source === undefined) {
    try {
      source = fs.readFileSync(file, "utf8");
    } catch (error) {
      const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
      return lines.map((line) => ({ line, verified: false, message }));
    }
  }
  const kinds = messageLines(source);
  const entries = new Set([...entryPointLines(source).values()].map((e) => e.line));
  return lines.map((line) => {
    const kind = kinds[line - 1];
    if (kind !== undefined) return { line, verified: true, kind };
    if (entries.has(line)) return { line, verified: true, kind: "entry" };
    const message = line > kinds.length ? `line ${line} is past the end of the file` : `line ${line} holds no wait(...) or send(...) call: ${why}`;
    return { line, verified: false, message };
  });
}
