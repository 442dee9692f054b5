// Source files of one analysis: the analysed text plus relative imports read through the host,
// parsed once (optionally shared across analyses through an AnalysisCache). Follows imports and
// re-exports to the declaration they name.
import * as path from "node:path";
import ts from "typescript";
import { resolveLocal } from "./fileIndex";
import { declarationsOf, type Declaration } from "./scope";
import { isStackOverflow, MAX_NESTING, tooDeep } from "./nesting";
import { SourceLimitError } from "./sourceReader";
import { hasModifier } from "./syntax";
import type { AnalysisCache, AnalysisHost } from "./types";

/** What a name can finally denote at module level: a declaration, or a whole module (namespace import). */
export type Target = Declaration | ts.ExportAssignment | ts.SourceFile;

/** Parsed files kept at most (least recently used go first): protocols and helpers stay warm. */
const MAX_CACHED_FILES = 128;
/**
 * Trees of analysed (root) files kept to parse their next version incrementally: the files being
 * edited. Few and small: every tree kept is live heap (a 2,000-line driver's is about 3.5 MB), and
 * the heap grows to a multiple of what stays live before a full collection.
 */
const MAX_ROOT_TREES = 4;
const MAX_ROOT_TEXT = 256 * 1024;
/** Names of recently analysed files remembered (a name is cheap to keep; a tree is not). */
const MAX_ROOT_NAMES = 256;

/** Characters compared at once while looking for the edit (native string compares, then one by one). */
const CHUNK = 256;

/** The edit between two texts as one span: their common prefix and suffix are unchanged. */
export function textChangeRange(oldText: string, newText: string): ts.TextChangeRange {
  const shorter = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start + CHUNK <= shorter && oldText.slice(start, start + CHUNK) === newText.slice(start, start + CHUNK)) start += CHUNK;
  while (start < shorter && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && oldText.slice(oldEnd - CHUNK, oldEnd) === newText.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, oldEnd - start), newEnd - start);
}

export class SourceFileCache implements AnalysisCache {
  private readonly files = new Map<string, ts.SourceFile>();
  /** Imported trees found no deeper than the analysis takes on (checked once per tree). */
  readonly shallow = new WeakSet<ts.SourceFile>();
  /**
   * The last tree of each recently analysed file, owned here alone: `ts.updateSourceFile` reuses
   * its unchanged subtrees (and moves their positions), so no other cache may hold it.
   */
  private readonly roots = new Map<string, ts.SourceFile>();
  /** Files analysed before: a file's tree is kept from its second analysis on (a workspace scan analyses each file once). */
  private readonly rootNames = new Map<string, true>();

  /** The parsed file; `keep` adds a new parse to the cache (imports), otherwise only a cached one is reused. */
  get(fileName: string, text: string, keep = true): ts.SourceFile {
    const found = this.files.get(fileName);
    if (found !== undefined) {
      this.files.delete(fileName);
      if (found.text === text) {
        this.files.set(fileName, found);
        return found;
      }
    }
    const sf = parse(fileName, text);
    if (keep) {
      this.files.set(fileName, sf);
      if (this.files.size > MAX_CACHED_FILES) this.files.delete(this.files.keys().next().value!);
    }
    return sf;
  }

  /**
   * The tree of an analysed file: a cached one with this text, else its previous tree updated
   * incrementally (an edit reparses only the statements it touches), else a fresh parse. The tree
   * is kept for the next version once the file is analysed a second time (it is being edited).
   */
  root(fileName: string, text: string): ts.SourceFile {
    const seen = this.rootNames.delete(fileName);
    this.rootNames.set(fileName, true);
    if (this.rootNames.size > MAX_ROOT_NAMES) this.rootNames.delete(this.rootNames.keys().next().value!);
    const shared = this.files.get(fileName);
    if (shared !== undefined && shared.text === text) return this.get(fileName, text);
    const previous = this.roots.get(fileName);
    this.roots.delete(fileName);
    let sf: ts.SourceFile;
    if (previous === undefined) sf = parse(fileName, text);
    else if (previous.text === text) sf = previous;
    else sf = ts.updateSourceFile(previous, text, textChangeRange(previous.text, text));
    if (previous === undefined && !seen) return sf;
    this.roots.set(fileName, sf);
    let kept = 0;
    for (const tree of this.roots.values()) kept += tree.text.length;
    for (const [name, tree] of this.roots) {
      if (this.roots.size <= MAX_ROOT_TREES && kept <= MAX_ROOT_TEXT) break;
      if (tree === sf) break;
      this.roots.delete(name);
      kept -= tree.text.length;
    }
    return sf;
  }

