// Per-company plugin config (plugin_config). Saving validates against the manifest's schema, checks every
// secret reference belongs to the company, and rewrites the plugin's secret bindings in the same transaction.
// A saved config that made the worker fail to start is "held back": the row keeps it (with last_error), while
// the worker — config.get, the replay after a start, the configured companies — sees the config that worked
// before it (applied_config_json; none when NULL).
import type { Database } from "../../db/database.js";
import type { Clock } from "../../domain/actor.js";
import { systemClock } from "../../domain/actor.js";
import type { CompanySecretsStore } from "../secrets/store.js";
import {
  type FieldError,
  findSecretRefs,
  findUuidStrings,
  type SecretRefUse,
  validateConfig,
} from "./schema.js";

export interface PluginConfig {
  id: string;
  pluginId: string;
  companyId: string;
  configJson: Record<string, unknown>;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The part the runtime uses (contract): replay every company's config after a worker start. Both read the
 * config the worker is meant to run with (a held-back save is replaced by the config applied before it). */
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

/** What the worker runs with: the saved config, or for a held-back save the one applied before it. */
const EFFECTIVE_CONFIG = "CASE WHEN held_back THEN applied_config_json ELSE config_json END";
const HAS_EFFECTIVE = "(NOT held_back OR applied_config_json IS NOT NULL)";

/** Secret ids are UUIDs; at most this many UUID-shaped strings of one config are looked up as secrets. */
const MAX_LOOSE_REF_CANDIDATES = 200;

export interface SaveResult {
  saved: PluginConfig;
  /** The config the worker ran with for this company before the save (null: none). */
  previous: Record<string, unknown> | null;
}

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
      `SELECT company_id, ${EFFECTIVE_CONFIG} AS config_json FROM plugin_config
       WHERE plugin_id = $1 AND ${HAS_EFFECTIVE} ORDER BY company_id`,
      [pluginId],
    );
    return rows.map((row) => ({
      companyId: String(row.company_id),
      configJson: (row.config_json ?? {}) as Record<string, unknown>,
    }));
  }

  /** The config the worker runs with for the company (null when none): what config.get answers. */
  async get(pluginId: string, companyId: string): Promise<PluginConfig | null> {
    const [row] = await this.db.query(
      "plugin_config_get_effective",
      `SELECT *, ${EFFECTIVE_CONFIG} AS effective_json FROM plugin_config
       WHERE plugin_id = $1 AND company_id = $2 AND ${HAS_EFFECTIVE}`,
      [pluginId, companyId],
    );
    return row
      ? { ...toConfig(row), configJson: (row.effective_json ?? {}) as Record<string, unknown> }
      : null;
  }

  /** The row as saved (GET …/config): a held-back save shows with its lastError. */
  async saved(pluginId: string, companyId: string): Promise<PluginConfig | null> {
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
      `SELECT company_id FROM plugin_config WHERE plugin_id = $1 AND ${HAS_EFFECTIVE} ORDER BY company_id`,
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
    refs.push(...(await this.looseSecretRefs(companyId, forPlugin, refs)));
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

  /**
   * Strings elsewhere in the config that are the id of one of the company's secrets: plugins without a schema,
   * or fields without `format: "secret-ref"`, keep secret ids as plain strings, and those resolve too.
   */
  private async looseSecretRefs(
    companyId: string,
    config: Record<string, unknown>,
    known: readonly SecretRefUse[],
  ): Promise<SecretRefUse[]> {
    const taken = new Set(known.map((ref) => ref.configPath));
    const candidates = findUuidStrings(config)
      .filter((found) => !taken.has(found.configPath))
      .slice(0, MAX_LOOSE_REF_CANDIDATES);
    const refs: SecretRefUse[] = [];
    for (const candidate of candidates) {
      if (await this.secrets.find(companyId, candidate.value)) {
        refs.push({ configPath: candidate.configPath, secretId: candidate.value, version: null });
      }
    }
    return refs;
  }

  /** Every secret reference of a config, without failing on ones that no longer exist (dropped). */
  private async bindableRefs(
    schema: Record<string, unknown> | null | undefined,
    companyId: string,
    configJson: Record<string, unknown>,
  ): Promise<SecretRefUse[]> {
    const forPlugin = { ...configJson };
    for (const key of HOST_CONFIG_KEYS) delete forPlugin[key];
    const refs = findSecretRefs(schema, forPlugin);
    refs.push(...(await this.looseSecretRefs(companyId, forPlugin, refs)));
    const existing: SecretRefUse[] = [];
    for (const ref of refs) if (await this.secrets.find(companyId, ref.secretId)) existing.push(ref);
    return existing;
  }

  /**
   * Validate, then upsert the config and rewrite the plugin's secret bindings for this company. `previous` is
   * what the worker ran with before (to go back to when the new config makes the worker fail).
   */
  async save(
    plugin: { id: string; schema: Record<string, unknown> | null | undefined },
    companyId: string,
    configJson: Record<string, unknown>,
  ): Promise<SaveResult> {
    const refs = await this.check(plugin.schema, companyId, configJson);
    const now = this.clock.now();
    const result = await this.db.transaction(async (tx) => {
      const [before] = await tx.query(
        "plugin_config_lock",
        `SELECT ${EFFECTIVE_CONFIG} AS effective_json, ${HAS_EFFECTIVE} AS has_effective FROM plugin_config
         WHERE plugin_id = $1 AND company_id = $2 FOR UPDATE`,
        [plugin.id, companyId],
      );
      const [row] = await tx.query(
        "plugin_config_upsert",
        `INSERT INTO plugin_config (plugin_id, company_id, config_json, last_error, created_at, updated_at)
         VALUES ($1, $2, $3::jsonb, NULL, $4, $4)
         ON CONFLICT ON CONSTRAINT plugin_config_plugin_company_key
         DO UPDATE SET config_json = EXCLUDED.config_json, last_error = NULL, held_back = false,
           applied_config_json = NULL, updated_at = EXCLUDED.updated_at
         RETURNING *`,
        [plugin.id, companyId, JSON.stringify(configJson), now],
      );
      await this.secrets.replaceBindings(tx, plugin.id, companyId, refs);
      const previous =
        before && before.has_effective === true
          ? ((before.effective_json ?? {}) as Record<string, unknown>)
          : null;
      return { saved: toConfig(row!), previous };
    });
    this.changed(plugin.id, companyId);
    return result;
  }

  /**
   * The saved config made the worker fail: keep it on the row with `reason`, and give the worker `previous`
   * again (none when null), secret bindings included. Only while the row still holds that save; false otherwise.
   */
  async holdBack(
    plugin: { id: string; schema: Record<string, unknown> | null | undefined },
    saved: PluginConfig,
    previous: Record<string, unknown> | null,
    reason: string,
  ): Promise<boolean> {
    const refs = previous ? await this.bindableRefs(plugin.schema, saved.companyId, previous) : [];
    const held = await this.db.transaction(async (tx) => {
      const rows = await tx.query(
        "plugin_config_hold_back",
        `UPDATE plugin_config SET held_back = true, applied_config_json = $4::jsonb, last_error = $5
         WHERE plugin_id = $1 AND company_id = $2 AND id = $3 AND NOT held_back AND updated_at = $6
         RETURNING id`,
        [
          plugin.id,
          saved.companyId,
          saved.id,
          previous === null ? null : JSON.stringify(previous),
          reason,
          new Date(saved.updatedAt),
        ],
      );
      if (rows.length === 0) return false;
      await this.secrets.replaceBindings(tx, plugin.id, saved.companyId, refs);
      return true;
    });
    if (held) this.changed(plugin.id, saved.companyId);
    return held;
  }

  /** Delete the company's config and its secret bindings; the deleted row, or null when there was none. */
  async remove(pluginId: string, companyId: string): Promise<PluginConfig | null> {
    const removed = await this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        "plugin_config_delete",
        "DELETE FROM plugin_config WHERE plugin_id = $1 AND company_id = $2 RETURNING *",
        [pluginId, companyId],
      );
      if (!row) return null;
      await this.secrets.replaceBindings(tx, pluginId, companyId, []);
      return toConfig(row);
    });
    if (removed) this.changed(pluginId, companyId);
    return removed;
  }

  private changed(pluginId: string, companyId: string): void {
    for (const listener of this.listeners) listener(pluginId, companyId);
  }

  /** Record why the running worker refused the saved config (shown by GET config); only on that save's row. */
  async setLastError(
    pluginId: string,
    companyId: string,
    message: string | null,
    saved?: Pick<PluginConfig, "id" | "updatedAt">,
  ): Promise<void> {
    if (!saved) {
      await this.db.query(
        "plugin_config_last_error",
        "UPDATE plugin_config SET last_error = $3 WHERE plugin_id = $1 AND company_id = $2",
        [pluginId, companyId, message],
      );
      return;
    }
    await this.db.query(
      "plugin_config_last_error_of_save",
      `UPDATE plugin_config SET last_error = $3
       WHERE plugin_id = $1 AND company_id = $2 AND id = $4 AND updated_at = $5 AND NOT held_back`,
      [pluginId, companyId, message, saved.id, new Date(saved.updatedAt)],
    );
  }
}
