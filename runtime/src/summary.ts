// Short, bounded text for a payload in the trace and the debugger: never the payload itself.

export function summarize(value: unknown, max: number): string | undefined {
  if (value === undefined) return undefined;
  const text = describe(value, 0);
  return text.length <= max ? text : text.slice(0, Math.max(0, max - 1)) + "…";
}

function describe(value: unknown, depth: number): string {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "string":
      return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
    case "undefined":
      return "undefined";
    case "function":
      return "function";
    case "symbol":
      return value.toString();
  }
  if (value === null) return "null";
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length ?? value.byteLength})`;
  if (value instanceof ArrayBuffer) return `ArrayBuffer(${value.byteLength})`;
  if (Array.isArray(value)) {
    if (depth > 0) return `[${value.length}]`;
    let out = "[";
    for (let i = 0; i < value.length && i < 8; i++) out += (i > 0 ? "," : "") + describe(value[i], depth + 1);
    return out + (value.length > 8 ? ",…]" : "]");
  }
  if (depth > 1) return "{…}";
  let out = "{";
  let n = 0;
  for (const key in value as Record<string, unknown>) {
    if (n === 8) {
      out += ",…";
      break;
    }
    out += (n++ > 0 ? "," : "") + key + ":" + describe((value as Record<string, unknown>)[key], depth + 1);
  }
  return out + "}";
}
