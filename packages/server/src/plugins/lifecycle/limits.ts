// Resource limits of plugins: host-wide defaults (operator settings: config.json `pluginLimits`, env
// PAPERCLIP_PLUGIN_*), each overridable per plugin (PATCH /api/plugins/:id/settings {limits}). One definition
// of the names, ranges and defaults, used by the config loader, the settings route and the runtime.
// docs/plugin-operations.md ("Resource limits") describes them.
import { badRequest } from "../../errors.js";

export interface PluginLimits {
  /** Worker heap cap (`--max-old-space-size`), MB; 0 = no cap. Default 512. */
  memoryLimitMb: number;
  /** `onEvent` requests in flight per plugin; 1 = strictly one handler at a time. Default 64. */
  eventMaxInFlight: number;
  /** Log lines stored per plugin per minute; the excess is dropped and counted. Default 3 000. */
  logLinesPerMinute: number;
  /** Log bytes (message + meta) stored per plugin per minute; the excess is dropped and counted. Default 1 MiB. */
  logBytesPerMinute: number;
  /** Log lines per plugin per minute also written to the host's own log (within the stored ones). Default 300. */
  logMirrorLinesPerMinute: number;
  /** Stored log bytes kept per plugin; the oldest entries beyond it are deleted. Default 32 MiB. */
  logMaxStoredBytes: number;
}

export type PluginLimitOverrides = Partial<PluginLimits>;

export const DEFAULT_PLUGIN_LIMITS: Readonly<PluginLimits> = Object.freeze({
  memoryLimitMb: 512,
  eventMaxInFlight: 64,
  logLinesPerMinute: 3_000,
  logBytesPerMinute: 1024 * 1024,
  logMirrorLinesPerMinute: 300,
  logMaxStoredBytes: 32 * 1024 * 1024,
});

/** Allowed range of each limit (whole numbers). */
export const PLUGIN_LIMIT_RANGES: Readonly<Record<keyof PluginLimits, readonly [number, number]>> = {
  memoryLimitMb: [0, 65_536],
  eventMaxInFlight: [1, 1_024],
  logLinesPerMinute: [1, 10_000_000],
  logBytesPerMinute: [1_024, 1024 * 1024 * 1024],
  logMirrorLinesPerMinute: [0, 10_000_000],
  logMaxStoredBytes: [64 * 1024, 1024 * 1024 * 1024 * 1024],
};

/** Environment variable of each host-wide default. */
export const PLUGIN_LIMIT_ENV: Readonly<Record<keyof PluginLimits, string>> = {
  memoryLimitMb: "PAPERCLIP_PLUGIN_MEMORY_LIMIT_MB",
  eventMaxInFlight: "PAPERCLIP_PLUGIN_EVENT_MAX_IN_FLIGHT",
  logLinesPerMinute: "PAPERCLIP_PLUGIN_LOG_LINES_PER_MINUTE",
  logBytesPerMinute: "PAPERCLIP_PLUGIN_LOG_BYTES_PER_MINUTE",
  logMirrorLinesPerMinute: "PAPERCLIP_PLUGIN_LOG_MIRROR_LINES_PER_MINUTE",
  logMaxStoredBytes: "PAPERCLIP_PLUGIN_LOG_MAX_STORED_BYTES",
};

export const PLUGIN_LIMIT_NAMES = Object.keys(DEFAULT_PLUGIN_LIMITS) as Array<keyof PluginLimits>;

/**
 * Check a set of limits (all optional); returns the message of the first bad one, or null. Numbers given as
 * strings (environment) are accepted when `coerce` is set.
 */
export function checkPluginLimits(
  input: unknown,
  where: string,
  coerce = false,
): { limits: PluginLimitOverrides; error: null } | { limits: null; error: string } {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    return {
      limits: null,
      error: `${where} must be an object with any of: ${PLUGIN_LIMIT_NAMES.join(", ")}`,
    };
  }
  const checked: PluginLimitOverrides = {};
  for (const [name, raw] of Object.entries(input)) {
    if (!Object.hasOwn(DEFAULT_PLUGIN_LIMITS, name)) {
      return {
        limits: null,
        error: `${where}: unknown limit "${name}" (known: ${PLUGIN_LIMIT_NAMES.join(", ")})`,
      };
    }
    if (raw === undefined) continue;
    const key = name as keyof PluginLimits;
    const value = coerce && typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    const [min, max] = PLUGIN_LIMIT_RANGES[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      return {
        limits: null,
        error: `${where}.${key} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
      };
    }
    checked[key] = value;
  }
  return { limits: checked, error: null };
}

/** The per-plugin overrides of PATCH /settings, or a 400 naming the bad one. */
export function validatePluginLimits(input: unknown): PluginLimitOverrides {
  const result = checkPluginLimits(input, "limits");
  if (result.error !== null) throw badRequest(result.error, { field: "limits" });
  return result.limits;
}

/** Host-wide defaults from the environment (unset variables are left out). */
export function pluginLimitsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of PLUGIN_LIMIT_NAMES) {
    const value = env[PLUGIN_LIMIT_ENV[name]];
    if (value !== undefined && value !== "") picked[name] = value;
  }
  return picked;
}

/** What applies to one plugin: its overrides over the host's defaults. */
export function effectivePluginLimits(
  hostDefaults: Partial<PluginLimits> | undefined,
  overrides: PluginLimitOverrides | null | undefined,
): PluginLimits {
  return { ...DEFAULT_PLUGIN_LIMITS, ...hostDefaults, ...overrides };
}
