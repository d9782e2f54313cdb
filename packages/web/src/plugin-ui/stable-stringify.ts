// Deterministic JSON text of a value (object keys sorted at every depth), so hook dependencies such as
// `usePluginData(key, params)` compare by content, not by object identity: `{a: 1, b: 2}` and `{b: 2, a: 1}`
// written inline on every render are the same request.

/** JSON with sorted keys; `undefined` members are dropped as JSON does; cycles become `"[Circular]"`. */
export function stableStringify(value: unknown): string {
  return write(value, new Set()) ?? "null";
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      return JSON.stringify(value.toString());
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "string":
    case "boolean":
      return JSON.stringify(value);
  }
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === "function") return write(object.toJSON(), seen);
  if (seen.has(object)) return '"[Circular]"';
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => write(item, seen) ?? "null").join(",")}]`;
    const parts: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const text = write((object as Record<string, unknown>)[key], seen);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(",")}}`;
  } finally {
    seen.delete(object);
  }
}
