// The language server's wiring: documents, the analysis service and one handler per LSP feature.
// The features themselves are pure functions in features/; this file only routes requests to them.
import * as fs from "node:fs";
import * as path from "node:path";
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type ClientCapabilities,
  type Connection,
  type DocumentDiagnosticReport,
  type InitializeResult,
} from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { codeActions } from "./features/codeActions";
import { codeLenses } from "./features/codeLens";
import { completion } from "./features/completion";
import { featureInput, type FeatureInput } from "./features/context";
import { definition } from "./features/definition";
import { documentDiagnostics } from "./features/diagnostics";
import { HelperDiagnostics } from "./features/helperDiagnostics";
import { hover } from "./features/hover";
import { forgetSourceFile } from "./features/parse";
import { analysisStatus, protocolGraphs } from "./features/status";
import { documentSymbols } from "./features/symbols";
import {
  analysisStatusNotification,
  protocolModelRequest,
  serverStatsRequest,
  type AnalysisStatusParams,
  type ProtocolModelParams,
  type ProtocolModelResult,
  type ServerStatsResult,
} from "./lsp/protocol";
import { AnalysisService, type Analyze } from "./workspace/analysisService";
import { readSettings, type ServerSettings } from "./workspace/settings";
import { fileNameOf, uriOfFileName } from "./workspace/uris";
import type { AnalysisCache } from "./analysis/types";
import { defined } from "../../runtime/src/defined";

export interface LanguageServerOptions {
  analyze: Analyze;
  cache?: AnalysisCache;
}

/** The README's URL for links from diagnostic codes: beside the extension's package.json (dist/.. or server/src/../..). */
function readmeUrl(): string | undefined {
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: string };
      if (manifest.name === "active-drivers") return uriOfFileName(path.join(dir, "README.md"));
    } catch {
      // No manifest here: look one folder up.
    }
  }
  return undefined;
}

