// Quick fixes for analysis findings: AD001 add the missing mailboxes (with a handler stub where the
// result is dispatched on), AD002 remove a dead mailbox, AD003 send the owed reply (owedReply.ts
// finds where), AD010/AD011 convert the passive driver into an active skeleton in a new file.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { AnalysisDiagnostic, DeadMailboxData, DiagnosticData, MissingMessagesData, OwedReplyData } from "../analysis/types";
import { driverAt, listText, sameRange, toRange, type FeatureInput } from "./context";
import { diagnosticSource } from "./diagnostics";
import { handlerStub, waitLoop } from "./handlerStub";
import { indentUnit, lineBreak, sourceFileOf } from "./parse";
import { replyCandidates, type ReplyCandidate } from "./owedReply";
import { activeSkeleton, skeletonFileName } from "./skeleton";

export interface CodeActionEnvironment {
  /** The client applies `CreateFile` resource operations (workspace.workspaceEdit.resourceOperations). */
  canCreateFiles: boolean;
  /** The analysed file name of the document (a path for `file:` documents). */
  fileName: string;
  /** Whether a file exists on disk (to name the skeleton file). */
  fileExists(fileName: string): boolean;
  /** URI of a file name. */
  uriOf(fileName: string): string;
  /** Re-analyses the document with another text (to check a fix); undefined: fixes are not checked. */
  verify?: (text: string) => readonly AnalysisDiagnostic[] | undefined;
}

/** The analysis finding a client diagnostic stands for: same code and range, else its own `data`. */
function findingFor(input: FeatureInput, diagnostic: Diagnostic): AnalysisDiagnostic | undefined {
  const same = input.result.diagnostics.find((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range));
  if (same !== undefined) return same;
  const data = diagnostic.data as DiagnosticData | undefined;
  if (data === undefined || typeof data !== "object" || typeof data.kind !== "string") return undefined;
  return {
    code: diagnostic.code as AnalysisDiagnostic["code"],
    severity: "error",
    message: typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value,
    range: diagnostic.range,
    related: [],
    data,
  };
}

function edit(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}

/** True when every missing message, in every state it is missing in, leads back to that state and owes no reply. */
function missingAreSelfLoops(input: FeatureInput, diagnostic: Diagnostic, data: MissingMessagesData): boolean {
  const driver = input.result.drivers.find((d) => d.waits.some((w) => sameRange(w.range, diagnostic.range))) ?? driverAt(input.result, diagnostic.range.start);
  const protocol = driver?.protocol;
  if (protocol === undefined) return false;
  return Object.entries(data.byState).every(([state, missing]) =>
    missing.every((m) => {
      const message = protocol.messages.find((x) => x.name === m);
      const row = protocol.states.find((s) => s.name === state);
      return message?.reply === undefined && row?.transitions.find((t) => t.message === m)?.target === state;
    }),
  );
}

function addMissingMailboxes(input: FeatureInput, diagnostic: Diagnostic, data: MissingMessagesData): CodeAction | undefined {
  const { document } = input;
  const messages = data.messages.filter((m) => data.mailboxText[m] !== undefined);
  if (messages.length === 0) return undefined;
  const what = listText(messages);
  const sf = sourceFileOf(document);
  const callStart = document.offsetAt(diagnostic.range.start);
  const callEnd = document.offsetAt(diagnostic.range.end);
  const action = (title: string, edits: TextEdit[]): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: edit(document.uri, edits),
  });

  const end = document.offsetAt(data.argumentsEnd);
  const before = document.getText().slice(0, end).trimEnd();
  const separator = before.endsWith("(") || before.endsWith(",") ? "" : ", ";
  const argument: TextEdit = {
    range: { start: data.argumentsEnd, end: data.argumentsEnd },
    newText: separator + messages.map((m) => data.mailboxText[m]).join(", "),
  };
  const stub = handlerStub(sf, callStart, callEnd, messages, data.mailboxText);
  if (stub !== undefined && stub.offset >= callEnd) {
    const at = document.positionAt(stub.offset);
    return action(`Add ${what} to the wait, with a handler stub`, [argument, { range: { start: at, end: at }, newText: stub.text }]);
  }
  // `await d.wait(open);` with nothing to dispatch on: the new messages must not run the code
  // written for `open`, so the wait becomes a loop that handles them (when they keep the state).
  const loop = missingAreSelfLoops(input, diagnostic, data) ? waitLoop(sf, callStart, callEnd, messages, data.mailboxText) : undefined;
  if (loop !== undefined) {
    return action(`Add ${what} to the wait, handled in a loop until another message arrives`, [
      { range: { start: document.positionAt(loop.start), end: document.positionAt(loop.end) }, newText: loop.text },
    ]);
  }
  return action(`Add ${what} to the wait`, [argument]);
}

