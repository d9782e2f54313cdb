// Per-company plugin config (plugin_config). Saving validates against the manifest's schema, checks every
// secret reference belongs to the company, and rewrites the plugin's secret bindings in the same transaction.
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import type { CompanySecretsStore } from "../secrets/store.js";
import { type FieldError, findSecretRefs, validateConfig } from "./schema.js";

export interface PluginConfig {
  id: string;
  pluginId: string;
  companyId: string;
  configJson: Record<string, unknown>;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The part the runtime uses (contract): replay every company's config after a worker start. */
export interface PluginConfigReader {
  list(pluginId: string): Promise<Array<{ companyId: string; configJson: Record<string, unknown> }>>;
  get(pluginId: string, companyId: string): Promise<PluginConfig | null>;
}

/** Keys the host reads from a config and keeps out of the plugin's schema check. */
export const HOST_CONFIG_KEYS = ["devUiUrl", "paperclipAllowedHosts"] as const;

export class ConfigValidationError extends Error {
  override readonly name = "ConfigValidationError";
  constructor(
    message: string,
    readonly fieldErrors: FieldError[],
  ) {
    super(message);
  }
}

type Row = Record<string, unknown>;
const iso = (value: unknown): string =>
  (value instanceof Date ? value : new Date(String(value))).toISOString();

function toConfig(row: Row): PluginConfig {
  return {
    id: String(row.id),
    pluginId: String(row.plugin_id),
    companyId: String(row.company_id),
    configJson: (row.config_json ?? {}) as Record<string, unknown>,
    lastError: (row.last_error as string | null) ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function checkHostKeys(config: Record<string, unknown>): FieldError[] {
  const problems: FieldError[] = [];
  if (config.devUiUrl !== undefined && config.devUiUrl !== null) {
    const url = config.devUiUrl;
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) {
      problems.push({ field: "/devUiUrl", message: "must be an http:// or https:// URL" });
    }
  }
  const hosts = config.paperclipAllowedHosts;
  if (hosts !== undefined && hosts !== null) {
    if (
      !Array.isArray(hosts) ||
      hosts.length > 50 ||
      hosts.some((h) => typeof h !== "string" || h.trim() === "")
    ) {
      problems.push({
        field: "/paperclipAllowedHosts",
        message: "must be a list of at most 50 host names, IP addresses or CIDR ranges",
      });
    }
  }
  return problems;
}

export class PluginConfigStore implements PluginConfigReader {
  private readonly listeners = new Set<(pluginId: string, companyId: string) => void>();

  constructor(
    private readonly db: Database,
    private readonly secrets: CompanySecretsStore,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Called after each save (the host services refresh their set of configured companies). */
  onChange(listener: (pluginId: string, companyId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(pluginId: string): Promise<Array<{ companyId: string; configJson: Record<string, unknown> }>> {
    const rows = await this.db.query(
      "plugin_config_list",
      "SELECT company_id, config_json FROM plugin_config WHERE plugin_id = $1 ORDER BY company_id",
      [pluginId],
    );
    return rows.map((row) => ({
      companyId: String(row.company_id),
      configJson: (row.config_json ?? {}) as Record<string, unknown>,
    }));
  }

  async get(pluginId: string, companyId: string): Promise<PluginConfig | null> {
    const [row] = await this.db.query(
      "plugin_config_get",
      "SELECT * FROM plugin_config WHERE plugin_id = $1 AND company_id = $2",
      [pluginId, companyId],
    );
    return row ? toConfig(row) : null;
  }

  /** Companies with a saved config for the plugin: what calls without a company invocation may touch. */
  async configuredCompanyIds(pluginId: string): Promise<string[]> {
    const rows = await this.db.query(
      "plugin_config_companies",
      "SELECT company_id FROM plugin_config WHERE plugin_id = $1 ORDER BY company_id",
      [pluginId],
    );
    return rows.map((row) => String(row.company_id));
  }

  /**
   * Check a config without saving it: the plugin's schema, the host's own keys, and that every secret
   * reference names an existing secret (and version) of the company. Throws ConfigValidationError.
   */
  async check(
    schema: Record<string, unknown> | null | undefined,
    companyId: string,
    configJson: Record<string, unknown>,
  ) {
    const forPlugin = { ...configJson };
    for (const key of HOST_CONFIG_KEYS) delete forPlugin[key];
    const problems = checkHostKeys(configJson);
    const result = validateConfig(schema, forPlugin);
    if (!result.valid) problems.push(...result.fieldErrors);
    if (problems.length > 0) {
      throw new ConfigValidationError(
        `Configuration does not match the plugin's instanceConfigSchema: ${problems[0]!.field} ${problems[0]!.message}`,
        problems,
      );
    }
    const refs = findSecretRefs(schema, forPlugin);
    const refProblems: FieldError[] = [];
    for (const ref of refs) {
      const secret = await this.secrets.find(companyId, ref.secretId);
      const field = `/${ref.configPath.split(".").join("/")}`;
      if (!secret) {
        refProblems.push({ field, message: `secret "${ref.secretId}" does not exist in this company` });
      } else if (ref.version !== null && ref.version > secret.version) {
        refProblems.push({
          field,
          message: `secret "${secret.name}" has no version ${ref.version} (latest is ${secret.version})`,
        });
      }
    }
    if (refProblems.length > 0) {
      throw new ConfigValidationError(
        `Invalid secret reference: ${refProblems[0]!.field} ${refProblems[0]!.message}`,
        refProblems,
      );
    }
    return refs;
  }

  /** Validate, then upsert the config and rewrite the plugin's secret bindings for this company. */
  async save(
    plugin: { id: string; schema: Record<string, unknown> | null | undefined },
    companyId: string,
    configJson: Record<string, unknown>,
  ): Promise<PluginConfig> {
    const refs = await this.check(plugin.schema, companyId, configJson);
    const now = this.clock.now();
    const saved = await this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        "plugin_config_upsert",
        `INSERT INTO plugin_config (plugin_id, company_id, config_json, last_error, created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, NULL, $4, $4)
         ON CONFLICT ON CONSTRAINT plugin_config_plugin_company_key
         DO UPDATE SET config_json = EXCLUDED.config_json, last_error = NULL, updated_at = EXCLUDED.updated_at
         RETURNING *`,
        [plugin.id, companyId, JSON.stringify(configJson), now],
      );
      await this.secrets.replaceBindings(tx, plugin.id, companyId, refs);
      return toConfig(row!);
    });
    for (const listener of this.listeners) listener(plugin.id, companyId);
    return saved;
  }

  /** Record why the running worker refused the saved config (shown by GET config). */
  async setLastError(pluginId: string, companyId: string, message: string | null): Promise<void> {
    await this.db.query(
      "plugin_config_last_error",
      "UPDATE plugin_config SET last_error = $3 WHERE plugin_id = $1 AND company_id = $2",
      [pluginId, companyId, message],
    );
  }
}
