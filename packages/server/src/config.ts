// Host configuration: defaults < config.json in the instance folder < environment < command-line flags.
import { existsSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";
import {
  checkPluginLimits,
  DEFAULT_PLUGIN_LIMITS,
  type PluginLimits,
  pluginLimitsFromEnv,
} from "./plugins/lifecycle/limits.js";

export const DEFAULT_PORT = 3100;
export const DEFAULT_HOST = "127.0.0.1";
export const CONFIG_FILE_NAME = "config.json";
export const DEPLOYMENT_MODES = ["local_trusted"] as const;

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
  deploymentMode: z.enum(DEPLOYMENT_MODES),
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
    ...fromFile,
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
        "(127.0.0.1, ::1 or localhost)",
    );
  }
}