function removeDeadMailbox(input: FeatureInput, diagnostic: Diagnostic, data: DeadMailboxData): CodeAction {
  return {
    title: `Remove ${data.message} from the wait (it cannot arrive here)`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: edit(input.document.uri, [{ range: toRange(data.removalRange), newText: "" }]),
  };
}

/** Diagnostics as comparable keys (code and message: lines move when text is inserted). */
function findingKeys(diagnostics: readonly AnalysisDiagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.message}`);
}

function sendOwedReply(
  input: FeatureInput,
  diagnostic: Diagnostic,
  finding: AnalysisDiagnostic,
  data: OwedReplyData,
  env: CodeActionEnvironment,
): CodeAction | undefined {
  const candidates = replyCandidates(input, diagnostic.range, data);
  let chosen: ReplyCandidate | undefined = candidates.find((c) => c.needsCheck !== true);
  let preferred = true;
  if (env.verify !== undefined) {
    // The first place after which the analysis has neither this finding nor a new one; failing
    // that, the one that ends this finding with the fewest new ones (the protocol may demand
    // more than a send), offered but not preferred.
    const before = findingKeys(input.result.diagnostics);
    const fixed = `${finding.code} ${finding.message}`;
    const scored = candidates.map((candidate) => {
      const diagnostics = env.verify!(applyTextEdits(input, candidate.edits));
      const after = diagnostics === undefined ? [fixed] : findingKeys(diagnostics);
      return { candidate, ends: !after.includes(fixed), added: after.filter((k) => !before.includes(k)).length };
    });
    const clean = scored.find((s) => s.ends && s.added === 0);
    const partial = scored.filter((s) => s.ends).sort((a, b) => a.added - b.added)[0];
    chosen = clean?.candidate ?? partial?.candidate;
    preferred = clean !== undefined;
  }
  if (chosen === undefined) return undefined;
  return {
    title: `Send ${data.reply} (owed to ${listText(data.requests)}) ${chosen.where}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: edit(input.document.uri, chosen.edits),
  };
}

function applyTextEdits(input: FeatureInput, edits: TextEdit[]): string {
  return TextDocument.applyEdits(input.document, edits);
}

function convertToActive(input: FeatureInput, diagnostics: Diagnostic[], env: CodeActionEnvironment): CodeAction | undefined {
  if (!env.canCreateFiles) return undefined;
  const driver = driverAt(input.result, diagnostics[0]!.range.start);
  if (driver === undefined || driver.kind !== "passive") return undefined;
  const text = input.document.getText();
  const skeleton = activeSkeleton({ fileName: env.fileName, sourceFile: sourceFileOf(input.document), driver }, lineBreak(text), indentUnit(text));
  if (skeleton === undefined) return undefined;
  const target = skeletonFileName(env.fileName, env.fileExists);
  const uri = env.uriOf(target);
  return {
    title: `Convert to an active driver (new file ${target.split(/[\\/]/).pop()})`,
    kind: CodeActionKind.QuickFix,
    diagnostics,
    // It writes a new file rather than fixing this line: never applied as an automatic fix.
    isPreferred: false,
    edit: {
      documentChanges: [
        { kind: "create", uri, options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: skeleton }] },
      ],
    },
  };
}

/** Code actions for the client's diagnostics in the requested range (only ours are considered). */
export function codeActions(input: FeatureInput, diagnostics: readonly Diagnostic[], env: CodeActionEnvironment, only?: readonly string[]): CodeAction[] {
  const wanted = (kind: string): boolean => only === undefined || only.length === 0 || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  const passive: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== diagnosticSource) continue;
    const finding = findingFor(input, diagnostic);
    const data = finding?.data;
    let action: CodeAction | undefined;
    if (data?.kind === "missingMessages") action = addMissingMailboxes(input, diagnostic, data);
    else if (data?.kind === "deadMailbox") action = removeDeadMailbox(input, diagnostic, data);
    else if (data?.kind === "owedReply") action = sendOwedReply(input, diagnostic, finding!, data, env);
    else if (diagnostic.code === "AD010" || diagnostic.code === "AD011") passive.push(diagnostic);
    if (action !== undefined && wanted(CodeActionKind.QuickFix)) actions.push(action);
  }
  if (passive.length > 0 && wanted(CodeActionKind.QuickFix)) {
    const convert = convertToActive(input, passive, env);
    if (convert !== undefined) actions.push(convert);
  }
  return actions;
}
