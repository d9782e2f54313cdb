// Host configuration: defaults < config.json in the instance folder < environment < command-line flags.
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import { type BackupSchedule, DEFAULT_BACKUP_KEEP, parseBackupSchedule } from "./backup/schedule-setting.js";
import { parseAllowedScopes } from "./plugins/installer/scope-policy.js";
import {
  checkPluginLimits,
  DEFAULT_PLUGIN_LIMITS,
  type PluginLimits,
  pluginLimitsFromEnv,
} from "./plugins/lifecycle/limits.js";

export const DEFAULT_PORT = 3100;
export const DEFAULT_HOST = "127.0.0.1";
export const CONFIG_FILE_NAME = "config.json";
/**
 * local_trusted: no login, loopback only (the caller is the instance admin). authenticated: people sign in
 * (docs/authentication.md); required to bind any other address.
 */
export const DEPLOYMENT_MODES = ["local_trusted", "authenticated"] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

export interface HostConfig {
  port: number;
  host: string;
  /** the instance folder: config file, embedded database, lock */
  dataDir: string;
  /** set: a real PostgreSQL server; null: embedded PGlite in dataDir/db */
  databaseUrl: string | null;
  deploymentMode: (typeof DEPLOYMENT_MODES)[number];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  bodyLimitBytes: number;
  /** seed a demo company on first start */
  seedDemo: boolean;
  /**
   * Extra host names (besides the bind address and loopback names) that requests may carry in their Host and Origin
   * headers: a reverse proxy's or tunnel's public name. Everything else is refused (DNS-rebinding protection).
   */
  allowedHostnames: string[];
  /**
   * The built board (Vite output with index.html) served at `/`; null: packages/web/dist of this repository.
   * Env PAPERCLIP_WEB_DIR, or `webDir` in config.json.
   */
  webDir: string | null;
  /**
   * Resource limits every plugin gets unless its own settings override them: worker heap, event concurrency,
   * log rate and size caps (docs/plugin-operations.md). `pluginLimits` in config.json, env PAPERCLIP_PLUGIN_*.
   */
  pluginLimits: PluginLimits;
  /**
   * Plugin workers run in the sandbox (docs/sandbox.md). On by default; off only to debug a plugin (logged loudly).
   * Env PAPERCLIP_PLUGIN_SANDBOX=off, or `pluginSandbox: "off"` in config.json.
   */
  pluginSandbox: boolean;
  /**
   * npm scopes plugin packages may come from (`@acme`, or `unscoped` for names without a scope); null: any package.
   * Env PAPERCLIP_PLUGIN_ALLOWED_SCOPES (comma-separated), or `pluginAllowedScopes` in config.json (docs/supply-chain.md).
   */
  pluginAllowedScopes: string[] | null;
  /**
   * The URL people open the board at (authenticated mode: the origin cookie-authenticated writes must come from, and
   * whether session cookies are Secure). Null: the request's own address (Host header, checked by the host guard).
   * Env PAPERCLIP_PUBLIC_URL, `publicUrl` in config.json, or --public-url.
   */
  publicUrl: string | null;
  /**
   * Signs session cookies (authenticated mode). Env PAPERCLIP_AUTH_SECRET only (never config.json); null: generated
   * once into <dataDir>/auth-secret (mode 0600) and read from there afterwards.
   */
  authSecret: string | null;
  /**
   * This node's name among the host nodes sharing one PostgreSQL (docs/scale-out.md): leases, heartbeats and the
   * nodes page use it. Null: `<hostname>:<port>`, stable across restarts of the same node. Env PAPERCLIP_NODE_ID,
   * `nodeId` in config.json, or --node-id.
   */
  nodeId: string | null;
  /**
   * Scheduled backups of the embedded database (docs/backups.md): an interval ("6h") or a cron expression (UTC);
   * null: none. Env PAPERCLIP_BACKUP_SCHEDULE, or `backupSchedule` in config.json.
   */
  backupSchedule: BackupSchedule | null;
  /** How many scheduled backups are kept (default 7). Env PAPERCLIP_BACKUP_KEEP, or `backupKeep` in config.json. */
  backupKeep: number;
  /** the config file that was read, if any */
  configFile: string | null;
}

