// The text a user types into a breakpoint: conditions, hit counts, logpoint messages. Parsed and
// syntax-checked here (pure; compiling runs nothing, so the extension host may do it and answer
// setBreakpoints at once); evaluated only in the worker (worker/sandbox.ts).
import * as vm from "node:vm";
import type { BreakpointOptions, BreakpointSpec } from "./worker/messages";

/** What a condition or a `{expr}` sees: the names bound before the expression runs. */
export const scopeNames = ["m", "msg", "name", "mailbox", "state", "thread", "from", "to", "seq", "time", "kind", "position", "summary"] as const;

export const scopeHelp =
  "m (the message's fields, and m.name its mailbox), msg (the payload), name, state (protocol state), thread, from, to, seq, time (µs), kind, position, summary";

/**
 * A function expression around `expression` that takes the scope object. The newline before `)` lets
 * a trailing `// comment` stay a comment; strict mode keeps assignments to undeclared names out.
 */
export function conditionSource(expression: string): string {
  return `(function (__scope) { "use strict"; const { ${scopeNames.join(", ")} } = __scope; return (${expression}\n); })`;
}

/** Literal text and `{expression}` parts of a logpoint message, in order. */
export type LogPart = { text: string } | { expr: string };

/** Splits `x = {m.x}, {{a: 1}.a}` at balanced braces (quotes inside an expression are skipped). A lone `{` or `{}` stays text. */
export function splitLogMessage(message: string): LogPart[] {
  const parts: LogPart[] = [];
  let text = "";
  let i = 0;
  while (i < message.length) {
    const end = message[i] === "{" ? closingBrace(message, i) : -1;
    const expr = end > i ? message.slice(i + 1, end).trim() : "";
    if (end < 0 || expr === "") {
      text += message[i];
      i++;
      continue;
    }
    if (text !== "") parts.push({ text });
    text = "";
    parts.push({ expr });
    i = end + 1;
  }
  if (text !== "") parts.push({ text });
  return parts;
}

function closingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < s.length && s[i] !== c; i++) if (s[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * A function that returns the logpoint's line. Each `{expr}` goes through `show` (sandbox.ts), which
 * formats its value, or the error it threw, so one failing part does not lose the line.
 */
export function logSource(parts: readonly LogPart[], show: string): string {
  const pieces = parts.map((p) => ("text" in p ? JSON.stringify(p.text) : `${show}(() => (${p.expr}\n))`));
  return conditionSource(`[${pieces.join(", ")}].join("")`);
}

/** Why `source` does not compile, or undefined. Compiling runs none of it. */
export function syntaxError(source: string): string | undefined {
  try {
    new vm.Script(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

const hitPattern = /^(>=|<=|={1,3}|>|<|%)?\s*(\d+)$/;

/** The test a hit condition makes on the hit count (1 on the first hit), or why it is not one. */
export function parseHitCondition(text: string): { test: (count: number) => boolean } | { error: string } {
  const m = hitPattern.exec(text.trim());
  const n = m === null ? NaN : Number(m[2]);
  if (m === null || !Number.isSafeInteger(n))
    return { error: `hit count "${text}" is not one: write N (the Nth hit), = N, > N, >= N, < N, <= N or % N (every Nth)` };
  switch (m[1]) {
    case ">=":
      return { test: (c) => c >= n };
    case "<=":
      return { test: (c) => c <= n };
    case ">":
      return { test: (c) => c > n };
    case "<":
      return { test: (c) => c < n };
    case "%":
      if (n === 0) return { error: `hit count "${text}": % 0 divides by zero` };
      return { test: (c) => c % n === 0 };
    default: // a bare number, like "=": exactly the Nth hit
      return { test: (c) => c === n };
  }
}

/** Why the options of a breakpoint cannot work (each part checked), or undefined. */
export function optionsProblem(options: Omit<BreakpointOptions, "id">): string | undefined {
  if (options.condition !== undefined) {
    const error = syntaxError(conditionSource(options.condition));
    if (error !== undefined) return `condition "${options.condition}" does not compile: ${error} (it sees ${scopeHelp})`;
  }
  if (options.hitCondition !== undefined) {
    const parsed = parseHitCondition(options.hitCondition);
    if ("error" in parsed) return parsed.error;
  }
  if (options.logMessage !== undefined) {
    for (const part of splitLogMessage(options.logMessage)) {
      if (!("expr" in part)) continue;
      const error = syntaxError(conditionSource(part.expr));
      if (error !== undefined) return `log message part {${part.expr}} does not compile: ${error}`;
    }
  }
  return undefined;
}

/** Empty strings mean "none" (VS Code sends "" when a condition is cleared). */
export function cleanOptions<T extends { condition?: string; hitCondition?: string; logMessage?: string }>(b: T): Omit<BreakpointOptions, "id"> {
  const out: Omit<BreakpointOptions, "id"> = {};
  if (b.condition !== undefined && b.condition.trim() !== "") out.condition = b.condition.trim();
  if (b.hitCondition !== undefined && b.hitCondition.trim() !== "") out.hitCondition = b.hitCondition.trim();
  if (b.logMessage !== undefined && b.logMessage !== "") out.logMessage = b.logMessage;
  return out;
}

/** Counted breakpoints: their hits are recorded, and a replay must count them from the start. */
export function isCounted(b: BreakpointOptions): boolean {
  return b.condition !== undefined || b.hitCondition !== undefined;
}

/**
 * What a hit count counts: hits of one place with one condition. Editing the hit condition or the
 * log message keeps the count; editing the condition starts another.
 */
export function lineKey(file: string, b: { line: number; condition?: string }): string {
  return JSON.stringify(["line", file, b.line, b.condition ?? null]);
}

export function mailboxKey(b: { name: string; condition?: string }): string {
  return JSON.stringify(["mailbox", b.name, b.condition ?? null]);
}

/** Every breakpoint of a spec with its count key. */
export function specKeys(spec: BreakpointSpec): { key: string; bp: BreakpointOptions }[] {
  const out: { key: string; bp: BreakpointOptions }[] = [];
  for (const [file, bps] of Object.entries(spec.lines)) for (const bp of bps) out.push({ key: lineKey(file, bp), bp });
  for (const bp of spec.mailboxes) out.push({ key: mailboxKey(bp), bp });
  return out;
}
