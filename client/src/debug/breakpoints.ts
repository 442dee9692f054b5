// The user's breakpoints, as the adapter keeps them: ids, verdicts (verified or why not), and the
// spec the worker gets. A breakpoint whose condition, hit count or log message cannot work is
// answered unverified with the reason and left out of the spec; one whose condition fails while the
// run goes on is turned unverified later (`problem`), once, and left out too if it ran out of time.
import * as path from "node:path";
import type { SourceLocation } from "active-driver";
import { verifyLines } from "./breakpointLines";
import { cleanOptions, optionsProblem } from "./breakpointOptions";
import { fileKey } from "./stops";
import type { BreakpointOptions, BreakpointSpec, ExceptionFilter, LineBreakpoint, MailboxBreakpoint, ProtocolInfo } from "./worker/messages";
import { defined } from "../../../runtime/src/defined";

export interface BreakpointText {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface SourceBreakpointRequest extends BreakpointText {
  line: number;
}

export interface FunctionBreakpointRequest extends BreakpointText {
  name: string;
}

/** The adapter's answer for one breakpoint (sent again in a `breakpoint` event when it changes). */
export interface BreakpointVerdict {
  id: number;
  verified: boolean;
  message?: string;
  /** A line breakpoint's file and line. */
  file?: string;
  line?: number;
}

interface FunctionEntry {
  bp: MailboxBreakpoint;
  verdict: BreakpointVerdict;
  /** False when its options cannot work: then it is not in the spec. */
  usable: boolean;
}

export class BreakpointTable {
  private nextId = 1;
  /** Usable line breakpoints by file key, and the ids of all of a file's (to forget them when replaced). */
  private readonly lines = new Map<string, LineBreakpoint[]>();
  private readonly lineIds = new Map<string, number[]>();
  private functions: FunctionEntry[] = [];
  private exceptions: ExceptionFilter[] = [];
  private exceptionConditions: Partial<Record<ExceptionFilter, string>> = {};
  private readonly verdicts = new Map<number, BreakpointVerdict>();
  /** Ids whose runtime problem was reported. */
  private readonly troubled = new Set<number>();

  /** Replaces the breakpoints of `file`: verified on wait/send lines, with options that compile. */
  setLines(file: string, requests: readonly SourceBreakpointRequest[]): BreakpointVerdict[] {
    const key = fileKey(file);
    for (const id of this.lineIds.get(key) ?? []) this.forget(id);
    const places = verifyLines(
      file,
      requests.map((r) => r.line),
    );
    const usable: LineBreakpoint[] = [];
    const verdicts = places.map((place, i) => {
      const id = this.nextId++;
      const options = cleanOptions(requests[i]!);
      const problem = place.verified ? optionsProblem(options) : undefined;
      const verdict: BreakpointVerdict = { id, verified: place.verified && problem === undefined, file, line: place.line };
      const message = place.message ?? (problem !== undefined ? `${path.basename(file)}:${place.line}: ${problem}` : undefined);
      if (message !== undefined) verdict.message = message;
      if (verdict.verified) usable.push({ id, line: place.line, ...options });
      this.verdicts.set(id, verdict);
      return verdict;
    });
    this.lineIds.set(
      key,
      verdicts.map((v) => v.id),
    );
    if (usable.length > 0) this.lines.set(key, usable);
    else this.lines.delete(key);
    return verdicts.map((v) => ({ ...v }));
  }

  /** Replaces the function breakpoints (mailbox names); `protocol` checks the names once it is known. */
  setFunctions(requests: readonly FunctionBreakpointRequest[], protocol: ProtocolInfo | undefined, model: "active" | "passive"): BreakpointVerdict[] {
    for (const entry of this.functions) this.forget(entry.bp.id);
    this.functions = requests.map((r) => {
      const bp: MailboxBreakpoint = { id: this.nextId++, name: r.name.trim(), ...cleanOptions(r) };
      const problem = optionsProblem(bp);
      const verdict =
        problem !== undefined ? { id: bp.id, verified: false, message: `function breakpoint "${bp.name}": ${problem}` } : mailboxVerdict(bp, protocol, model);
      this.verdicts.set(bp.id, verdict);
      return { bp, verdict, usable: problem === undefined };
    });
    return this.functions.map((f) => ({ ...f.verdict }));
  }