/** Settings as they may appear in flags, env or the config file (all optional). */
export interface ConfigInput {
  port?: number | string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  deploymentMode?: string;
  logLevel?: string;
  bodyLimitBytes?: number | string;
  seedDemo?: boolean | string;
  /** a list, or a comma-separated string (env PAPERCLIP_ALLOWED_HOSTNAMES) */
  allowedHostnames?: string[] | string;
  webDir?: string;
  pluginLimits?: Partial<Record<keyof PluginLimits, number | string>>;
  /** on/off (env PAPERCLIP_PLUGIN_SANDBOX) */
  pluginSandbox?: boolean | string;
  /** a list, or a comma-separated string (env PAPERCLIP_PLUGIN_ALLOWED_SCOPES) */
  pluginAllowedScopes?: string[] | string | null;
  publicUrl?: string | null;
  authSecret?: string | null;
  nodeId?: string | null;
  backupSchedule?: string | null;
  backupKeep?: number | string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

const boolish = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);
const configSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .nullable(),
  deploymentMode: z.enum(DEPLOYMENT_MODES, {
    error: `must be one of ${DEPLOYMENT_MODES.join(", ")}`,
  }),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024),
  seedDemo: boolish,
  allowedHostnames: z
    .union([z.array(z.string()), z.string().transform((text) => text.split(","))])
    .transform((names) => names.map((name) => name.trim().toLowerCase()).filter((name) => name !== ""))
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[a-z0-9.:[\]-]+$/,
            "each entry must be a bare host name such as board.example.com (no scheme, no port)",
          ),
      ),
    ),
  webDir: z.string().min(1).nullable(),
  pluginLimits: z.unknown().transform((value, ctx): PluginLimits => {
    const checked = checkPluginLimits(value, "pluginLimits", true);
    if (checked.error !== null) {
      ctx.addIssue({ code: "custom", message: checked.error });
      return z.NEVER;
    }
    return { ...DEFAULT_PLUGIN_LIMITS, ...checked.limits };
  }),
  nodeId: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, "must be 1-63 letters, digits, '.', '_', ':' or '-'")
    .nullable(),
  publicUrl: z
    .string()
    .transform((text) => text.trim().replace(/\/+$/, ""))
    .pipe(
      z
        .string()
        .regex(
          /^https?:\/\/[^/?#\s]+$/,
          "must be an http:// or https:// origin such as https://board.example.com (no path)",
        ),
    )
    .nullable(),
  authSecret: z
    .string()
    .min(32, "must be at least 32 characters (for example `openssl rand -hex 32`)")
    .nullable(),
  backupSchedule: z
    .string()
    .transform((text, ctx): BackupSchedule | null => {
      if (text.trim() === "" || text.trim() === "off") return null;
      try {
        return parseBackupSchedule(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    })
    .nullable(),
  backupKeep: z.coerce.number().int().min(1, "must keep at least 1 backup").max(10_000),
  pluginSandbox: z
    .union([z.boolean(), z.enum(["on", "off", "true", "false", "1", "0"])], {
      error: 'must be "on" or "off"',
    })
    .transform((value) => value === true || value === "on" || value === "true" || value === "1"),
  pluginAllowedScopes: z.unknown().transform((value, ctx): string[] | null => {
    if (value === null || value === undefined) return null;
    if (
      typeof value !== "string" &&
      !(Array.isArray(value) && value.every((item) => typeof item === "string"))
    ) {
      ctx.addIssue({ code: "custom", message: "must be a list of npm scopes, or a comma-separated string" });
      return z.NEVER;
    }
    try {
      return parseAllowedScopes(value);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
});

/** The instance folder: --data-dir, else $PAPERCLIP_HOME/instances/<PAPERCLIP_INSTANCE_ID or default>. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.PAPERCLIP_HOME || join(homedir(), ".paperclip");
  return join(home, "instances", env.PAPERCLIP_INSTANCE_ID || "default");
}

export function envConfig(env: NodeJS.ProcessEnv = process.env): ConfigInput {
  const picked: ConfigInput = {
    port: env.PAPERCLIP_PORT ?? env.PORT,
    host: env.PAPERCLIP_BIND ?? env.HOST,
    databaseUrl: env.DATABASE_URL,
    deploymentMode: env.PAPERCLIP_DEPLOYMENT_MODE,
    logLevel: env.PAPERCLIP_LOG_LEVEL,
    bodyLimitBytes: env.PAPERCLIP_BODY_LIMIT_BYTES,
    seedDemo: env.PAPERCLIP_SEED_DEMO,
    allowedHostnames: env.PAPERCLIP_ALLOWED_HOSTNAMES,
    webDir: env.PAPERCLIP_WEB_DIR,
    pluginLimits: pluginLimitsFromEnv(env),
    pluginSandbox: env.PAPERCLIP_PLUGIN_SANDBOX,
    pluginAllowedScopes: env.PAPERCLIP_PLUGIN_ALLOWED_SCOPES,
    publicUrl: env.PAPERCLIP_PUBLIC_URL,
    authSecret: env.PAPERCLIP_AUTH_SECRET,
    nodeId: env.PAPERCLIP_NODE_ID,
    backupSchedule: env.PAPERCLIP_BACKUP_SCHEDULE,
    backupKeep: env.PAPERCLIP_BACKUP_KEEP,
  };
  return Object.fromEntries(
    Object.entries(picked).filter(([, v]) => v !== undefined && v !== ""),
  ) as ConfigInput;
}

function readConfigFile(path: string): ConfigInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: must contain a JSON object`);
  }
  const file = parsed as Record<string, unknown>;
  // The original keeps the URL under database.connectionString; accept both spellings.
  const database = file.database as { connectionString?: unknown } | undefined;
  const fromFile = { ...file } as ConfigInput & { database?: unknown };
  if (fromFile.databaseUrl === undefined && typeof database?.connectionString === "string") {
    fromFile.databaseUrl = database.connectionString;
  }
  delete fromFile.database;
  return fromFile;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Merge every source and validate; throws ConfigError naming the setting and the rule. */
export function loadConfig(flags: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): HostConfig {
  const fromEnv = envConfig(env);
  const dataDir = resolve(flags.dataDir ?? defaultDataDir(env));
  const configFile = join(dataDir, CONFIG_FILE_NAME);
  const fromFile = existsSync(configFile) ? readConfigFile(configFile) : {};
  const merged = {
    port: DEFAULT_PORT,
    host: DEFAULT_HOST,
    databaseUrl: null,
    deploymentMode: "local_trusted",
    logLevel: "info",
    bodyLimitBytes: 4 * 1024 * 1024,
    seedDemo: true,
    allowedHostnames: [],
    webDir: null,
    pluginSandbox: true,
    pluginAllowedScopes: null,
    publicUrl: null,
    nodeId: null,
    backupSchedule: null,
    backupKeep: DEFAULT_BACKUP_KEEP,
    ...fromFile,
    // A secret in a config file would be one more copy to leak: only the environment, a flag or <dataDir>/auth-secret.
    authSecret: null,
    ...fromEnv,
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    // Merged per limit: config.json may set some, the environment others.
    pluginLimits: isPlainObject(fromFile.pluginLimits ?? {})
      ? { ...fromFile.pluginLimits, ...fromEnv.pluginLimits, ...flags.pluginLimits }
      : fromFile.pluginLimits,
    dataDir,
  };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`Invalid setting "${issue.path.join(".")}": ${issue.message}`);
  }
  const config: HostConfig = {
    ...result.data,
    // A relative folder is relative to the working directory (env, flag) — as a person typing it expects.
    webDir: result.data.webDir === null ? null : resolve(result.data.webDir),
    configFile: existsSync(configFile) ? configFile : null,
  };
  assertBindAllowed(config);
  return config;
}

export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1" || host === "0:0:0:0:0:0:0:1";
  return false;
}

/** Local trusted mode has no login, so it must never be reachable from another machine. */
export function assertBindAllowed(config: Pick<HostConfig, "host" | "deploymentMode">): void {
  if (config.deploymentMode === "local_trusted" && !isLoopbackHost(config.host)) {
    throw new ConfigError(
      `Refusing to bind ${config.host}: local_trusted mode has no login and only binds a loopback address ` +
        "(127.0.0.1, ::1 or localhost). To serve other machines, start in authenticated mode " +
        "(PAPERCLIP_DEPLOYMENT_MODE=authenticated or --mode authenticated; docs/authentication.md)",
    );
  }
}
