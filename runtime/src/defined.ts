// Optional properties stay absent rather than present and undefined. The difference shows: a
// spread `{ ...defaults, ...options }` overwrites a default with an undefined member, `in` and
// Object.keys see the key, and structured clone (worker messages) carries it. The one way the code
// writes an object with optional members: `{ name, ...defined({ loc, seed }) }`.

/** `fields` without its undefined members. */
export function defined<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}
