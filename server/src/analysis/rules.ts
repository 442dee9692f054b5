// The rule table of DESIGN.md ("Analysis rules"): code, severity, a short name and help text.
// The CLI's SARIF output and the language server's code descriptions read it from here.
import type { DiagnosticCode, Severity } from "./types";

export interface RuleInfo {
  code: DiagnosticCode;
  severity: Severity;
  /** PascalCase name (SARIF `name`). */
  name: string;
  /** One sentence. */
  title: string;
  /** What the rule checks and how to fix a finding. */
  help: string;
}

export const rules: readonly RuleInfo[] = [
  {
    code: "AD001",
    severity: "error",
    name: "MissingWaitMailbox",
    title: "A protocol wait does not accept a message that can arrive in the current protocol state.",
    help: "In each protocol state a driver must wait on every incoming message that the state's row enables (or leave it to another thread that waits on it). Add the missing mailbox to the wait and handle it, even if only to ignore it.",
  },
  {
    code: "AD002",
    severity: "warning",
    name: "ImpossibleWaitMailbox",
    title: "A wait includes a protocol mailbox whose message cannot arrive in any state that holds there.",
    help: "The protocol enables this message in none of the states the driver can be in at this wait, so the mailbox never delivers here. Remove it, or check that the driver is in the state you expect.",
  },
  {
    code: "AD003",
    severity: "error",
    name: "ReplyOwed",
    title: "A request's reply is still owed when the driver waits for new requests or its thread ends.",
    help: "A request declared with `reply:` blocks its caller until the driver sends that reply. Send the reply before the next protocol wait (inner waits on the device are fine) and before the thread ends.",
  },
  {
    code: "AD004",
    severity: "error",
    name: "IllegalSend",
    title: "The driver sends an outgoing message the protocol does not allow in the current state.",
    help: "Each state's row lists the outgoing messages the driver may send in it. Send the message only in a state that allows it, or fix the protocol.",
  },
  {
    code: "AD010",
    severity: "warning",
    name: "StackRipping",
    title: "Passive driver: state carried across entry points in a variable (stack ripping).",
    help: "A variable written in one entry point and tested in another's control flow encodes the driver's control flow in data. An active driver keeps this sequence in its code: one thread, one wait per state.",
  },
  {
    code: "AD011",
    severity: "warning",
    name: "CallbackContinuation",
    title: "Passive driver: an entry point continues its work in a callback.",
    help: "Deferring work (k.schedule, setTimeout, queueMicrotask, .then) splits one operation across threads that must re-check shared state. In an active driver the same work is a wait on the device in straight-line code.",
  },
  {
    code: "AD012",
    severity: "information",
    name: "FlagVariable",
    title: "Active driver: a flag set in one message's handler and tested in another's after a later wait.",
    help: "The flag encodes control flow the sequential code can hold: after the first message, wait in a new place (a loop or helper) for the messages that follow instead of remembering it in a variable.",
  },
  {
    code: "AD013",
    severity: "warning",
    name: "ForeignAwait",
    title: "Active driver code awaits something other than wait, sleep or an analysable driver helper.",
    help: "Only `wait` and `sleep` yield in a cooperative domain; awaiting a timer, an I/O promise or any other foreign promise lets other threads run in the middle of a handler. Use `d.sleep(ms)` or wait on a mailbox.",
  },
  {
    code: "AD020",
    severity: "error",
    name: "ProtocolSpec",
    title: "Protocol spec error: unknown message or state, a reply that is not an out message, a missing initial state, or an unreachable state (warning).",
    help: "Every row key must be a message, every target a state, every `reply:` an outgoing message, and `initial` a state; every state should be reachable from the initial one.",
  },
  {
    code: "AD030",
    severity: "warning",
    name: "UnboundedRegisterPoll",
    title: "A loop whose exit depends only on device register reads, with no bound.",
    help: "A dead or unplugged device (reads return all ones) never changes the register, and the loop never ends. Bound the loop with a counter or a timeout, or wait for the device's interrupt.",
  },
  {
    code: "AD090",
    severity: "warning",
    name: "AnalysisLimit",
    title: "Part of the input is over a limit of the analysis: findings that depend on it are missing.",
    help: "The analysis reads only regular files of at most 4 MB (an import of a FIFO, a device or a larger file is not followed: a warning on the import) and takes on at most 500 levels of syntax nesting (a deeper file is not analysed: an error on the file, and `check` exits with status 2). Import a regular source file; split deeply nested code into functions.",
  },
];

const byCode = new Map(rules.map((rule) => [rule.code, rule]));

export function ruleInfo(code: DiagnosticCode): RuleInfo {
  return byCode.get(code)!;
}
