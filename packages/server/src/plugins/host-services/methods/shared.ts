// Small helpers the namespace files share: schema pieces, "not found → null", ownership checks, the plugin log
// writer, and the one narrowing the SDK's record types need from the domain's.

import { PLUGIN_STATE_SCOPE_KINDS as STATE_SCOPE_KINDS } from "@paperclipai/plugin-sdk/types";
import { DomainError } from "../../../errors.js";
import { findJsonProblem, storableJson, storableText } from "../../../json-values.js";
import { enumOf, int, LIMITS, nonEmpty, str } from "../../../schema/schema-helpers.js";
import type { PluginLogLevel } from "../../logs/log-service.js";
import { type ManagedCaller, ManagedDeclarationError } from "../../managed/index.js";
import type { HostCall } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import { callFailed, invalidParams, scopeDenied } from "../errors.js";
import { UNKNOWN_INVOCATION } from "../scope.js";
import type { WorkerLogLevel } from "../sinks.js";

export const id = nonEmpty(LIMITS.key);
export const text = (max: number = LIMITS.text) => str(max);
export const optionalText = (max: number = LIMITS.text) => ({ type: ["string", "null"], maxLength: max });
export const page = { limit: int(1, 10_000), offset: int(0, 10_000_000) };
export const jsonObject = { type: "object" };
export const nullableObject = { type: ["object", "null"] };
export const idList = (maxItems = 100) => ({ type: "array", items: id, maxItems });
/** State and entity scope kinds. */
export const scopeKindSchema = enumOf(STATE_SCOPE_KINDS);

/** Stored state values and entity data are JSON; a value this large belongs in the plugin's own storage. */
export const MAX_STATE_VALUE_CHARS = 4 * 1024 * 1024;

/** The value, or null when the service says the record does not exist. */
export async function orNull<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") return null;
    throw error;
  }
}

/** A record named by id must belong to the company the call names; otherwise it does not exist for the call. */
export function ownedBy<T extends { companyId: string }>(record: T | null, companyId: string): T | null {
  return record && record.companyId === companyId ? record : null;
}

/** Like ownedBy, but a missing record is an error naming what was looked for. */
export function requireOwned<T extends { companyId: string }>(
  call: HostCall,
  record: T | null,
  companyId: string,
  what: string,
  recordId: string,
): T {
  const owned = ownedBy(record, companyId);
  if (!owned) throw callFailed(call.method, `${what} "${recordId}" not found in company "${companyId}"`);
  return owned;
}

/** An echoed invocation id the host does not know is refused before any company is chosen. */
export function refuseUnknownInvocation(call: HostCall): void {
  if (call.scope.kind === "invalid")
    throw scopeDenied(call.plugin.pluginKey, call.method, UNKNOWN_INVOCATION);
}

function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** A params string the schema already limited to `values` (the contract types it as any string). */
export function paramEnum<T extends string>(
  call: HostCall,
  field: string,
  value: string,
  values: readonly T[],
): T {
  if (isOneOf(values, value)) return value;
  throw invalidParams(call.method, `params.${field} must be one of ${values.join(", ")}`);
}

/** Like paramEnum, for an optional field. */
export function optionalParamEnum<T extends string>(
  call: HostCall,
  field: string,
  value: string | undefined,
  values: readonly T[],
): T | undefined {
  return value === undefined ? undefined : paramEnum(call, field, value, values);
}

/**
 * A stored enum column typed as the SDK's union. The domain keeps these columns as text but writes them only
 * from its own list of values (`values`: the compiler checks at the call site that they are among the SDK's),
 * so this narrows the type without changing the value: a row from a newer host passes through as it always did.
 */
export function storedEnum<T extends string>(value: string, _values: readonly T[]): T {
  return value as T;
}

/** Like storedEnum, for nullable columns. */
export function storedEnumOrNull<T extends string>(value: string | null, values: readonly T[]): T | null {
  return value === null ? null : storedEnum(value, values);
}

/**
 * Why a company, project or agent is paused: the domain has no list; these are the SDK's values. One value the
 * host writes is outside them: an agent paused through ctx.agents.pause carries `plugin:<pluginKey>`.
 */
export const PAUSE_REASONS = ["manual", "budget", "system", "company_archived", "import"] as const;

export const WORKER_LOG_LEVELS: readonly WorkerLogLevel[] = ["info", "warn", "error", "debug"];

/** Write one plugin log entry (redacted) and mirror worker log levels to the host log. */
export function writePluginLog(
  deps: HostServiceDeps,
  plugin: { pluginId: string; pluginKey: string },
  entry: {
    level: PluginLogLevel;
    message: string;
    meta?: Record<string, unknown> | null;
    companyId?: string | null;
  },
): void {
  const redactor = deps.secrets.redactorFor(plugin.pluginId);
  // A log line cannot be refused (notifications have no answer): what PostgreSQL cannot store (NUL, lone
  // surrogates, nesting past 64 levels) is replaced instead of failing the batch it is written with.
  const message = storableText(redactor.redact(entry.message));
  const meta = entry.meta
    ? redactor.empty && findJsonProblem(entry.meta) === null
      ? entry.meta
      : storableJson(entry.meta, (text) => redactor.redact(text))
    : null;
  // The log service applies the plugin's caps, and mirrors debug…error lines to the host log within its own cap.
  deps.logs.append(
    { pluginId: plugin.pluginId, companyId: entry.companyId ?? null, level: entry.level, message, meta },
    { pluginKey: plugin.pluginKey },
  );
}

/** Who asks for a plugin-managed project or agent (projects.managed.*, agents.managed.*). */
export function managedCaller(call: HostCall): ManagedCaller {
  return {
    pluginId: call.plugin.pluginId,
    pluginKey: call.plugin.pluginKey,
    manifest: call.plugin.manifest,
    actor: call.actor,
  };
}

/** A managed-resource operation; a key the manifest does not declare is an error of the call. */
export async function managedCall<T>(call: HostCall, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ManagedDeclarationError) throw callFailed(call.method, error.message);
    throw error;
  }
}
