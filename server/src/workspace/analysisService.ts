// Analyses of open documents, kept per document version and invalidated through the files each
// analysis read: an open document's version or a file's generation on disk. Analyses read other
// files through a host that prefers open documents to the disk and records every path it is asked for.
import { performance } from "node:perf_hooks";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { readSourceFile, SourceLimitError } from "../analysis/sourceReader";
import type { AnalysisCache, AnalysisHost, AnalysisOptions, AnalysisResult, CancellationLike } from "../analysis/types";
import { DependencyIndex } from "./dependencyIndex";
import { helperFindingsOf, type HelperFindingsOfFile } from "./helperFindings";
import { fileNameOf } from "./uris";

export type Analyze = (fileName: string, text: string, host: AnalysisHost, options: AnalysisOptions) => AnalysisResult;

export interface DocumentAnalysis {
  uri: string;
  version: number;
  fileName: string;
  result: AnalysisResult;
  /** Changes whenever the result may differ (pull diagnostics answer "unchanged" otherwise). */
  resultId: string;
  durationMs: number;
  /** Every file the analysis read, with the stamp it had. */
  readonly stamps: ReadonlyMap<string, string>;
}

export interface AnalysisServiceOptions {
  analyze: Analyze;
  cache?: AnalysisCache;
  /**
   * Reads a file from disk; undefined when missing (default: regular files up to the size limit,
   * never blocking; a SourceLimitError for any other file).
   */
  readFile?: (fileName: string) => string | undefined;
  budgetMs?: number;
  /** Called after each fresh analysis (not when a kept one is reused). */
  onAnalysed?: (analysis: DocumentAnalysis, document: TextDocument) => void;
  onInternalError?: (message: string) => void;
}

function readFromDisk(fileName: string): string | undefined {
  try {
    return readSourceFile(fileName);
  } catch (error) {
    if (error instanceof SourceLimitError) throw error;
    return undefined;
  }
}

export class AnalysisService {
  readonly index = new DependencyIndex();
  budgetMs: number;
  private readonly open = new Map<string, TextDocument>();
  private readonly diskGeneration = new Map<string, number>();
  /** What the disk gave for each file read: its text, undefined (missing), or why it is not read. */
  private readonly diskText = new Map<string, string | undefined | SourceLimitError>();
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly readFile: (fileName: string) => string | undefined;
  private nextResultId = 1;
  private uris: Map<string, string> | undefined;

  constructor(private readonly options: AnalysisServiceOptions) {
    this.budgetMs = options.budgetMs ?? 500;
    this.readFile = options.readFile ?? readFromDisk;
  }

  get cachedAnalyses(): number {
    return this.analyses.size;
  }

  /** The URI of the open document for `fileName`, if any. */
  openUri(fileName: string): string | undefined {
    return this.open.get(fileName)?.uri;
  }

  /** fileName -> URI of every open document (for naming related files as the client does). */
  openUris(): ReadonlyMap<string, string> {
    // Asked for on every analysis and feature request: rebuilt only when a document opens or closes.
    this.uris ??= new Map([...this.open].map(([file, doc]) => [file, doc.uri]));
    return this.uris;
  }

  private setOpen(fileName: string, document: TextDocument): void {
    if (this.open.get(fileName)?.uri !== document.uri) this.uris = undefined;
    this.open.set(fileName, document);
  }

  /** A document was opened or changed: returns the other open documents whose analysis read it. */
  documentChanged(document: TextDocument): string[] {
    const fileName = fileNameOf(document.uri);
    this.setOpen(fileName, document);
    return this.index.dependentsOf(fileName).filter((uri) => uri !== document.uri);
  }

  /** A document was closed: its analysis goes; documents that read it now read the disk. */
  documentClosed(uri: string): string[] {
    const fileName = fileNameOf(uri);
    this.open.delete(fileName);
    this.uris = undefined;
    this.analyses.delete(uri);
    this.index.delete(uri);
    this.options.cache?.invalidate(fileName);
    return this.index.dependentsOf(fileName);
  }

