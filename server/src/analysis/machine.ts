// The interpreter's shared context: what it knows about the program (modules, denotations, static
// values, tracked variables, the protocol), the thread being run, the inline call stack, the
// analysis budget, the sites reached (sites.ts) and the rules' hooks (listeners.ts).
import ts from "typescript";
import { driverApi, mailboxKey, type Denotation, type Denotations } from "./denotation";
import { fieldFacts } from "./classes";
import { fileIndex } from "./fileIndex";
import { isInstance } from "./instances";
import type { MailboxKey } from "./mailboxKeys";
import type { Modules } from "./modules";
import type { Protocol } from "./protocol";
import type { Declaration } from "./scope";
import { Records } from "./sites";
import { UNKNOWN, type State } from "./state";
import { silentHooks, type InterpreterHooks } from "./listeners";
import { unwrap, type CallSite, type FunctionNode } from "./syntax";
import { conditionIdentifiers, conditionPropertyAccesses, hasEffects, isNumericLiteral } from "./subtrees";
import type { Tracking } from "./tracking";
import type { CancellationLike } from "./types";
import { boolValue, isWaitResult, mailboxValue, truthiness, UNDEFINED, valuesEqual, waitResultMember, type StaticValues, type Value } from "./values";

const SK = ts.SyntaxKind;

export interface Pair {
  s: State;
  v: Value | undefined;
}

/** Thrown when the budget runs out or the caller cancels. */
export class Aborted extends Error {}

/** A thread as one run of the interpreter sees it. */
export interface ThreadRun {
  name: string;
  /** Protocol messages other threads wait on (ins) or send (outs); tracked variables and fields they assign. */
  others: {
    ins: ReadonlySet<string>;
    outs: ReadonlySet<string>;
    writes: readonly number[];
    /** Some other thread waits on a mailbox the analysis cannot tell: it may take any message. */
    waitsOnUnknown: boolean;
  };
  /** Mailbox keys this thread waits on. */
  waitsOn: Set<MailboxKey>;
  /** Some wait of this thread names a mailbox the analysis cannot tell. */
  waitsOnUnknown: boolean;
  ins: Set<string>;
  outs: Set<string>;
  /** Tracked ids this thread assigns (shared variables and fields change under the others while they wait). */
  writes: Set<number>;
}

export interface SpawnRequest {
  call: ts.CallExpression;
  name: string;
  fn: FunctionNode;
  states: State[];
  /** What `fn` closes over that the interpreter binds (Denotations.captured). */
  captured: Array<[ts.Node, Denotation]>;
}

export interface Frame {
  fn: FunctionNode;
  call: CallSite;
}

/** Functions of `d` whose calls change no abstract state (with plain arguments). */
const inertFunctions = new Set<string>([driverApi.read, driverApi.write, driverApi.dma, driverApi.log, driverApi.mailbox]);

export class Machine {
  readonly records = new Records();
  /** The rules' listeners (listeners.ts), wired in by active.ts. */
  hooks: InterpreterHooks = silentHooks;
  thread: ThreadRun = {
    name: "main",
    others: { ins: new Set(), outs: new Set(), writes: [], waitsOnUnknown: false },
    waitsOn: new Set(),
    waitsOnUnknown: false,
    ins: new Set(),
    outs: new Set(),
    writes: new Set(),
  };
  readonly stack: Frame[] = [];
  /** Functions run (thread roots and inlined helpers). */
  readonly executed = new Set<ts.Node>();
  /** A spawn whose function cannot be analysed: coverage checks stay silent. */
  unknownThread = false;
  /**
   * Ghost variables a rule adds to the state (AD012): variable -> the id of its "written since the
   * last protocol wait" bit, set when the variable is assigned and dropped at each protocol wait.
   */
  readonly ghosts = new Map<Declaration, number>();
  ghostIds: number[] = [];
  onSpawn: (request: SpawnRequest) => void = () => undefined;

