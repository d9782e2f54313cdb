/**
 * Argument checks for harness and ctx calls. The real host validates every worker→host
 * request; the harness does the same so a plugin bug surfaces in its unit tests with a
 * message that names the method and the argument, instead of as a confusing result.
 */

export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return value === "" ? "an empty string" : `the string ${JSON.stringify(value)}`;
  return `${typeof value === "object" ? "an" : "a"} ${typeof value}`;
}

/** `where` reads like `ctx.issues.get: issueId`, so the message names method and argument. */
export function requireNonEmptyString(value: unknown, where: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${where} must be a non-empty string (got ${describeValue(value)})`);
  }
  return value;
}

export function optionalNonEmptyString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireNonEmptyString(value, where);
}

export function requireFunction<T extends (...args: never[]) => unknown>(value: unknown, where: string): T {
  if (typeof value !== "function") {
    throw new TypeError(`${where} must be a function (got ${describeValue(value)})`);
  }
  return value as T;
}

export function requirePlainObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object (got ${describeValue(value)})`);
  }
  return value as Record<string, unknown>;
}

export function optionalPlainObject(value: unknown, where: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  return requirePlainObject(value, where);
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new TypeError(`${where} must be one of ${allowed.join(", ")} (got ${describeValue(value)})`);
  }
  return value as T;
}

export function requireStringArray(value: unknown, where: string): string[] {
  if (!Array.isArray(value))
    throw new TypeError(`${where} must be an array of ids (got ${describeValue(value)})`);
  return value.map((item, index) => requireNonEmptyString(item, `${where}[${index}]`));
}

/** Pagination the way the host applies it: offset first, then limit; both non-negative integers. */
export function paginate<T>(
  rows: T[],
  input: { limit?: unknown; offset?: unknown } | undefined,
  where: string,
): T[] {
  const offset = input?.offset ?? 0;
  const limit = input?.limit;
  if (!Number.isInteger(offset) || (offset as number) < 0) {
    throw new TypeError(`${where}: offset must be a non-negative integer (got ${describeValue(offset)})`);
  }
  if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || (limit as number) < 0)) {
    throw new TypeError(`${where}: limit must be a non-negative integer (got ${describeValue(limit)})`);
  }
  const start = offset as number;
  return limit === undefined || limit === null
    ? rows.slice(start)
    : rows.slice(start, start + (limit as number));
}

/**
 * Values cross the real host as JSON; cloning through JSON here gives plugin tests the
 * same behaviour (a Date becomes a string, later mutation of the caller's object does not
 * leak into the store) and rejects what the wire cannot carry.
 */
export function jsonRoundTrip<T>(value: T, where: string): T {
  if (value === undefined) return null as T;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`${where} must be JSON-serializable: ${(error as Error).message}`);
  }
  if (text === undefined)
    throw new TypeError(`${where} must be JSON-serializable (got ${describeValue(value)})`);
  return JSON.parse(text) as T;
}

/** Free text that may be absent or null (descriptions, notes): any string, including "". */
export function optionalText(value: unknown, where: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string")
    throw new TypeError(`${where} must be a string or null (got ${describeValue(value)})`);
  return value;
}
