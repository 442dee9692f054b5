// The last exploration's coverage, read for drawing: how often each (state, message) pair was
// delivered or sent, and the enabled pairs no run reached. Pure; report fields are checked, since
// the report comes from another process.
import type { CoverageMessage, StateMessage } from "../../shared/messages";

export interface MachineCoverage {
  /** Times `message` was delivered or sent in `state` over all runs (0: never, or not reported). */
  count(state: string, message: string): number;
  isUnreached(state: string, message: string): boolean;
  /** Pairs covered at least once. */
  pairs: number;
  /** Well-formed unreached pairs, in report order. */
  unreached: StateMessage[];
}

const key = (state: string, message: string): string => JSON.stringify([state, message]);

function isPair(value: unknown): value is StateMessage {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.state === "string" && typeof v.message === "string";
}

export function coverageOf(message: Pick<CoverageMessage, "transitions" | "unreached">): MachineCoverage {
  const counts = new Map<string, number>();
  for (const t of message.transitions) {
    if (!isPair(t)) continue;
    const count = typeof t.count === "number" && Number.isFinite(t.count) && t.count > 0 ? t.count : 0;
    if (count > 0) counts.set(key(t.state, t.message), (counts.get(key(t.state, t.message)) ?? 0) + count);
  }
  const unreached = message.unreached.filter(isPair).map((p) => ({ state: p.state, message: p.message }));
  const missing = new Set(unreached.map((p) => key(p.state, p.message)));
  return {
    count: (state, msg) => counts.get(key(state, msg)) ?? 0,
    isUnreached: (state, msg) => missing.has(key(state, msg)),
    pairs: counts.size,
    unreached,
  };
}