  private ticks = 0;
  private readonly inertCache = new Map<ts.Statement, boolean>();
  private readonly stateLikeNames = new Map<ts.SourceFile, Set<string>>();
  private readonly closureCache = new Map<string, string[]>();
  private readonly caseValueCache = new Map<ts.SwitchStatement, ReadonlyArray<Value | undefined>>();
  private readonly stateLikeFields = new Map<string, boolean>();
  private readonly startFields = new Map<string, Array<[number, Value | undefined]>>();

  constructor(
    readonly root: ts.SourceFile,
    readonly modules: Modules,
    readonly den: Denotations,
    readonly values: StaticValues,
    readonly tracking: Tracking,
    readonly protocol: Protocol | undefined,
    private readonly deadline: number,
    private readonly cancellation: CancellationLike | undefined,
  ) {}

  /** Protocol usable for state tracking. */
  get usable(): boolean {
    return this.protocol !== undefined && this.protocol.usable;
  }

  tick(): void {
    if ((++this.ticks & 255) !== 0) return;
    if (this.cancellation?.isCancellationRequested || Date.now() > this.deadline) throw new Aborted("analysis budget exhausted");
  }

  /** Calls in the analysed file through which the current code is reached (for findings in other files). */
  anchorsFor(node: ts.Node): CallSite[] {
    if (node.getSourceFile() === this.root) return [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const call = this.stack[i]!.call;
      if (call.getSourceFile() === this.root) return [call];
    }
    return [];
  }

  beginThread(name: string, others: ThreadRun["others"]): void {
    this.thread = { name, others, waitsOn: new Set(), waitsOnUnknown: false, ins: new Set(), outs: new Set(), writes: new Set() };
    this.closureCache.clear();
  }

  /** States another thread's messages can move the protocol to while this thread is blocked. */
  closure(s: State): State[] {
    const { ins, outs } = this.thread.others;
    if (s.ps === UNKNOWN || (ins.size === 0 && outs.size === 0) || !this.protocol) return [s];
    let reach = this.closureCache.get(s.ps);
    if (!reach) {
      const seen = new Set([s.ps]);
      const todo = [s.ps];
      while (todo.length > 0) {
        const ps = todo.pop()!;
        for (const m of [...ins, ...outs]) {
          const next = this.protocol.next(ps, m);
          if (typeof next === "string" && !seen.has(next)) {
            seen.add(next);
            todo.push(next);
          }
        }
      }
      reach = [...seen];
      this.closureCache.set(s.ps, reach);
    }
    // States other threads move to are possible, not known: findings there are not reported.
    return reach.length === 1 ? [s] : reach.map((ps) => (ps === s.ps ? s : s.withPs(ps).withVague()));
  }

  /** True when evaluating the expression can change a state (calls, awaits, assignments). */
  hasEffects(node: ts.Node): boolean {
    return hasEffects(node);
  }

  /**
   * True for a statement that leaves every abstract state as it is: a call to a device, logging or
   * mailbox-creating function with plain arguments, or declarations of untracked variables.
   */
  isInert(statement: ts.Statement): boolean {
    let inert = this.inertCache.get(statement);
    if (inert === undefined) this.inertCache.set(statement, (inert = this.computeInert(statement)));
    return inert;
  }

  private computeInert(statement: ts.Statement): boolean {
    if (ts.isExpressionStatement(statement)) {
      const e = unwrap(statement.expression);
      if (!this.hasEffects(e)) return true;
      if (!ts.isCallExpression(e) || !inertFunctions.has(this.den.of(e.expression) ?? "")) return false;
      return e.arguments.every((a) => !this.hasEffects(a));
    }
    if (ts.isVariableStatement(statement)) {
      return statement.declarationList.declarations.every((d) => {
        if (!ts.isIdentifier(d.name) || (d.initializer !== undefined && this.hasEffects(d.initializer))) return false;
        return this.tracking.idOf(d) === undefined && !this.ghosts.has(d);
      });
    }
    return false;
  }

