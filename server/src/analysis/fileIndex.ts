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
  const loopExits = new Map<ts.Node, LoopExits>();
  const noteScope = (scope: ts.Node): void => {
    const names = declarationsOf(scope);
    if (names) for (const name of names.keys()) part.scopes.push([name, scope]);
  };
  const guards: ts.Expression[] = [];
  const breakables: Breakable[] = [];
  let pendingLabels: string[] = [];
  const exitFrom = (frame: Breakable): void => {
    const exits = loopExits.get(frame.loop!)!;
    if (guards.length === frame.guardDepth) exits.unconditional = true;
    else for (let i = frame.guardDepth; i < guards.length; i++) exits.tests.push(guards[i]!);
  };
  /** Visits a loop or switch body as a frame `break` can leave. */
  const enter = (n: ts.Node, isSwitch: boolean, body: () => void): void => {
    const labels = pendingLabels;
    pendingLabels = [];
    if (!isSwitch) {
      const cond = ts.isWhileStatement(n) || ts.isDoStatement(n) ? n.expression : ts.isForStatement(n) ? n.condition : undefined;
      const tests = cond && unwrap(cond).kind !== SK.TrueKeyword ? [cond] : [];
      const exits: LoopExits = { tests, unconditional: false };
      loopExits.set(n, exits);
      part.loopExits.push([n, exits]);
    }
    breakables.push({ ...(isSwitch ? {} : { loop: n }), isSwitch, labels, guardDepth: guards.length });
    body();
    breakables.pop();
  };
  const tested = part.tested;
  const counters = part.counters;
  const flows = part.flows;
  const mark = (expr: ts.Expression | undefined): void => {
    const name = rootName(expr);
    if (name !== undefined) tested.add(name);
  };
  const flow = (target: string, source: ts.Expression | undefined): void => {
    if (!source) return;
    const s = unwrap(source);
    for (const src of ts.isConditionalExpression(s) ? [s.whenTrue, s.whenFalse] : [s]) {
      const name = rootName(src);
      if (name !== undefined) flows.push([target, name]);
    }
  };

  // The walk keeps its mode in one variable (no closure per node: this runs on every edit).
  let mode = Mode.Plain;
  const visitIn = (n: ts.Node | undefined, m: Mode): void => {
    if (!n) return;
    const saved = mode;
    mode = m;
    visit(n);
    mode = saved;
  };
  const visit = (n: ts.Node): void => {
    // Functions note their own scope (unitPart).
    if (isScope(n.kind) && !startsBody.has(n.kind)) noteScope(n);
    switch (n.kind) {
      case SK.Identifier: {
        const id = n as ts.Identifier;
        if (isReference(id)) part.references.push(id);
        if (mode !== Mode.Plain) tested.add(id.text);
        if (mode === Mode.Condition) part.conditionIdentifiers.push(id);
        return;
      }
      case SK.PropertyAccessExpression: {
        const pa = n as ts.PropertyAccessExpression;
        part.propertyAccesses.push(pa);
        visit(pa.expression);
        return;
      }
      case SK.BindingElement:
        if ((n as ts.BindingElement).name.kind === SK.Identifier) part.declarations.push(n as ts.BindingElement);
        break;
      case SK.IfStatement: {
        const s = n as ts.IfStatement;
        pendingLabels = [];
        visitIn(s.expression, Mode.Condition);
        guards.push(s.expression);
        visitIn(s.thenStatement, Mode.Plain);
        visitIn(s.elseStatement, Mode.Plain);
        guards.pop();
        return;
      }
      case SK.WhileStatement:
      case SK.DoStatement: {
        const s = n as ts.WhileStatement | ts.DoStatement;
        enter(s, false, () => {
          visitIn(s.expression, Mode.Condition);
          visitIn(s.statement, Mode.Plain);
        });
        return;
      }
      case SK.SwitchStatement: {
        const s = n as ts.SwitchStatement;
        visitIn(s.expression, Mode.Condition);
        enter(s, true, () => visitIn(s.caseBlock, Mode.Plain));
        return;
      }
      case SK.ForStatement: {
        const s = n as ts.ForStatement;
        enter(s, false, () => {
          visitIn(s.initializer, Mode.Plain);
          visitIn(s.condition, Mode.Condition);
          visitIn(s.incrementor, Mode.Plain);
          visitIn(s.statement, Mode.Plain);
        });
        return;
      }
      case SK.ForOfStatement:
      case SK.ForInStatement:
        enter(n, false, () => ts.forEachChild(n, visit));
        return;
      case SK.LabeledStatement: {
        const l = n as ts.LabeledStatement;
        const labels = [...pendingLabels, l.label.text];
        if (ts.isLabeledStatement(l.statement) || isLoopKind(l.statement.kind) || ts.isSwitchStatement(l.statement)) {
          pendingLabels = labels;
          visit(l.statement);
        } else {
          pendingLabels = [];
          breakables.push({ isSwitch: false, labels, guardDepth: guards.length });
          visit(l.statement);
          breakables.pop();
        }
        return;
      }
      case SK.BreakStatement: {
        const label = (n as ts.BreakStatement).label?.text;
        for (let i = breakables.length - 1; i >= 0; i--) {
          const frame = breakables[i]!;
          if (label === undefined ? frame.loop !== undefined || frame.isSwitch : frame.labels.includes(label)) {
            if (frame.loop) exitFrom(frame);
            break;
          }
        }
        return;
      }
      case SK.ReturnStatement:
      case SK.ThrowStatement:
        for (const frame of breakables) if (frame.loop) exitFrom(frame);
        if (n.kind === SK.ReturnStatement) {
          visitIn((n as ts.ReturnStatement).expression, mode === Mode.Condition ? mode : Mode.Tracked);
          return;
        }
        break;
      case SK.ConditionalExpression: {
        const c = n as ts.ConditionalExpression;
        visitIn(c.condition, Mode.Condition);
        visit(c.whenTrue);
        visit(c.whenFalse);
        return;
      }
      case SK.CaseClause: {
        const c = n as ts.CaseClause;
        visitIn(c.expression, Mode.Condition);
        for (const s of c.statements) visitIn(s, Mode.Plain);
        return;
      }
      case SK.PrefixUnaryExpression:
      case SK.PostfixUnaryExpression: {
        const u = n as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
        if (u.operator === SK.ExclamationToken) mark(u.operand);
        else if (u.operator === SK.PlusPlusToken || u.operator === SK.MinusMinusToken) {
          const operand = unwrap(u.operand);
          if (ts.isIdentifier(operand)) counters.add(operand.text);
        }
        break;
      }
      case SK.BinaryExpression: {
        const b = n as ts.BinaryExpression;
        const op = b.operatorToken.kind;
        if (
          op === SK.EqualsEqualsEqualsToken ||
          op === SK.ExclamationEqualsEqualsToken ||
          op === SK.EqualsEqualsToken ||
          op === SK.ExclamationEqualsToken ||
          op === SK.AmpersandAmpersandToken ||
          op === SK.BarBarToken
        ) {
          mark(b.left);
          mark(b.right);
        } else if (isAssignmentOperator(op)) {
          const left = unwrap(b.left);
          if (ts.isIdentifier(left)) {
            part.assignments.push({ target: left, node: b });
            flow(left.text, b.right);
            if (op === SK.EqualsToken) part.valueAssignments.push({ name: left.text, value: b.right });
            if (op !== SK.EqualsToken || isSelfArithmetic(left.text, b.right)) counters.add(left.text);
          } else if (op === SK.EqualsToken && ts.isPropertyAccessExpression(left)) {
            // `this.state = next`: a field may be tracked (see classes.ts), so its sources are.
            const s = unwrap(b.right);
            for (const src of ts.isConditionalExpression(s) ? [s.whenTrue, s.whenFalse] : [s]) mark(src);
          }
        }
        break;
      }
      case SK.CallExpression: {
        const call = n as ts.CallExpression;
        for (const a of call.arguments) mark(a);
        const name = calleeName(call);
        if (name === "defineDriver" || name === "definePassiveDriver") part.driverCalls.push(call);
        else if (name === "defineProtocol") part.protocolCalls.push(call);
        break;
      }
      case SK.VariableDeclaration: {
        const d = n as ts.VariableDeclaration;
        if (ts.isIdentifier(d.name)) {
          part.declarations.push(d);
          flow(d.name.text, d.initializer);
          if (d.initializer) part.valueAssignments.push({ name: d.name.text, value: d.initializer });
        }
        break;
      }
      default:
        if (startsBody.has(n.kind) && n !== root) {
          // A function body starts afresh (no enclosing condition, loop or switch): its findings
          // depend on its own code alone, so they are walked once and kept with the node.
          appendPart(part, unitPart(n));
          return;
        }
        break;
    }
    ts.forEachChild(n, visit);
  };
  if (startsBody.has(root.kind)) {
    if (isScope(root.kind)) noteScope(root);
    ts.forEachChild(root, visit);
  } else visit(root);
  return part;
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
  if (op < SK.FirstBinaryOperator || op > SK.LastBinaryOperator || op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) return false;
  const mentions = (x: ts.Expression): boolean => {
    const u = unwrap(x);
    return (ts.isIdentifier(u) && u.text === name) || (ts.isBinaryExpression(u) && (mentions(u.left) || mentions(u.right)));
  };
  return mentions(e);
}
