// Conditions on exception filters ("Protocol violations", "Driver errors"): JavaScript over the fault,
// in the breakpoint sandbox, with the names a breakpoint condition has: `kind` is the fault
// ("illegal-send", "unhandled", "unwaited", or the error's kind), `name`/`mailbox` the message,
// `thread`, `state`, `time`, `seq`, `summary` the fault's text; `m` and `msg` are undefined. The
// worker evaluates them live and the adapter again for reverse continue: they see the event only.
import type { TraceEvent } from "active-driver";
import { threadOf, type ExceptionTest } from "./stops";
import type { MessageFacts, Sandbox } from "./worker/sandbox";
import { defined } from "../../../runtime/src/defined";

/** What a condition sees of a fault event. */
export function faultFacts(event: TraceEvent): MessageFacts {
  return {
    name: event.mailbox ?? "",
    payload: undefined,
    state: event.state ?? "",
    thread: threadOf(event) ?? "",
    from: event.from,
    ...defined({ to: event.to }),
    seq: event.seq,
    time: event.time,
    kind: event.fault ?? "fault",
    position: -1,
    summary: event.detail ?? "",
  };
}

/** An ExceptionTest over `sandbox`: a condition that fails to evaluate stops, saying why. */
export function exceptionTest(sandbox: () => Sandbox): ExceptionTest {
  return (condition, event) => {
    const outcome = sandbox().condition(condition, () => faultFacts(event));
    if (outcome.ok) return { holds: Boolean(outcome.value) };
    return { holds: true, note: `condition ${JSON.stringify(condition)} ${outcome.timedOut ? "ran too long" : `failed: ${outcome.error}`}` };
  };
}
