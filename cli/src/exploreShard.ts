// `explore --shard i/n`: one machine's share of an exploration, so that a CI matrix of n jobs
// splits one plan between them. The split is deterministic and needs no coordination: the plan
// is cut into rounds (explore's: one run of every scenario with the same seed) and round r goes to
// shard (r mod n) + 1, so every shard runs every scenario, shares differ by at most one round, and
// together the shards run the plan exactly once.
import { UsageError } from "./usage";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses "i/n" (1 <= i <= n); anything else is a UsageError that says what is expected. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new UsageError(`--shard: expected i/n (this machine's share, e.g. 2/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new UsageError(`--shard: ${text}: i must be between 1 and n, and n at least 1`);
  return { index, count };
}

/** Whether run `k` (0-based, in plan order) is this shard's, with rounds of `roundSize` runs. For plans made one run at a time. */
export function inShard(k: number, shard: Shard | undefined, roundSize = 1): boolean {
  return shard === undefined || Math.floor(k / Math.max(1, roundSize)) % shard.count === shard.index - 1;
}

/** This shard's runs of `plan`, in plan order. */
export function shardPlan<T>(plan: readonly T[], shard: Shard | undefined, roundSize = 1): T[] {
  return plan.filter((_, k) => inShard(k, shard, roundSize));
}
