// One walk over a source file collects what the rules look up: driver and protocol calls, the names
// that steer control flow (tested, compared, returned, passed on), assignments, the identifiers
// inside conditions, the exits of every loop, and which scopes declare each name (for resolving
// identifiers). Cached per parsed file, so an unchanged file (a protocol, a helper) is walked once per
// workspace; and per function, so after an edit only the functions it touched are walked again.
import ts from "typescript";
import { declarationsOf, isScope, resolveByWalk, type Declaration } from "./scope";
import { calleeName, isAssignmentOperator, unwrap } from "./syntax";

const SK = ts.SyntaxKind;

export interface FileIndex {
  driverCalls: ts.CallExpression[];
  protocolCalls: ts.CallExpression[];
  /**
   * Names whose value can steer control flow (a name-based over-approximation), minus counters:
   * names updated by `++`, `--`, `+=`, ... or `x = x + 1`, whose values would only multiply states.
   */
  trackedNames: Set<string>;
  /** `name = value` and `let name = value`: candidates for state-like variables. */
  valueAssignments: Array<{ name: string; value: ts.Expression }>;
  /** `name = ...`, `name += ...`: the assignment expressions, by target. */
  assignments: Array<{ target: ts.Identifier; node: ts.Expression }>;
  /** Identifiers inside if/loop/switch/case/ternary conditions. */
  conditionIdentifiers: ts.Identifier[];
  /** For each loop: the conditions that decide its exits (loop condition, guards of break/return/throw). */
  loopExits: Map<ts.Node, LoopExits>;
  /** Every `x.y` (for mailbox bindings: `d.mb.open`). */
  propertyAccesses: ts.PropertyAccessExpression[];
  /** Variable declarations and binding elements with a plain name. */
  declarations: Array<ts.VariableDeclaration | ts.BindingElement>;
  /** Identifiers that refer to something (not declared names, not property names). */
  references: ts.Identifier[];
  /** Name -> the scopes (the file, blocks, functions, ...) that declare it. */
  declaringScopes: Map<string, Set<ts.Node>>;
}

export interface LoopExits {
  tests: ts.Expression[];
  /** Some exit is not guarded by any condition. */
  unconditional: boolean;
}

/** A construct `break` can leave: a loop, a switch, or a labeled statement. */
interface Breakable {
  loop?: ts.Node;
  isSwitch: boolean;
  labels: readonly string[];
  /** Guards (if-conditions) already open when the construct started. */
  guardDepth: number;
}

/** What one walk of a unit (a function-like node, or a top-level statement) finds. */
interface Part {
  driverCalls: ts.CallExpression[];
  protocolCalls: ts.CallExpression[];
  /** Names tested (before flows and counters are applied). */
  tested: Set<string>;
  counters: Set<string>;
  flows: Array<[string, string]>;
  valueAssignments: FileIndex["valueAssignments"];
  assignments: FileIndex["assignments"];
  conditionIdentifiers: ts.Identifier[];
  loopExits: Array<[ts.Node, LoopExits]>;
  propertyAccesses: ts.PropertyAccessExpression[];
  declarations: FileIndex["declarations"];
  references: ts.Identifier[];
  /** [name, scope declaring it]. */
  scopes: Array<[string, ts.Node]>;
}

function emptyPart(): Part {
  return {
    driverCalls: [],
    protocolCalls: [],
    tested: new Set(),
    counters: new Set(),
    flows: [],
    valueAssignments: [],
    assignments: [],
    conditionIdentifiers: [],
    loopExits: [],
    propertyAccesses: [],
    declarations: [],
    references: [],
    scopes: [],
  };
}

function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}

/** Adds a nested unit's findings where the walk meets it (document order is kept). */
function appendPart(into: Part, part: Part): void {
  pushAll(into.driverCalls, part.driverCalls);
  pushAll(into.protocolCalls, part.protocolCalls);
  for (const name of part.tested) into.tested.add(name);
  for (const name of part.counters) into.counters.add(name);
  pushAll(into.flows, part.flows);
  pushAll(into.valueAssignments, part.valueAssignments);
  pushAll(into.assignments, part.assignments);
  pushAll(into.conditionIdentifiers, part.conditionIdentifiers);
  pushAll(into.loopExits, part.loopExits);
  pushAll(into.propertyAccesses, part.propertyAccesses);
  pushAll(into.declarations, part.declarations);
  pushAll(into.references, part.references);
  pushAll(into.scopes, part.scopes);
}

