// Makes arbitrary values (device.inspect(), scenario summaries, errors) safe to post across the
// thread boundary and small enough to show: no functions, no cycles, bounded depth and length.

const MAX_DEPTH = 8;
const MAX_ITEMS = 256;
const MAX_BYTES = 64;

function hexBytes(bytes: Uint8Array): string {
  const shown = Array.from(bytes.subarray(0, MAX_BYTES), (b) => b.toString(16).padStart(2, "0")).join(" ");
  return bytes.length > MAX_BYTES ? `${bytes.length} bytes: ${shown} ...` : `${bytes.length} bytes: ${shown}`;
}

/** A structured-cloneable copy of `value`: plain objects, arrays, strings, numbers, booleans, null. */
export function toPlain(value: unknown, depth = 0, seen: Set<object> = new Set()): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "bigint":
      return `${value}n`;
    case "undefined":
      return undefined;
    case "function":
      return `[function ${value.name || "anonymous"}]`;
    case "symbol":
      return value.toString();
  }
  if (value === null) return null;
  const obj = value as object;
  if (obj instanceof Uint8Array) return hexBytes(obj);
  if (ArrayBuffer.isView(obj)) return `${obj.constructor.name}(${obj.byteLength} bytes)`;
  if (obj instanceof Error) return `${obj.name}: ${obj.message}`;
  if (obj instanceof Date) return obj.toISOString();
  if (seen.has(obj)) return "[circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? `[array of ${obj.length}]` : "[object]";
  seen.add(obj);
  try {
    if (Array.isArray(obj) || obj instanceof Set) {
      const items = [...(obj as Iterable<unknown>)];
      const out = items.slice(0, MAX_ITEMS).map((v) => toPlain(v, depth + 1, seen));
      if (items.length > MAX_ITEMS) out.push(`... ${items.length - MAX_ITEMS} more`);
      return out;
    }
    const entries = obj instanceof Map ? [...obj.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(obj);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, MAX_ITEMS)) {
      const plain = toPlain(v, depth + 1, seen);
      if (plain !== undefined) out[k] = plain;
    }
    if (entries.length > MAX_ITEMS) out["..."] = `${entries.length - MAX_ITEMS} more`;
    return out;
  } finally {
    seen.delete(obj);
  }
}
