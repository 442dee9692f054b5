// Public shapes of the driver analysis: diagnostics with quick-fix data, and a model of each file
// (protocols, drivers, threads, wait and send sites, mailbox bindings) for the language server.

/** 0-based, UTF-16 code units (the LSP convention). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in some file (the analysed one or a file it imports). */
export interface Location {
  file: string;
  range: Range;
}

export type Severity = "error" | "warning" | "information";

/** A rule of the table in docs/contracts.md ("Diagnostic codes"): each rule module exports its own. */
export interface RuleInfo {
  code: DiagnosticCode;
  severity: Severity;
  /** PascalCase name (SARIF `name`). */
  name: string;
  /** One sentence. */
  title: string;
  /** What the rule checks and how to fix a finding. */
  help: string;
  /**
   * Two findings of this rule at the same place whose messages differ (a helper that several drivers
   * reach in different states) as one: its message and data cover both. Undefined when they cannot be
   * one finding. Related information is merged by the caller (see merge.ts).
   */
  merge?(a: AnalysisDiagnostic, b: AnalysisDiagnostic): AnalysisDiagnostic | undefined;
}

export type DiagnosticCode = "AD001" | "AD002" | "AD003" | "AD004" | "AD010" | "AD011" | "AD012" | "AD013" | "AD020" | "AD030" | "AD090";

export interface RelatedLocation extends Location {
  message: string;
}

/** Data a quick fix needs, one shape per code (discriminated by `kind`). */
export type DiagnosticData =
  | MissingMessagesData
  | DeadMailboxData
  | OwedReplyData
  | IllegalSendData
  | RippedStateData
  | CallbackContinuationData
  | FlagVariableData
  | ForeignAwaitData
  | ProtocolSpecData
  | RegisterPollData
  | AnalysisLimitData;

/** AD001: the wait misses incoming messages. */
export interface MissingMessagesData {
  kind: "missingMessages";
  /** Missing message names, in protocol order. */
  messages: string[];
  /** Protocol states (after recovery) in which some message is missing. */
  states: string[];
  /** state -> messages missing in it. */
  byState: Record<string, string[]>;
  /** Where a new argument goes: the end of the last argument (or just after `(`). */
  argumentsEnd: Position;
  /** How to write each missing mailbox at this wait (an in-scope binding or `d.mb.name`). */
  mailboxText: Record<string, string>;
  /** The variable holding the wait result, when there is one (for a handler stub). */
  resultVariable?: string;
}

/** AD002: a waited mailbox can never deliver here. */
export interface DeadMailboxData {
  kind: "deadMailbox";
  message: string;
  states: string[];
  /** The argument plus its separating comma: delete it to remove the mailbox. */
  removalRange: Range;
}

/** AD003: a reply is owed at a protocol wait or at the end of a thread. */
export interface OwedReplyData {
  kind: "owedReply";
  /** The out message owed (e.g. `openComplete`); the first of `replies`, the one the quick fix sends. */
  reply: string;
  /** Every reply owed there, sorted (usually one). */
  replies: string[];
  /** The requests that owe it (e.g. `open`). */
  requests: string[];
  /** Protocol states the thread can be in at this point. */
  states: string[];
  at: "wait" | "threadEnd";
  /** Where the send goes: the start of the wait's (or return's) statement, or the thread's closing brace. */
  insertPosition: Position;
  /** Indentation of the line at `insertPosition`: insert `${sendText}\n${indent}` there. */
  indent: string;
  /** The same insertion as one string (one level deeper before a closing brace). */
  insertText: string;
  /** A statement that sends the reply, e.g. `d.send(openComplete, { status: 0 });`. */
  sendText: string;
  /** The driver context is destructured without `send` (`async ({ wait, mb }) => ...`): insert `text` (`, send`) at `position` too. */
  bindSend?: { position: Position; text: string };
}

/** AD004. */
export interface IllegalSendData {
  kind: "illegalSend";
  message: string;
  states: string[];
  /** States whose row allows the message. */
  allowedIn: string[];
}

/** AD010. */
export interface RippedStateData {
  kind: "rippedState";
  variable: string;
  writtenIn: string[];
  testedIn: string[];
}

/** AD011. */
export interface CallbackContinuationData {
  kind: "callbackContinuation";
  entryPoint: string;
  callee: string;
}

/** AD012. */
export interface FlagVariableData {
  kind: "flagVariable";
  variable: string;
  setIn: string[];
  testedIn: string[];
}

/** AD013. */
export interface ForeignAwaitData {
  kind: "foreignAwait";
  /** Source text of the awaited expression (shortened). */
  awaited: string;
}

/** AD020. */
export interface ProtocolSpecData {
  kind: "protocolSpec";
  problem: "unknownMessage" | "unknownState" | "replyNotOutgoing" | "unknownReply" | "missingInitial" | "unknownInitial" | "unreachableState";
  name?: string;
}

/** AD030. */
export interface RegisterPollData {
  kind: "registerPoll";
}

/** AD090: input over a limit of the analysis. */
export interface AnalysisLimitData {
  kind: "analysisLimit";
  /** An import not followed (not a regular file, too large), or the file nested too deeply to analyse. */
  limit: "import" | "nesting";
  /** The file not read (imports). */
  file?: string;
}

export interface AnalysisDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** One line, naming the state(s) and message(s). */
  message: string;
  range: Range;
  related: RelatedLocation[];
  data?: DiagnosticData;
}