const cache = new WeakMap<ts.SourceFile, FileIndex>();

/**
 * Findings per function, kept across analyses: an incrementally parsed tree reuses the nodes of code
 * an edit did not touch, so after an edit only the functions around it are walked again.
 */
const units = new WeakMap<ts.Node, Part>();

function unitPart(node: ts.Node): Part {
  let part = units.get(node);
  if (part === undefined) units.set(node, (part = walkUnit(node)));
  return part;
}

/** The identifier at the root of `a`, `a.b.c`, `a[0]`. */
export function rootName(expr: ts.Expression | undefined): string | undefined {
  if (!expr) return undefined;
  let e = unwrap(expr);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isAwaitExpression(e)) e = unwrap(e.expression);
  return ts.isIdentifier(e) ? e.text : undefined;
}

const enum Mode {
  Plain,
  /** Inside a condition: identifiers are tests (tracked, and AD012 tests). */
  Condition,
  /** Inside a return: identifiers are tracked. */
  Tracked,
}

/**
 * Walks a unit from the state a function body (or the file) starts in: no enclosing condition,
 * loop, switch or label. A function-like root's children are walked; a top-level statement itself.
 */
function walkUnit(root: ts.Node, part: Part = emptyPart()): Part {
  new UnitWalker(root, part).walk();
  return part;
}

/**
 * One walk of a unit: `visit` dispatches on the node's kind to one method per construct, as the
 * TypeScript binder does. The walk keeps its mode in a field (no closure per node: this runs on
 * every edit).
 */
class UnitWalker {
  private readonly loopExits = new Map<ts.Node, LoopExits>();
  /** Conditions of the `if`s enclosing the current node. */
  private readonly guards: ts.Expression[] = [];
  /** Loops, switches and labelled statements a `break` can leave, innermost last. */
  private readonly breakables: Breakable[] = [];
  /** Labels of the labelled statements directly around the next loop or switch. */
  private pendingLabels: string[] = [];
  private mode = Mode.Plain;
  private readonly visitor = (n: ts.Node): void => this.visit(n);

  constructor(
    private readonly root: ts.Node,
    private readonly part: Part,
  ) {}

  walk(): void {
    const root = this.root;
    if (startsBody.has(root.kind)) {
      if (isScope(root.kind)) this.noteScope(root);
      ts.forEachChild(root, this.visitor);
    } else this.visit(root);
  }

  private visit(n: ts.Node): void {
    // Functions note their own scope (unitPart).
    if (isScope(n.kind) && !startsBody.has(n.kind)) this.noteScope(n);
    switch (n.kind) {
      case SK.Identifier:
        return this.visitIdentifier(n as ts.Identifier);
      case SK.PropertyAccessExpression:
        this.part.propertyAccesses.push(n as ts.PropertyAccessExpression);
        return this.visit((n as ts.PropertyAccessExpression).expression);
      case SK.BindingElement:
        if ((n as ts.BindingElement).name.kind === SK.Identifier) this.part.declarations.push(n as ts.BindingElement);
        break;
      case SK.IfStatement:
        return this.visitIf(n as ts.IfStatement);
      case SK.WhileStatement:
      case SK.DoStatement:
        return this.visitWhile(n as ts.WhileStatement | ts.DoStatement);
      case SK.SwitchStatement:
        return this.visitSwitch(n as ts.SwitchStatement);
      case SK.ForStatement:
        return this.visitFor(n as ts.ForStatement);
      case SK.ForOfStatement:
      case SK.ForInStatement:
        return this.enter(n, false, () => ts.forEachChild(n, this.visitor));
      case SK.LabeledStatement:
        return this.visitLabeled(n as ts.LabeledStatement);
      case SK.BreakStatement:
        return this.visitBreak(n as ts.BreakStatement);
      case SK.ReturnStatement:
        this.exitEveryLoop();
        return this.visitIn((n as ts.ReturnStatement).expression, this.mode === Mode.Condition ? this.mode : Mode.Tracked);
      case SK.ThrowStatement:
        this.exitEveryLoop();
        break;
      case SK.ConditionalExpression:
        return this.visitConditional(n as ts.ConditionalExpression);
      case SK.CaseClause:
        return this.visitCase(n as ts.CaseClause);
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression:
        this.noteUnary(n as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression);
        break;
      case SK.BinaryExpression:
        this.noteBinary(n as ts.BinaryExpression);
        break;
      case SK.CallExpression:
        this.noteCall(n as ts.CallExpression);
        break;
      case SK.VariableDeclaration:
        this.noteVariable(n as ts.VariableDeclaration);
        break;
      default:
        if (startsBody.has(n.kind) && n !== this.root) {
          // A function body starts afresh (no enclosing condition, loop or switch): its findings
          // depend on its own code alone, so they are walked once and kept with the node.
          appendPart(this.part, unitPart(n));
          return;
        }
        break;
    }
    ts.forEachChild(n, this.visitor);
  }

