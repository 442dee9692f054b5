// Custom LSP messages between the extension (client/) and the analysis server, declared once.
// Types and method names only: both sides import this file, nothing else runs from it.

/**
 * Request `activeDriver/protocolModel`: the protocol state machine(s) the analysis found for a
 * document: for a driver file its driver's protocol (also when imported from another file) first,
 * then protocols defined in the file. The extension draws the first one ("Show Protocol State Machine").
 */
export const protocolModelRequest = "activeDriver/protocolModel";

export interface ProtocolModelParams {
  textDocument: { uri: string };
}

export interface ProtocolGraph {
  /** The `name:` of defineProtocol, when literal. */
  name?: string;
  /** Absolute path of the file that defines it. */
  file: string;
  /** state -> { message -> next state }, as written. */
  states: Record<string, Record<string, string>>;
  initial: string;
  /** Per message: "in" (OS -> driver) or "out" (driver -> OS). */
  directions: Record<string, "in" | "out">;
  // Added by the server for richer views (optional: a reader may ignore them).
  /** URI of the defining file (the client need not convert `file`). */
  uri?: string;
  /** Per request (an "in" message with `reply:`): the out message that answers it. */
  replies?: Record<string, string>;
  /** States not reachable from the initial one. */
  unreachable?: string[];
  /**
   * For the document's driver: per protocol state that holds at some protocol wait, the incoming
   * messages no wait accepts there (empty: covered). States absent here hold at no wait.
   */
  coverage?: Record<string, { missing: string[] }>;
  /** Where each state's row is written (0-based LSP range in `uri`), for "reveal in source". */
  stateRanges?: Record<string, { start: { line: number; character: number }; end: { line: number; character: number } }>;
}

export interface ProtocolModelResult {
  protocols: ProtocolGraph[];
}

/**
 * Notification `activeDriver/analysisStatus` (server -> client), after each fresh analysis of an
 * open document: what the status bar shows for it.
 */
export const analysisStatusNotification = "activeDriver/analysisStatus";

export interface AnalysisStatusParams {
  uri: string;
  /** The document version analysed. */
  version: number;
  /** What the file holds: the first driver's kind, else "protocol" when it defines one. */
  kind: "active" | "passive" | "protocol" | "none";
  errors: number;
  warnings: number;
  infos: number;
  /** Distinct diagnostic codes, sorted. */
  codes: string[];
  /** Protocol states of the file's active driver(s): how many hold at a protocol wait, how many of those accept every enabled message. */
  states: { total: number; waited: number; covered: number; uncovered: string[] };
  /** Protocol waits of the file's drivers, and how many accept every enabled message. */
  waits: { protocol: number; covered: number };
  /** True when cancelled or over the time budget: findings may be missing. */
  incomplete: boolean;
  /** Wall-clock analysis time. */
  durationMs: number;
}

/** Request `activeDriver/serverStats` (client -> server): process figures, for benchmarks and "Show Output". */
export const serverStatsRequest = "activeDriver/serverStats";

export interface ServerStatsResult {
  /** Resident set size now, and its peak since the server started (bytes). */
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  openDocuments: number;
  /** Analyses kept for open documents. */
  cachedAnalyses: number;
}