/** Lets queued messages (a newer didChange, a $/cancelRequest) in before synchronous work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function startLanguageServer(connection: Connection, options: LanguageServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = readSettings(undefined);
  let capabilities: ClientCapabilities = {};
  let refreshTimer: NodeJS.Timeout | undefined;
  const log = connection.console;

  const service = new AnalysisService({
    analyze: options.analyze,
    ...defined({ cache: options.cache }),
    onInternalError: (message) => log.warn(`analysis: ${message}`),
    onAnalysed: (analysis, document) => {
      helperDiagnostics.analysed(analysis.uri, analysis.result);
      const status: AnalysisStatusParams = analysisStatus(featureInput(document, analysis.result, service.openUris()), analysis.durationMs);
      void connection.sendNotification(analysisStatusNotification, status);
    },
  });

  const helperDiagnostics = new HelperDiagnostics({
    service,
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }).catch(() => undefined),
    refresh: (reason) => scheduleRefresh(reason),
    docsBaseUrl: () => settings.docsBaseUrl,
  });

  /** The document and its current analysis, for a feature request. */
  function inputFor(uri: string, token?: CancellationToken): FeatureInput | undefined {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    const analysis = service.analysisOf(document, token);
    return featureInput(document, analysis.result, service.openUris());
  }

  /** Runs a feature; a failure is logged with its stack and answered with `fallback`, never thrown at the client. */
  function guarded<T>(feature: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      log.error(`${feature} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  }

  /** Asks the client to pull diagnostics (and code lenses) again: a file other documents read changed. */
  function scheduleRefresh(reason: string): void {
    if (refreshTimer !== undefined) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      log.log(`refreshing diagnostics: ${reason}`);
      if (capabilities.workspace?.diagnostics?.refreshSupport === true) void connection.languages.diagnostics.refresh().catch(() => undefined);
      if (capabilities.workspace?.codeLens?.refreshSupport === true) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    }, 50);
  }

  connection.onInitialize((params): InitializeResult => {
    capabilities = params.capabilities;
    const docs = readmeUrl();
    settings = readSettings(params.initializationOptions, { timeBudgetMs: 500, ...defined({ docsBaseUrl: docs }) });
    service.budgetMs = settings.timeBudgetMs;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        diagnosticProvider: { identifier: "active-driver", interFileDependencies: true, workspaceDiagnostics: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: { label: "Active Driver" },
        definitionProvider: true,
        completionProvider: { triggerCharacters: ["(", ",", "."] },
      },
      serverInfo: { name: "active-driver-server", version: "0.1.0" },
    };
  });

  connection.onInitialized(() => {
    // File events come from the client's own watcher (the extension passes one for **/*.ts):
    // registering another here would deliver each change twice.
    log.info(`Active Drivers analysis server: node ${process.version}, time budget ${settings.timeBudgetMs} ms`);
  });

  connection.onDidChangeConfiguration((change) => {
    const section = (change.settings as { activeDriver?: unknown } | undefined)?.activeDriver;
    if (section === undefined) return;
    settings = readSettings(section, settings);
    service.budgetMs = settings.timeBudgetMs;
    service.clear();
    scheduleRefresh("settings changed");
  });

  documents.onDidChangeContent(({ document }) => {
    helperDiagnostics.opened(fileNameOf(document.uri));
    const dependents = service.documentChanged(document);
    if (dependents.length > 0) scheduleRefresh(`${document.uri} changed`);
  });

  documents.onDidClose(({ document }) => {
    forgetSourceFile(document.uri);
    if (service.documentClosed(document.uri).length > 0) scheduleRefresh(`${document.uri} closed`);
    helperDiagnostics.closed(document.uri, fileNameOf(document.uri));
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    let affected = 0;
    for (const change of changes) {
      const fileName = fileNameOf(change.uri);
      // An open document's text is the editor's, not the disk's.
      if (documents.get(change.uri) !== undefined && change.type === FileChangeType.Changed) continue;
      affected += service.fileChanged(fileName).length;
    }
    if (affected > 0) scheduleRefresh("files changed on disk");
  });

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    await yieldToEventLoop();
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, "a newer request replaces this one", { retriggerRequest: true });
    const document = documents.get(params.textDocument.uri);
    if (document === undefined) return { kind: "full", items: [] };
    return guarded<DocumentDiagnosticReport>("diagnostics", { kind: "full", items: [] }, () => {
      const analysis = service.analysisOf(document, token);
      if (analysis.result.incomplete && token.isCancellationRequested) {
        throw new ResponseError(LSPErrorCodes.ServerCancelled, "cancelled", { retriggerRequest: true });
      }
      // Findings that open drivers' analyses locate in this file (a helper they call) join its own.
      const reached = helperDiagnostics.pulled(fileNameOf(document.uri));
      const resultId = reached.key === "" ? analysis.resultId : `${analysis.resultId};${reached.key}`;
      if (params.previousResultId === resultId) return { kind: "unchanged", resultId };
      const input = featureInput(document, analysis.result, service.openUris());
      return { kind: "full", resultId, items: [...documentDiagnostics(input, settings.docsBaseUrl), ...reached.items] };
    });
  });

  connection.onCodeAction((params, token) =>
    guarded("codeAction", [], () => {
      const input = inputFor(params.textDocument.uri, token);
      if (input === undefined) return [];
      const fileName = fileNameOf(params.textDocument.uri);
      const resourceOperations = capabilities.workspace?.workspaceEdit?.resourceOperations ?? [];
      return codeActions(
        input,
        params.context.diagnostics,
        {
          canCreateFiles: capabilities.workspace?.workspaceEdit?.documentChanges === true && resourceOperations.includes("create") && path.isAbsolute(fileName),
          fileName,
          fileExists: (f) => fs.existsSync(f) || service.openUri(f) !== undefined,
          uriOf: uriOfFileName,
          verify: (text) => service.analyzeText(fileName, text).diagnostics,
        },
        params.context.only,
      );
    }),
  );

  connection.onHover((params, token) =>
    guarded("hover", null, () => {
      const input = inputFor(params.textDocument.uri, token);
      return input === undefined ? null : hover(input, params.position);
    }),
  );

  connection.onCodeLens((params, token) =>
    guarded("codeLens", [], () => {
      const input = inputFor(params.textDocument.uri, token);
      return input === undefined ? [] : codeLenses(input);
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    guarded("documentSymbol", [], () => {
      const input = inputFor(params.textDocument.uri, token);
      return input === undefined ? [] : documentSymbols(input);
    }),
  );

  connection.onDefinition((params, token) =>
    guarded("definition", null, () => {
      const input = inputFor(params.textDocument.uri, token);
      const links = input === undefined ? null : definition(input, params.position);
      if (links === null || capabilities.textDocument?.definition?.linkSupport === true) return links;
      return links.map((l) => ({ uri: l.targetUri, range: l.targetSelectionRange }));
    }),
  );

  connection.onCompletion((params, token) =>
    guarded("completion", [], () => {
      const input = inputFor(params.textDocument.uri, token);
      return input === undefined ? [] : completion(input, params.position);
    }),
  );

  connection.onRequest(protocolModelRequest, (params: ProtocolModelParams, token): ProtocolModelResult =>
    guarded("protocolModel", { protocols: [] }, () => {
      const input = inputFor(params.textDocument.uri, token);
      return { protocols: input === undefined ? [] : protocolGraphs(input) };
    }),
  );

  connection.onRequest(serverStatsRequest, (): ServerStatsResult => {
    const memory = process.memoryUsage();
    // The kernel's high-water mark (maxRSS) covers every moment since start: no sampling per analysis.
    const peakRss = Math.max(memory.rss, process.resourceUsage().maxRSS * 1024);
    return {
      rssBytes: memory.rss,
      peakRssBytes: peakRss,
      heapUsedBytes: memory.heapUsed,
      openDocuments: documents.all().length,
      cachedAnalyses: service.cachedAnalyses,
    };
  });

  connection.onShutdown(() => {
    if (refreshTimer !== undefined) clearTimeout(refreshTimer);
    refreshTimer = undefined;
    service.clear();
  });

  documents.listen(connection);
}