  private visitIn(n: ts.Node | undefined, mode: Mode): void {
    if (!n) return;
    const saved = this.mode;
    this.mode = mode;
    this.visit(n);
    this.mode = saved;
  }

  private noteScope(scope: ts.Node): void {
    const names = declarationsOf(scope);
    if (names) for (const name of names.keys()) this.part.scopes.push([name, scope]);
  }

  /** A loop's exit through `frame`: unconditional, or under the guards opened inside the loop. */
  private exitFrom(frame: Breakable): void {
    const exits = this.loopExits.get(frame.loop!)!;
    const guards = this.guards;
    if (guards.length === frame.guardDepth) exits.unconditional = true;
    else for (let i = frame.guardDepth; i < guards.length; i++) exits.tests.push(guards[i]!);
  }

  private exitEveryLoop(): void {
    for (const frame of this.breakables) if (frame.loop) this.exitFrom(frame);
  }

  /** Visits a loop or switch body as a frame `break` can leave. */
  private enter(n: ts.Node, isSwitch: boolean, body: () => void): void {
    const labels = this.pendingLabels;
    this.pendingLabels = [];
    if (!isSwitch) {
      const cond = ts.isWhileStatement(n) || ts.isDoStatement(n) ? n.expression : ts.isForStatement(n) ? n.condition : undefined;
      const tests = cond && unwrap(cond).kind !== SK.TrueKeyword ? [cond] : [];
      const exits: LoopExits = { tests, unconditional: false };
      this.loopExits.set(n, exits);
      this.part.loopExits.push([n, exits]);
    }
    this.breakables.push({ ...(isSwitch ? {} : { loop: n }), isSwitch, labels, guardDepth: this.guards.length });
    body();
    this.breakables.pop();
  }

  private mark(expr: ts.Expression | undefined): void {
    const name = rootName(expr);
    if (name !== undefined) this.part.tested.add(name);
  }

  private flow(target: string, source: ts.Expression | undefined): void {
    if (!source) return;
    const s = unwrap(source);
    for (const src of ts.isConditionalExpression(s) ? [s.whenTrue, s.whenFalse] : [s]) {
      const name = rootName(src);
      if (name !== undefined) this.part.flows.push([target, name]);
    }
  }

  private visitIdentifier(id: ts.Identifier): void {
    if (isReference(id)) this.part.references.push(id);
    if (this.mode !== Mode.Plain) this.part.tested.add(id.text);
    if (this.mode === Mode.Condition) this.part.conditionIdentifiers.push(id);
  }

  private visitIf(s: ts.IfStatement): void {
    this.pendingLabels = [];
    this.visitIn(s.expression, Mode.Condition);
    this.guards.push(s.expression);
    this.visitIn(s.thenStatement, Mode.Plain);
    this.visitIn(s.elseStatement, Mode.Plain);
    this.guards.pop();
  }

  private visitWhile(s: ts.WhileStatement | ts.DoStatement): void {
    this.enter(s, false, () => {
      this.visitIn(s.expression, Mode.Condition);
      this.visitIn(s.statement, Mode.Plain);
    });
  }

  private visitSwitch(s: ts.SwitchStatement): void {
    this.visitIn(s.expression, Mode.Condition);
    this.enter(s, true, () => this.visitIn(s.caseBlock, Mode.Plain));
  }

