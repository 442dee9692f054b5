// Records of tagged frames by their tag (stream, sequence number), for the OS's accounting. The
// keys are dense per stream (0, 1, 2, ...), so an array per stream serves them; a Map keyed by
// stream * 2^32 + seq hashed a heap number on every lookup, once or twice per frame.

/** Sequence numbers past this go to the Map (a stray tag must not grow an array to 4 GB). */
const DENSE_LIMIT = 1 << 20;

export class TaggedFrames<T> {
  private readonly dense: (T | undefined)[][] = [];
  private readonly sparse = new Map<number, T>();

  get(stream: number, seq: number): T | undefined {
    if (seq < DENSE_LIMIT) return this.dense[stream]?.[seq];
    return this.sparse.get(stream * 0x100000000 + seq);
  }

  set(stream: number, seq: number, value: T): void {
    if (seq < DENSE_LIMIT) (this.dense[stream] ??= [])[seq] = value;
    else this.sparse.set(stream * 0x100000000 + seq, value);
  }

  *values(): IterableIterator<T> {
    for (const list of this.dense) if (list !== undefined) for (const v of list) if (v !== undefined) yield v;
    yield* this.sparse.values();
  }
}
