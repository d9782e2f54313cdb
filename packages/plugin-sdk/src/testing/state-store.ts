import { PLUGIN_STATE_SCOPE_KINDS } from "../constants.js";
import type { ScopeKey } from "../types/index.js";
import {
  describeValue,
  jsonRoundTrip,
  requireNonEmptyString,
  requireOneOf,
  requirePlainObject,
} from "./validate.js";

/**
 * Plugin state the way the host keeps it: one value per
 * (scopeKind, scopeId, namespace, stateKey), namespace defaulting to "default", values
 * stored as JSON (null is a real value, distinct from "never set").
 */
export class InMemoryStateStore {
  private readonly values = new Map<string, unknown>();

  /** The key string of the published harness, so a plugin's own assertions on it keep working. */
  static keyOf(input: ScopeKey): string {
    return `${input.scopeKind}|${input.scopeId ?? ""}|${input.namespace ?? "default"}|${input.stateKey}`;
  }

  get(input: ScopeKey, where: string): unknown {
    const key = InMemoryStateStore.keyOf(validateScopeKey(input, where));
    return this.values.has(key) ? this.values.get(key) : null;
  }

  set(input: ScopeKey, value: unknown, where: string): void {
    const key = InMemoryStateStore.keyOf(validateScopeKey(input, where));
    this.values.set(key, jsonRoundTrip(value, `${where}: value`));
  }

  delete(input: ScopeKey, where: string): void {
    this.values.delete(InMemoryStateStore.keyOf(validateScopeKey(input, where)));
  }

  /** Raw read for assertions: `undefined` when never set, so a stored `null` is visible as such. */
  peek(input: ScopeKey): unknown {
    return this.values.get(InMemoryStateStore.keyOf(validateScopeKey(input, "harness.getState")));
  }
}

/** The host's `pluginStateScopeKeySchema` rules, with messages naming the offending field. */
export function validateScopeKey(input: unknown, where: string): ScopeKey {
  const key = requirePlainObject(input, `${where}: scope key`);
  requireOneOf(key.scopeKind, PLUGIN_STATE_SCOPE_KINDS, `${where}: scopeKind`);
  requireNonEmptyString(key.stateKey, `${where}: stateKey`);
  for (const field of ["scopeId", "namespace"] as const) {
    const value = key[field];
    if (value !== undefined && (typeof value !== "string" || value.length === 0)) {
      throw new TypeError(
        `${where}: ${field} must be a non-empty string when present (got ${describeValue(value)})`,
      );
    }
  }
  return key as unknown as ScopeKey;
}