  /** The protocol is known (a new run): function breakpoints whose verdict changes. */
  reverify(protocol: ProtocolInfo, model: "active" | "passive"): BreakpointVerdict[] {
    const changed: BreakpointVerdict[] = [];
    for (const entry of this.functions) {
      if (!entry.usable || this.troubled.has(entry.bp.id)) continue;
      const now = mailboxVerdict(entry.bp, protocol, model);
      if (now.verified !== entry.verdict.verified || now.message !== entry.verdict.message) changed.push({ ...now });
      entry.verdict = now;
      this.verdicts.set(now.id, now);
    }
    return changed;
  }

  /** The exception filters on, and the conditions of those that have one (checked by the caller). */
  setExceptions(filters: readonly string[], conditions: Partial<Record<ExceptionFilter, string>> = {}): void {
    this.exceptions = filters.filter((f): f is ExceptionFilter => f === "protocol" || f === "error");
    this.exceptionConditions = { ...conditions };
  }

  spec(): BreakpointSpec {
    return {
      lines: Object.fromEntries(this.lines),
      mailboxes: this.functions.filter((f) => f.usable).map((f) => f.bp),
      exceptions: [...this.exceptions],
      ...(Object.keys(this.exceptionConditions).length > 0 ? { exceptionConditions: { ...this.exceptionConditions } } : {}),
    };
  }

  /**
   * A condition failed while the run went on: the breakpoint turns unverified with `text` (once).
   * Returns the new verdict and where to point the output, or undefined (already said, or gone).
   */
  problem(id: number, text: string, disable: boolean): { verdict: BreakpointVerdict; loc?: SourceLocation } | undefined {
    const old = this.verdicts.get(id);
    if (old === undefined || this.troubled.has(id)) return undefined;
    this.troubled.add(id);
    const verdict: BreakpointVerdict = { ...old, verified: false, message: `${this.describe(old)}: ${text}` };
    this.verdicts.set(id, verdict);
    const entry = this.functions.find((f) => f.bp.id === id);
    if (entry !== undefined) {
      entry.verdict = verdict;
      if (disable) entry.usable = false;
    }
    if (disable) this.disableLine(id);
    const loc = this.where(id);
    return { verdict: { ...verdict }, ...defined({ loc }) };
  }

  /** Where a line breakpoint is (logpoint lines and problems point there). */
  where(id: number): SourceLocation | undefined {
    const v = this.verdicts.get(id);
    return v?.file !== undefined && v.line !== undefined ? { file: v.file, line: v.line, column: 1 } : undefined;
  }

  private describe(v: BreakpointVerdict): string {
    if (v.file !== undefined) return `breakpoint at ${path.basename(v.file)}:${v.line ?? "?"}`;
    const entry = this.functions.find((f) => f.bp.id === v.id);
    return `function breakpoint "${entry?.bp.name ?? "?"}"`;
  }

  private disableLine(id: number): void {
    for (const [key, bps] of this.lines) {
      const kept = bps.filter((bp) => bp.id !== id);
      if (kept.length === bps.length) continue;
      if (kept.length > 0) this.lines.set(key, kept);
      else this.lines.delete(key);
    }
  }

  private forget(id: number): void {
    this.verdicts.delete(id);
    this.troubled.delete(id);
  }
}

/** A mailbox name the protocol does not know is unverified, but still stops on an internal mailbox of that name. */
function mailboxVerdict(bp: BreakpointOptions & { name: string }, protocol: ProtocolInfo | undefined, model: "active" | "passive"): BreakpointVerdict {
  if (protocol === undefined) return { id: bp.id, verified: true };
  // A passive driver's scheduled work stops at "work" too.
  const known = [...Object.keys(protocol.directions), "irq", ...(model === "passive" ? ["work"] : [])];
  if (known.includes(bp.name)) return { id: bp.id, verified: true };
  return {
    id: bp.id,
    verified: false,
    message: `protocol "${protocol.name}" has no message "${bp.name}" (mailboxes: ${known.join(", ")}); it still stops if an internal mailbox of that name receives a message`,
  };
}