  /** A file changed, appeared or vanished on disk: returns the open documents whose analysis read it. */
  fileChanged(fileName: string): string[] {
    this.diskGeneration.set(fileName, (this.diskGeneration.get(fileName) ?? 0) + 1);
    this.diskText.delete(fileName);
    if (!this.open.has(fileName)) this.options.cache?.invalidate(fileName);
    return this.index.dependentsOf(fileName);
  }

  /** Forgets every analysis (settings changed). */
  clear(): void {
    this.analyses.clear();
    this.diskText.clear();
    this.options.cache?.clear();
  }

  private stampOf(fileName: string): string {
    const document = this.open.get(fileName);
    return document !== undefined ? `v${document.version}` : `d${this.diskGeneration.get(fileName) ?? 0}`;
  }

  private textOf(fileName: string): string | undefined {
    const document = this.open.get(fileName);
    if (document !== undefined) return document.getText();
    if (!this.diskText.has(fileName)) {
      let read: string | undefined | SourceLimitError;
      try {
        read = this.readFile(fileName);
      } catch (error) {
        if (!(error instanceof SourceLimitError)) throw error;
        read = error;
      }
      this.diskText.set(fileName, read);
    }
    const read = this.diskText.get(fileName);
    if (read instanceof SourceLimitError) throw read;
    return read;
  }

  /**
   * An analysis of `text` as if it were `fileName`'s, kept nowhere and with a fresh parse cache
   * (so the open document's parsed tree stays cached): to check what an edit would do.
   */
  analyzeText(fileName: string, text: string): AnalysisResult {
    return this.options.analyze(fileName, text, { readFile: (path: string) => this.textOf(path) }, { budgetMs: this.budgetMs });
  }

  /** Findings that the kept analyses of open documents locate in `fileName` (a helper they call). */
  helperFindings(fileName: string): HelperFindingsOfFile {
    const analyses = [...this.analyses.values()].map((a) => ({ uri: a.uri, resultId: a.resultId, helperDiagnostics: a.result.helperDiagnostics ?? [] }));
    return helperFindingsOf(fileName, analyses);
  }

  /** The kept analysis of `document` if nothing it read has changed since. */
  current(document: TextDocument): DocumentAnalysis | undefined {
    const kept = this.analyses.get(document.uri);
    if (kept === undefined || kept.version !== document.version) return undefined;
    for (const [file, stamp] of kept.stamps) if (this.stampOf(file) !== stamp) return undefined;
    return kept;
  }

  /** The analysis of `document` as it is now: kept, or computed (synchronously) within the time budget. */
  analysisOf(document: TextDocument, cancellation?: CancellationLike): DocumentAnalysis {
    const kept = this.current(document);
    if (kept !== undefined) return kept;
    const fileName = fileNameOf(document.uri);
    if (!this.open.has(fileName)) this.setOpen(fileName, document);
    const stamps = new Map<string, string>();
    const host: AnalysisHost = {
      readFile: (path: string) => {
        stamps.set(path, this.stampOf(path));
        return this.textOf(path);
      },
    };
    const started = performance.now();
    const options: AnalysisOptions = { budgetMs: this.budgetMs };
    if (cancellation !== undefined) options.cancellation = cancellation;
    if (this.options.cache !== undefined) options.cache = this.options.cache;
    const result = this.options.analyze(fileName, document.getText(), host, options);
    const durationMs = performance.now() - started;
    for (const message of result.internalErrors) this.options.onInternalError?.(message);
    const analysis: DocumentAnalysis = {
      uri: document.uri,
      version: document.version,
      fileName,
      result,
      resultId: String(this.nextResultId++),
      durationMs,
      stamps,
    };
    // A cancelled analysis is partial for no reason of its own: never reuse it.
    if (!(result.incomplete && cancellation?.isCancellationRequested === true)) {
      this.analyses.set(document.uri, analysis);
      this.index.set(document.uri, stamps.keys());
    }
    this.options.onAnalysed?.(analysis, document);
    return analysis;
  }
}
