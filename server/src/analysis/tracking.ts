// Which local variables the interpreter tracks: those whose value can steer control flow (tested
// in a condition, compared, returned, passed to a helper) and those assigned into such variables
// (by name, from the file index). Tracking only these keeps the state space small without losing
// a decision the driver makes.
import ts from "typescript";
import { fileIndex } from "./fileIndex";
import { declarationsOf, functionDeclarations, type Declaration } from "./scope";

function isVariableLike(decl: Declaration | undefined): decl is ts.VariableDeclaration | ts.BindingElement | ts.ParameterDeclaration {
  return decl !== undefined && (ts.isVariableDeclaration(decl) || ts.isBindingElement(decl) || ts.isParameter(decl));
}

/** Every identifier in expression position inside `expr` (not entering functions). */
export function identifiersIn(expr: ts.Node, out: ts.Identifier[] = []): ts.Identifier[] {
  const walk = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) {
      const p = n.parent;
      if (ts.isPropertyAccessExpression(p) && p.name === n) return;
      if (ts.isPropertyAssignment(p) && p.name === n) return;
      out.push(n);
      return;
    }
    if (ts.isFunctionLike(n)) return;
    ts.forEachChild(n, walk);
  };
  walk(expr);
  return out;
}

/** Tracked variables, their ids, and the variables each scope or function declares. */
export class Tracking {
  private readonly ids = new Map<Declaration, number>();
  private readonly blockCache = new Map<ts.Node, number[]>();
  private readonly functionCache = new Map<ts.Node, number[]>();
  /** `inst:<n>.<field>` -> id (-1: not tracked), and the ids of each object's tracked fields. */
  private readonly fieldIds = new Map<string, number>();
  private readonly objectFields = new Map<string, number[]>();
  private nextId = 1;

  isTracked(decl: Declaration): boolean {
    if (!isVariableLike(decl) || !ts.isIdentifier(decl.name)) return false;
    return fileIndex(decl.getSourceFile()).trackedNames.has(decl.name.text);
  }

  /** The id of a tracked variable, or undefined when it is not tracked. */
  idOf(decl: Declaration): number | undefined {
    const found = this.ids.get(decl);
    if (found !== undefined) return found < 0 ? undefined : found;
    const id = this.isTracked(decl) ? this.nextId++ : -1;
    this.ids.set(decl, id);
    return id < 0 ? undefined : id;
  }

  /** The id of an object's field (`this.state`), when `isTracked` says it is tracked like a variable. */
  fieldId(object: string, name: string, isTracked: () => boolean): number | undefined {
    const key = `${object}.${name}`;
    let id = this.fieldIds.get(key);
    if (id === undefined) {
      id = isTracked() ? this.nextId++ : -1;
      this.fieldIds.set(key, id);
      if (id >= 0) {
        const ids = this.objectFields.get(object);
        if (ids) ids.push(id);
        else this.objectFields.set(object, [id]);
      }
    }
    return id < 0 ? undefined : id;
  }

  /** Ids of an object's fields tracked so far (none for anything that is not an object). */
  fieldsOf(object: string | undefined): readonly number[] {
    return (object !== undefined && this.objectFields.get(object)) || noIds;
  }

  /** A fresh id not tied to a variable (e.g. a "written since the last wait" bit). */
  freshId(): number {
    return this.nextId++;
  }

  /** Ids of tracked variables a block (or case block, for header, catch clause) declares directly. */
  blockLocals(scope: ts.Node): number[] {
    let ids = this.blockCache.get(scope);
    if (ids) return ids;
    ids = [];
    const names = declarationsOf(scope);
    if (names)
      for (const d of names.values()) {
        const id = this.idOf(d);
        if (id !== undefined) ids.push(id);
      }
    this.blockCache.set(scope, ids);
    return ids;
  }

  /** Ids of tracked variables declared anywhere inside a function (parameters included). */
  functionLocals(fn: ts.Node): number[] {
    let ids = this.functionCache.get(fn);
    if (ids) return ids;
    ids = [];
    for (const d of functionDeclarations(fn)) {
      const id = this.idOf(d);
      if (id !== undefined) ids.push(id);
    }
    this.functionCache.set(fn, ids);
    return ids;
  }
}

const noIds: readonly number[] = [];