// ---------------------------------------------------------------------------------------------
// The model

export interface MessageModel {
  name: string;
  direction: "in" | "out" | "unknown";
  /** For a request: the out message that answers it. */
  reply?: string;
  /** Source text of the payload type argument, when written. */
  payloadType?: string;
  /** The property name (`open` in `open: msg.in(...)`). */
  nameRange: Range;
  /** The whole property. */
  range: Range;
}

export interface TransitionModel {
  message: string;
  target: string;
  /** The property `message: "target"` in the state's row. */
  range: Range;
}

export interface StateModel {
  name: string;
  nameRange: Range;
  range: Range;
  transitions: TransitionModel[];
  /** Reachable from the initial state. */
  reachable: boolean;
}

export interface ProtocolModel {
  /** The `name:` string, when it is a literal. */
  name?: string;
  /** The file the protocol is written in. */
  file: string;
  /** The `defineProtocol(...)` call. */
  range: Range;
  messages: MessageModel[];
  states: StateModel[];
  initial?: string;
  initialRange?: Range;
  /** False when part of the spec is not literal (spreads, computed keys): rules that need it stay silent. */
  complete: boolean;
}

export type MailboxKind = "in" | "out" | "device" | "internal" | "unknown";

export interface MailboxRef {
  /** Protocol message name, `irq`, or the internal mailbox's name. */
  name: string;
  kind: MailboxKind;
  range: Range;
}

export interface WaitSiteModel {
  file: string;
  /** The `wait(...)` call (or `sleep(...)`). */
  range: Range;
  argumentsEnd: Position;
  kind: "protocol" | "inner";
  /** True for `sleep(ms)`. */
  sleep: boolean;
  mailboxes: MailboxRef[];
  /** Protocol states that can hold here (after recovery from an owed reply). Empty when unknown. */
  states: string[];
  /** True when some path reaches this wait in a state the analysis could not tell. */
  stateUnknown: boolean;
  /** Incoming messages enabled in those states. */
  enabled: string[];
  /** Replies owed on some path reaching this wait. */
  owed: string[];
  thread: string;
}

export interface SendSiteModel {
  file: string;
  range: Range;
  /** Protocol message or internal mailbox name; undefined when it cannot be told. */
  message?: string;
  kind: MailboxKind;
  /** Protocol states before the send. */
  states: string[];
  thread: string;
}

export interface ThreadModel {
  name: string;
  file: string;
  /** The thread's function (main) or the `spawn(...)` call. */
  range: Range;
  /** Mailboxes the thread waits on: the messages it covers. */
  owns: string[];
}

export interface MailboxBinding {
  /** The identifier (or property name in `d.mb.open`). */
  range: Range;
  text: string;
  /** Mailbox name: a protocol message, `irq` or an internal mailbox. */
  mailbox: string;
  kind: MailboxKind;
  /** True where the identifier is declared (`const { open } = d.mb`). */
  declaration: boolean;
}

export interface EntryPointModel {
  name: string;
  range: Range;
}

export interface DriverModel {
  kind: "active" | "passive";
  /** The `defineDriver(...)`/`definePassiveDriver(...)` call. */
  range: Range;
  /** The main (active) or setup (passive) function. */
  functionRange?: Range;
  /** The protocol named by `protocol:` (shared by every result that uses the same parsed protocol: read-only). */
  protocol?: ProtocolModel;
  protocolName?: string;
  protocolFile?: string;
  threads: ThreadModel[];
  waits: WaitSiteModel[];
  sends: SendSiteModel[];
  /** Identifiers in the analysed file that denote mailboxes. */
  mailboxBindings: MailboxBinding[];
  /** Passive drivers: the entry points. */
  entryPoints: EntryPointModel[];
}

/** A finding in a file other than the analysed one: a helper that the analysed drivers call. */
export interface HelperDiagnostic extends AnalysisDiagnostic {
  /** The helper's file (absolute); `range` is in it. */
  file: string;
}

export interface AnalysisResult {
  fileName: string;
  /** Diagnostics located in the analysed file, sorted by position. */
  diagnostics: AnalysisDiagnostic[];
  /**
   * Findings in helpers in other files that this file's drivers call, located in the helper's file
   * at the helper's line; their related information starts with the calls here that reach them.
   */
  helperDiagnostics?: HelperDiagnostic[];
  /** Protocols defined in this file. */
  protocols: ProtocolModel[];
  drivers: DriverModel[];
  /** True when cancelled or over budget: the control-flow rules were skipped. */
  incomplete: boolean;
  /** Internal failures the analysis recovered from (bugs: reported, never thrown). */
  internalErrors: string[];
}

/** Reads a file's text; undefined when it does not exist. */
export interface AnalysisHost {
  readFile(path: string): string | undefined;
}

export interface CancellationLike {
  readonly isCancellationRequested: boolean;
}

export interface AnalysisOptions {
  cancellation?: CancellationLike;
  /** Wall-clock budget for the control-flow analysis, in milliseconds. */
  budgetMs?: number;
  /** Parsed files shared between analyses (see `createAnalysisCache`). */
  cache?: AnalysisCache;
}

/** Parsed source files keyed by path and text; reuse one across analyses of a workspace. */
export interface AnalysisCache {
  /** Drops a file (e.g. when it changed on disk). */
  invalidate(path: string): void;
  clear(): void;
}