  /** The declaration an identifier names, when it is a variable (not an import or a module). */
  variableOf(id: ts.Identifier): Declaration | undefined {
    const target = this.modules.resolve(id);
    if (target === undefined || ts.isSourceFile(target) || ts.isExportAssignment(target)) return undefined;
    return target;
  }

  /** The static value of each case label of a switch (undefined for `default` and labels that vary), once per switch. */
  caseValues(statement: ts.SwitchStatement): ReadonlyArray<Value | undefined> {
    let values = this.caseValueCache.get(statement);
    if (values === undefined) {
      values = statement.caseBlock.clauses.map((c) => (ts.isCaseClause(c) ? this.values.of(c.expression) : undefined));
      this.caseValueCache.set(statement, values);
    }
    return values;
  }

  /** The value of an expression without side effects in one state. */
  valueOf(expr: ts.Expression, s: State): Value | undefined {
    const e = unwrap(expr);
    const sv = this.values.of(e);
    if (sv !== undefined) return sv;
    if (ts.isIdentifier(e)) {
      const decl = this.variableOf(e);
      if (decl === undefined) return undefined;
      const key = mailboxKey(this.den.ofDeclaration(decl));
      if (key !== undefined) return mailboxValue(key);
      const id = this.tracking.idOf(decl);
      return id === undefined ? undefined : s.get(id);
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const name = ts.isPropertyAccessExpression(e)
        ? e.name.text
        : ts.isStringLiteralLike(unwrap(e.argumentExpression))
          ? (unwrap(e.argumentExpression) as ts.StringLiteral).text
          : undefined;
      const object = this.valueOf(e.expression, s);
      if (isWaitResult(object)) return waitResultMember(object, name);
      if (name === undefined) return undefined;
      const base = this.den.of(e.expression);
      if (isInstance(base)) {
        const id = this.fieldId(base, name);
        if (id !== undefined) return s.get(id);
      }
      const key = mailboxKey(this.den.member(base, name));
      return key === undefined ? undefined : mailboxValue(key);
    }
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === SK.EqualsEqualsEqualsToken || op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken) {
        const eq = valuesEqual(this.valueOf(e.left, s), this.valueOf(e.right, s), op === SK.EqualsEqualsToken || op === SK.ExclamationEqualsToken);
        if (eq === undefined) return undefined;
        const negated = op === SK.ExclamationEqualsEqualsToken || op === SK.ExclamationEqualsToken;
        return boolValue(eq !== negated);
      }
      if (op === SK.AmpersandAmpersandToken || op === SK.BarBarToken) {
        const left = this.valueOf(e.left, s);
        const lt = truthiness(left);
        if (lt === undefined) return undefined;
        if (op === SK.AmpersandAmpersandToken) return lt ? this.valueOf(e.right, s) : left;
        return lt ? left : this.valueOf(e.right, s);
      }
      return undefined;
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === SK.ExclamationToken) {
      const t = truthiness(this.valueOf(e.operand, s));
      return t === undefined ? undefined : boolValue(!t);
    }
    if (ts.isConditionalExpression(e)) {
      const t = truthiness(this.valueOf(e.condition, s));
      return t === undefined ? undefined : this.valueOf(t ? e.whenTrue : e.whenFalse, s);
    }
    return undefined;
  }

  /**
   * A state-like variable: some assignment gives it a named or non-numeric literal (a state name, an
   * enum member, a boolean, a named constant). When its value is unknown the analysis lost track of
   * a decision the driver makes, so branches on it are vague. Counters (numeric literals only) and
   * data are not state-like: branching on them is an ordinary data-dependent choice.
   */
  isStateLike(decl: Declaration): boolean {
    if (!(ts.isVariableDeclaration(decl) || ts.isBindingElement(decl) || ts.isParameter(decl)) || !ts.isIdentifier(decl.name)) return false;
    const sf = decl.getSourceFile();
    let names = this.stateLikeNames.get(sf);
    if (!names) {
      names = new Set();
      for (const { name, value } of fileIndex(sf).valueAssignments) {
        if (names.has(name)) continue;
        const u = unwrap(value);
        const numericLiteral = ts.isNumericLiteral(u) || (ts.isPrefixUnaryExpression(u) && ts.isNumericLiteral(unwrap(u.operand)));
        if (!numericLiteral && this.values.of(u) !== undefined) names.add(name);
      }
      this.stateLikeNames.set(sf, names);
    }
    return names.has(decl.name.text);
  }

  /** Identifiers of a condition (cached per node, across analyses). */
  conditionIdentifiers(expr: ts.Node): ts.Identifier[] {
    return conditionIdentifiers(expr);
  }

  /** True when the condition reads a state variable (or a state-like tracked field) whose value this state lost. */
  dependsOnLostVariable(expr: ts.Expression, s: State): boolean {
    for (const id of this.conditionIdentifiers(expr)) {
      const decl = this.variableOf(id);
      if (decl === undefined || !this.isStateLike(decl)) continue;
      const vid = this.tracking.idOf(decl);
      if (vid !== undefined && s.get(vid) === undefined && this.values.of(id) === undefined) return true;
    }
    if (this.den.instances.count === 0) return false;
    for (const pa of conditionPropertyAccesses(expr)) {
      const base = this.den.of(pa.expression);
      const id = this.fieldId(base, pa.name.text);
      if (id !== undefined && s.get(id) === undefined && this.isStateLikeField(base!, pa.name.text)) return true;
    }
    return false;
  }

  /** The id of a tracked field of an object made with `new` (`this.state`), or undefined. */
  fieldId(object: Denotation | undefined, name: string): number | undefined {
    if (!isInstance(object)) return undefined;
    return this.tracking.fieldId(object, name, () => this.den.instances.isTrackedField(object, name, () => this.isStateLikeField(object, name)));
  }

  /** A field some code gives a named or non-numeric literal value (as `isStateLike` for variables). */
  isStateLikeField(object: Denotation, name: string): boolean {
    const key = `${object}.${name}`;
    let stateLike = this.stateLikeFields.get(key);
    if (stateLike === undefined) {
      stateLike = this.den.instances.fieldValues(object, name).some((v) => !isNumericLiteral(v) && this.values.of(v) !== undefined);
      this.stateLikeFields.set(key, stateLike);
    }
    return stateLike;
  }

  /**
   * The tracked fields of a new object and their first values: a field initializer's static value,
   * unknown for a parameter property or an initializer that is not static, `undefined` otherwise.
   */
  initialFields(object: Denotation): ReadonlyArray<[number, Value | undefined]> {
    let start = this.startFields.get(object);
    if (start !== undefined) return start;
    start = [];
    const inst = this.den.instances.get(object);
    const seen = new Set<string>();
    for (const part of inst ? this.den.instances.chain(inst) : []) {
      const facts = fieldFacts(part.cls);
      for (const name of [...facts.parameterProperties.keys(), ...facts.declared, ...facts.values.keys()]) {
        if (seen.has(name)) continue;
        seen.add(name);
        const id = this.fieldId(object, name);
        if (id === undefined) continue;
        const init = facts.initializers.get(name);
        start.push([id, facts.parameterProperties.has(name) ? undefined : init !== undefined ? this.values.of(init) : UNDEFINED]);
      }
    }
    this.startFields.set(object, start);
    return start;
  }

  /** Adds a ghost bit for a variable (see `ghosts`); returns its id. */
  addGhost(decl: Declaration): number {
    let id = this.ghosts.get(decl);
    if (id === undefined) {
      this.ghosts.set(decl, (id = this.tracking.freshId()));
      this.ghostIds.push(id);
    }
    return id;
  }
}