  invalidate(fileName: string): void {
    this.files.delete(fileName);
    this.roots.delete(fileName);
    this.rootNames.delete(fileName);
  }

  clear(): void {
    this.files.clear();
    this.roots.clear();
    this.rootNames.clear();
  }
}

/**
 * A fresh parse. JSDoc comments stay unparsed: the analysis reads none, and their nodes cost
 * parse time and memory on every driver (an incremental reparse keeps the tree's mode).
 */
function parse(fileName: string, text: string): ts.SourceFile {
  const sf = ts.createSourceFile(
    fileName,
    text,
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    false,
    scriptKindOf(fileName),
  );
  setParents(sf);
  return sf;
}

/**
 * Sets every node's `parent`, as `setParentNodes` does, without the work lists TypeScript's walk
 * allocates per node (most of a parse's garbage). The tree holds no JSDoc nodes (see `parse`).
 */
function setParents(sf: ts.SourceFile): void {
  let parent: ts.Node = sf;
  const bind = (child: ts.Node): void => {
    (child as { parent: ts.Node }).parent = parent;
    const saved = parent;
    parent = child;
    ts.forEachChild(child, bind);
    parent = saved;
  };
  ts.forEachChild(sf, bind);
}

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (fileName.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

const candidateSuffixes = ["", ".ts", ".tsx", ".mts", ".cts", "/index.ts", "/index.tsx"];

/** An import the analysis could not follow because the file it names is over a limit. */
export interface UnreadImport {
  /** The file that imports it. */
  from: ts.SourceFile;
  specifier: string;
  error: SourceLimitError;
}

export class Modules {
  private readonly loaded = new Map<string, ts.SourceFile | null>();
  private readonly refused = new Map<string, SourceLimitError>();
  /** Imports not followed, by the file they name (the first import of each). */
  readonly unread = new Map<string, UnreadImport>();
  /** The first import that loaded each imported file: the way back to the analysed file. */
  private readonly importedBy = new Map<string, { from: ts.SourceFile; specifier: string }>();
  private readonly resolved = new Map<ts.Identifier, Target | null>();

  constructor(
    private readonly host: AnalysisHost,
    private readonly cache: SourceFileCache,
  ) {}

  /**
   * Registers the analysed file (its text comes from the caller, not the host). Its tree is kept
   * apart from the imports' (see SourceFileCache.root), for the next version's incremental parse.
   */
  addRoot(fileName: string, text: string): ts.SourceFile {
    const sf = this.cache.root(fileName, text);
    this.loaded.set(fileName, sf);
    return sf;
  }

  private load(fileName: string): ts.SourceFile | undefined {
    const known = this.loaded.get(fileName);
    if (known !== undefined) return known ?? undefined;
    let text: string | undefined;
    try {
      text = this.host.readFile(fileName);
    } catch (error) {
      if (error instanceof SourceLimitError) this.refused.set(fileName, error);
      text = undefined;
    }
    const sf = text === undefined ? undefined : this.parseImport(fileName, text);
    this.loaded.set(fileName, sf ?? null);
    return sf;
  }

  /** An imported file's tree; undefined (and the import refused) when it is nested too deeply to analyse. */
  private parseImport(fileName: string, text: string): ts.SourceFile | undefined {
    let sf: ts.SourceFile | undefined;
    try {
      sf = this.cache.get(fileName, text);
      if (!this.cache.shallow.has(sf)) {
        if (tooDeep(sf) !== undefined) sf = undefined;
        else this.cache.shallow.add(sf);
      }
    } catch (error) {
      if (!isStackOverflow(error)) throw error;
      sf = undefined;
    }
    if (sf === undefined) this.refused.set(fileName, new SourceLimitError(fileName, `is nested more than ${MAX_NESTING} levels deep`));
    return sf;
  }

  /** The file a relative module specifier names (`./ethernet.protocol` -> `ethernet.protocol.ts`). */
  importedFile(from: ts.SourceFile, specifier: string): ts.SourceFile | undefined {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return undefined;
    const base = path.resolve(path.dirname(from.fileName), specifier);
    const stems = [base];
    const js = /\.([cm]?)js$/.exec(base);
    if (js) stems.unshift(base.slice(0, -js[0].length));
    let refused: string | undefined;
    for (const stem of stems) {
      for (const suffix of candidateSuffixes) {
        const candidate = stem + suffix;
        if (suffix === "" && !/\.[cm]?tsx?$/.test(candidate)) continue;
        const sf = this.load(candidate);
        if (sf) {
          if (!this.importedBy.has(sf.fileName) && sf !== from) this.importedBy.set(sf.fileName, { from, specifier });
          return sf;
        }
        if (refused === undefined && this.refused.has(candidate)) refused = candidate;
      }
    }
    if (refused !== undefined && !this.unread.has(refused)) this.unread.set(refused, { from, specifier, error: this.refused.get(refused)! });
    return undefined;
  }

  /** Resolves an identifier to its final declaration, following imports across files. */
  resolve(id: ts.Identifier): Target | undefined {
    const cached = this.resolved.get(id);
    if (cached !== undefined) return cached ?? undefined;
    const decl = resolveLocal(id);
    const target = decl === undefined ? undefined : this.follow(decl, 0);
    this.resolved.set(id, target ?? null);
    return target;
  }

  /** Follows an import declaration to what it imports. */
  follow(decl: Declaration, depth: number): Target | undefined {
    if (depth > 16) return undefined;
    if (ts.isImportSpecifier(decl) || ts.isImportClause(decl) || ts.isNamespaceImport(decl)) {
      const importDecl = ts.isImportSpecifier(decl) ? decl.parent.parent.parent : ts.isImportClause(decl) ? decl.parent : decl.parent.parent;
      if (!ts.isStringLiteral(importDecl.moduleSpecifier)) return undefined;
      const sf = this.importedFile(importDecl.getSourceFile(), importDecl.moduleSpecifier.text);
      if (!sf) return undefined;
      if (ts.isNamespaceImport(decl)) return sf;
      const name = ts.isImportClause(decl) ? "default" : (decl.propertyName ?? decl.name).text;
      return this.exported(sf, name, depth + 1);
    }
    return decl;
  }

  /** The declaration a module exports under `name`. */
  exported(sf: ts.SourceFile, name: string, depth = 0): Target | undefined {
    if (depth > 16) return undefined;
    for (const s of sf.statements) {
      if (ts.isVariableStatement(s) && hasModifier(s, ts.SyntaxKind.ExportKeyword)) {
        const found = declarationsOf(sf)?.get(name);
        if (found && (found as ts.Node).pos >= s.pos && (found as ts.Node).end <= s.end) return found;
      } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && hasModifier(s, ts.SyntaxKind.ExportKeyword)) {
        const isDefault = hasModifier(s, ts.SyntaxKind.DefaultKeyword);
        if ((isDefault && name === "default") || (!isDefault && s.name?.text === name)) return s;
      } else if (ts.isExportAssignment(s) && !s.isExportEquals && name === "default") {
        return s;
      } else if (ts.isExportDeclaration(s) && !s.isTypeOnly) {
        const from = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? this.importedFile(sf, s.moduleSpecifier.text) : undefined;
        if (s.exportClause && ts.isNamedExports(s.exportClause)) {
          for (const el of s.exportClause.elements) {
            if (el.name.text !== name) continue;
            const local = (el.propertyName ?? el.name).text;
            if (s.moduleSpecifier) return from ? this.exported(from, local, depth + 1) : undefined;
            const decl = declarationsOf(sf)?.get(local);
            return decl ? this.follow(decl, depth + 1) : undefined;
          }
        } else if (!s.exportClause && from && name !== "default") {
          const found = this.exported(from, name, depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  }

  /** `ns.member` where `ns` is a namespace import: the member's declaration. */
  member(target: Target | undefined, name: string): Target | undefined {
    return target !== undefined && ts.isSourceFile(target) ? this.exported(target, name) : undefined;
  }

  /** The chain of imports from `root` to `file` (the root's import first), when `file` was loaded through one. */
  importChain(root: ts.SourceFile, file: ts.SourceFile): { from: ts.SourceFile; specifier: string }[] | undefined {
    const chain: { from: ts.SourceFile; specifier: string }[] = [];
    const seen = new Set<string>();
    for (let at = file; at !== root;) {
      if (seen.has(at.fileName)) return undefined;
      seen.add(at.fileName);
      const step = this.importedBy.get(at.fileName);
      if (step === undefined) return undefined;
      chain.unshift(step);
      at = step.from;
    }
    return chain;
  }

  /** Files loaded so far (the root first). */
  files(): ts.SourceFile[] {
    return [...this.loaded.values()].filter((sf): sf is ts.SourceFile => sf !== null);
  }
}
