// Line breakpoints: the debugger stops only where messages move, so a line breakpoint is verified
// when its line holds a wait(...) call (stops when a message is delivered there) or a send(...) call
// (stops once that send has happened). Decided from the source text alone, as the analyser does.
import * as fs from "node:fs";

export interface LineVerdict {
  line: number;
  verified: boolean;
  /** What the line holds when verified; why not otherwise. */
  kind?: "wait" | "send";
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

/** For each 1-based line of `text`: "wait", "send" or undefined. */
export function messageLines(text: string): ("wait" | "send" | undefined)[] {
  const state = { inBlock: false };
  return text.split(/\r?\n/).map((line) => {
    const m = callPattern.exec(codeOf(line, state));
    return m === null ? undefined : (m[1] as "wait" | "send");
  });
}

const why =
  "the Active Driver debugger stops where messages move: put the breakpoint on a line with a wait(...) call (it stops when a message is delivered there) or a send(...) call";

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
  return lines.map((line) => {
    const kind = kinds[line - 1];
    if (kind !== undefined) return { line, verified: true, kind };
    const message = line > kinds.length ? `line ${line} is past the end of the file` : `line ${line} holds no wait(...) or send(...) call: ${why}`;
    return { line, verified: false, message };
  });
}