  private visitFor(s: ts.ForStatement): void {
    this.enter(s, false, () => {
      this.visitIn(s.initializer, Mode.Plain);
      this.visitIn(s.condition, Mode.Condition);
      this.visitIn(s.incrementor, Mode.Plain);
      this.visitIn(s.statement, Mode.Plain);
    });
  }

  private visitLabeled(l: ts.LabeledStatement): void {
    const labels = [...this.pendingLabels, l.label.text];
    if (ts.isLabeledStatement(l.statement) || isLoopKind(l.statement.kind) || ts.isSwitchStatement(l.statement)) {
      this.pendingLabels = labels;
      this.visit(l.statement);
    } else {
      this.pendingLabels = [];
      this.breakables.push({ isSwitch: false, labels, guardDepth: this.guards.length });
      this.visit(l.statement);
      this.breakables.pop();
    }
  }

  private visitBreak(n: ts.BreakStatement): void {
    const label = n.label?.text;
    for (let i = this.breakables.length - 1; i >= 0; i--) {
      const frame = this.breakables[i]!;
      if (label === undefined ? frame.loop !== undefined || frame.isSwitch : frame.labels.includes(label)) {
        if (frame.loop) this.exitFrom(frame);
        break;
      }
    }
  }

  private visitConditional(c: ts.ConditionalExpression): void {
    this.visitIn(c.condition, Mode.Condition);
    this.visit(c.whenTrue);
    this.visit(c.whenFalse);
  }

  private visitCase(c: ts.CaseClause): void {
    this.visitIn(c.expression, Mode.Condition);
    for (const s of c.statements) this.visitIn(s, Mode.Plain);
  }

  private noteUnary(u: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): void {
    if (u.operator === SK.ExclamationToken) this.mark(u.operand);
    else if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) {
      const operand = unwrap(u.operand);
      if (ts.isIdentifier(operand)) this.part.counters.add(operand.text);
    }
  }

  private noteBinary(b: ts.BinaryExpression): void {
    const op = b.operatorToken.kind;
    if (
      op === SK.EqualsEqualsEqualsToken ||
      op === SK.ExclamationEqualsEqualsToken ||
      op === SK.EqualsEqualsToken ||
      op === SK.ExclamationEqualsToken ||
      op === SK.AmpersandAmpersandToken ||
      op === SK.BarBarToken
    ) {
      this.mark(b.left);
      this.mark(b.right);
    } else if (isAssignmentOperator(op)) {
      const left = unwrap(b.left);
      if (ts.isIdentifier(left)) {
        this.part.assignments.push({ target: left, node: b });
        this.flow(left.text, b.right);
        if (op === SK.EqualsToken) this.part.valueAssignments.push({ name: left.text, value: b.right });
        if (op !== SK.EqualsToken || isSelfArithmetic(left.text, b.right)) this.part.counters.add(left.text);
      } else if (op === SK.EqualsToken && ts.isPropertyAccessExpression(left)) {
        // `this.state = next`: a field may be tracked (see classes.ts), so its sources are.
        const s = unwrap(b.right);
        for (const src of ts.isConditionalExpression(s) ? [s.whenTrue, s.whenFalse] : [s]) this.mark(src);
      }
    }
  }

  private noteCall(call: ts.CallExpression): void {
    for (const a of call.arguments) this.mark(a);
    const name = calleeName(call);
    if (name === "defineDriver" || name === "definePassiveDriver") this.part.driverCalls.push(call);
    else if (name === "defineProtocol") this.part.protocolCalls.push(call);
  }

  private noteVariable(d: ts.VariableDeclaration): void {
    if (!ts.isIdentifier(d.name)) return;
    this.part.declarations.push(d);
    this.flow(d.name.text, d.initializer);
    if (d.initializer) this.part.valueAssignments.push({ name: d.name.text, value: d.initializer });
  }
}

