// Lexical scopes inside one file, without a type checker: the names each scope declares (variable
// declaration, binding element, parameter, function, class, enum, import). An identifier resolves to
// the nearest enclosing declaration (fileIndex.ts `resolveLocal`); imports are followed across files
// by modules.ts. Caches here hold only what a node's own subtree decides: an incrementally parsed
// tree reuses unchanged subtrees under new parents.
import ts from "typescript";
import { enclosingFunction } from "./syntax";

const SK = ts.SyntaxKind;

/** A node that declares a name. */
export type Declaration =
  | ts.VariableDeclaration
  | ts.BindingElement
  | ts.ParameterDeclaration
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ClassDeclaration
  | ts.EnumDeclaration
  | ts.ImportSpecifier
  | ts.ImportClause
  | ts.NamespaceImport
  | ts.ImportEqualsDeclaration;

const scopeCache = new WeakMap<ts.Node, Map<string, Declaration>>();

function addBindingNames(name: ts.BindingName, owner: ts.VariableDeclaration | ts.ParameterDeclaration, into: Map<string, Declaration>): void {
  if (ts.isIdentifier(name)) {
    into.set(name.text, owner);
    return;
  }
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    if (ts.isIdentifier(element.name)) into.set(element.name.text, element);
    else addBindingNames(element.name, owner, into);
  }
}

function addStatementDeclarations(statement: ts.Statement, into: Map<string, Declaration>): void {
  if (ts.isVariableStatement(statement)) {
    for (const d of statement.declarationList.declarations) addBindingNames(d.name, d, into);
  } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
    into.set(statement.name.text, statement);
  } else if (ts.isEnumDeclaration(statement)) {
    into.set(statement.name.text, statement);
  } else if (ts.isImportDeclaration(statement) && statement.importClause) {
    const clause = statement.importClause;
    if (clause.name) into.set(clause.name.text, clause);
    const bindings = clause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) into.set(bindings.name.text, bindings);
    else if (bindings) for (const el of bindings.elements) into.set(el.name.text, el);
  } else if (ts.isImportEqualsDeclaration(statement)) {
    into.set(statement.name.text, statement);
  } else if (ts.isLabeledStatement(statement)) {
    addStatementDeclarations(statement.statement, into);
  }
}

/** Node kinds that declare names for the code inside them. */
export function isScope(kind: ts.SyntaxKind): boolean {
  switch (kind) {
    case SK.SourceFile:
    case SK.Block:
    case SK.ModuleBlock:
    case SK.CaseBlock:
    case SK.ForStatement:
    case SK.ForOfStatement:
    case SK.ForInStatement:
    case SK.CatchClause:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** Names a scope node declares directly (undefined when the node is not a scope). */
export function declarationsOf(scope: ts.Node): Map<string, Declaration> | undefined {
  if (!isScope(scope.kind)) return undefined;
  const cached = scopeCache.get(scope);
  if (cached) return cached;
  let names: Map<string, Declaration> | undefined;
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) {
    names = new Map();
    for (const s of scope.statements) addStatementDeclarations(s, names);
  } else if (ts.isCaseBlock(scope)) {
    names = new Map();
    for (const clause of scope.clauses) for (const s of clause.statements) addStatementDeclarations(s, names);
  } else if (ts.isFunctionLike(scope)) {
    names = new Map();
    for (const p of scope.parameters) addBindingNames(p.name, p, names);
    if (ts.isFunctionExpression(scope) && scope.name) names.set(scope.name.text, scope);
  } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    names = new Map();
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) addBindingNames(d.name, d, names);
  } else if (ts.isCatchClause(scope)) {
    names = new Map();
    if (scope.variableDeclaration) addBindingNames(scope.variableDeclaration.name, scope.variableDeclaration, names);
  }
  if (names) scopeCache.set(scope, names);
  return names;
}

function enclosingScope(node: ts.Node): ts.Node | undefined {
  let n = node.parent;
  while (n !== undefined && !isScope(n.kind)) n = n.parent;
  return n;
}

/**
 * The declaration an identifier refers to in its own file, or undefined (a global or a typo): the
 * nearest enclosing scope that declares the name. A walk through every scope on the way: the
 * analysis resolves through fileIndex's `resolveLocal`, which visits only scopes declaring the name.
 */
export function resolveByWalk(id: ts.Identifier): Declaration | undefined {
  const name = id.text;
  for (let scope = enclosingScope(id); scope !== undefined; scope = enclosingScope(scope)) {
    const found = declarationsOf(scope)?.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Declarations of a function: its parameters and the variables of its own body (not of nested functions). Kept per node. */
const functionDeclarationsCache = new WeakMap<ts.Node, Declaration[]>();

export function functionDeclarations(fn: ts.Node): readonly Declaration[] {
  let found = functionDeclarationsCache.get(fn);
  if (found !== undefined) return found;
  const out = new Set<Declaration>();
  const visit = (n: ts.Node): void => {
    const names = declarationsOf(n);
    if (names) for (const d of names.values()) if (d.parent === fn || enclosingFunction(d) === fn) out.add(d);
    if (n !== fn && ts.isFunctionLike(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(fn);
  functionDeclarationsCache.set(fn, (found = [...out]));
  return found;
}

/** True for `const` declarations (bindings that never change). */
export function isConstDeclaration(decl: Declaration): boolean {
  let node: ts.Node = decl;
  while (ts.isBindingElement(node) || ts.isObjectBindingPattern(node) || ts.isArrayBindingPattern(node)) node = node.parent;
  if (!ts.isVariableDeclaration(node)) return false;
  const list = node.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}
