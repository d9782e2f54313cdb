/**
 * Log `meta` goes to the host as JSON, where an `Error` would become `{}` (its message and stack are not
 * enumerable). Errors anywhere in the meta are sent as `{name, message, stack, cause?, …own fields}`; meta
 * without errors is sent exactly as given.
 */

const MAX_DEPTH = 8;

function containsError(value: unknown, depth: number, seen: Set<object>): boolean {
  if (value instanceof Error) return true;
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH || seen.has(value)) return false;
  seen.add(value);
  const children = Array.isArray(value) ? value : Object.values(value);
  return children.some((child) => containsError(child, depth + 1, seen));
}

function plainError(error: Error, depth: number, seen: Set<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  for (const [key, child] of Object.entries(error)) out[key] = convert(child, depth + 1, seen);
  if ("cause" in error && error.cause !== undefined) out.cause = convert(error.cause, depth + 1, seen);
  return out;
}

function convert(value: unknown, depth: number, seen: Set<object>): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_DEPTH) return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  try {
    if (value instanceof Error) return plainError(value, depth, seen);
    if (Array.isArray(value)) return value.map((item) => convert(item, depth + 1, seen));
    // Objects with their own JSON form (Date, …) and class instances other than errors stay as they are.
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key] = convert(child, depth + 1, seen);
    return out;
  } finally {
    seen.delete(value);
  }
}

/** `meta` with every Error made serialisable; the very same object when it holds none. */
export function serialisableLogMeta<T>(meta: T): T {
  if (!containsError(meta, 0, new Set())) return meta;
  return convert(meta, 0, new Set()) as T;
}