export function fileIndex(sf: ts.SourceFile): FileIndex {
  const found = cache.get(sf);
  if (found) return found;
  // The file's statements start in the state a function body does (see walkUnit); the tokens after
  // them hold nothing the walk collects. Functions in them are walked once per edit (unitPart).
  const part = emptyPart();
  for (const name of declarationsOf(sf)!.keys()) part.scopes.push([name, sf]);
  for (const statement of sf.statements) {
    if (startsBody.has(statement.kind)) appendPart(part, unitPart(statement));
    else walkUnit(statement, part);
  }
  const tested = new Set(part.tested);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [target, source] of part.flows) {
      if (tested.has(target) && !tested.has(source)) {
        tested.add(source);
        changed = true;
      }
    }
  }
  for (const name of part.counters) tested.delete(name);
  const index: FileIndex = {
    driverCalls: part.driverCalls,
    protocolCalls: part.protocolCalls,
    trackedNames: tested,
    valueAssignments: part.valueAssignments,
    assignments: part.assignments,
    conditionIdentifiers: part.conditionIdentifiers,
    loopExits: new Map(part.loopExits),
    propertyAccesses: part.propertyAccesses,
    declarations: part.declarations,
    references: part.references,
    declaringScopes: new Map(),
  };
  for (const [name, scope] of part.scopes) {
    const scopes = index.declaringScopes.get(name);
    if (scopes === undefined) index.declaringScopes.set(name, new Set([scope]));
    else scopes.add(scope);
  }
  cache.set(sf, index);
  return index;
}

/**
 * The declaration an identifier refers to in its own file, or undefined (a global or a typo): the
 * nearest enclosing scope that declares the name. Only the scopes that declare the name are
 * candidates (from the file's index), so most identifiers cost a walk up their parents.
 */
export function resolveLocal(id: ts.Identifier): Declaration | undefined {
  let root: ts.Node = id;
  while (root.parent !== undefined) root = root.parent;
  if (!ts.isSourceFile(root)) return resolveByWalk(id);
  const name = id.text;
  const scopes = fileIndex(root).declaringScopes.get(name);
  if (scopes === undefined) return undefined;
  for (let n = id.parent; n !== undefined; n = n.parent) if (scopes.has(n)) return declarationsOf(n)!.get(name);
  return undefined;
}

/** Kinds whose body is a new function (or class) context. */
const startsBody = new Set([
  SK.FunctionDeclaration,
  SK.FunctionExpression,
  SK.ArrowFunction,
  SK.MethodDeclaration,
  SK.Constructor,
  SK.GetAccessor,
  SK.SetAccessor,
  SK.ClassDeclaration,
  SK.ClassExpression,
]);

/** An identifier that refers to a declaration (not a declared name, a property name or a label). */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case SK.PropertyAccessExpression:
      return (p as ts.PropertyAccessExpression).name !== id;
    case SK.BindingElement:
      return (p as ts.BindingElement).name !== id && (p as ts.BindingElement).propertyName !== id;
    case SK.VariableDeclaration:
    case SK.Parameter:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ClassDeclaration:
    case SK.EnumDeclaration:
    case SK.ImportSpecifier:
    case SK.ImportClause:
    case SK.NamespaceImport:
    case SK.PropertyAssignment:
    case SK.MethodDeclaration:
    case SK.PropertySignature:
    case SK.PropertyDeclaration:
    case SK.EnumMember:
    case SK.InterfaceDeclaration:
    case SK.TypeAliasDeclaration:
      return (p as ts.NamedDeclaration).name !== id;
    case SK.LabeledStatement:
    case SK.BreakStatement:
    case SK.ContinueStatement:
      return false;
    default:
      return true;
  }
}

function isLoopKind(kind: ts.SyntaxKind): boolean {
  return kind === SK.WhileStatement || kind === SK.DoStatement || kind === SK.ForStatement || kind === SK.ForOfStatement || kind === SK.ForInStatement;
}

/** `x + 1`, `x * 2 - y`: arithmetic on the variable itself. */
function isSelfArithmetic(name: string, value: ts.Expression): boolean {
  const e = unwrap(value);
  if (!ts.isBinaryExpression(e)) return false;
  const op = e.operatorToken.kind;
  if (
    op < SK.FirstBinaryOperator ||
    op > SK.LastBinaryOperator ||
    op === SK.AmpersandAmpersandToken ||
    op === SK.BarBarToken ||
    op === SK.QuestionQuestionToken
  )
    return false;
  const mentions = (x: ts.Expression): boolean => {
    const u = unwrap(x);
    return (ts.isIdentifier(u) && u.text === name) || (ts.isBinaryExpression(u) && (mentions(u.left) || mentions(u.right)));
  };
  return mentions(e);
}
