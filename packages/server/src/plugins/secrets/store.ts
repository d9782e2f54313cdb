// Company secrets: named values sealed at rest, with versions (rotation adds one), and their bindings to the
// plugins whose config references them. Values leave this module only through `readValue`, which the resolver
// calls for a bound plugin; every other answer is metadata.
import type { Database, Tx } from "../../db/database.js";
import { isUuid } from "../../domain/shared.js";
import { conflict, notFound } from "../../errors.js";
import type { SecretCipher } from "./crypto.js";

export interface SecretMetadata {
  id: string;
  companyId: string;
  name: string;
  /** The latest version number. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SecretVersionMetadata {
  id: string;
  name: string;
  version: number;
  createdAt: string;
}

export interface SecretBinding {
  secretId: string;
  configPath: string;
  version: number | null;
}

type Row = Record<string, unknown>;

const iso = (value: unknown): string =>
  (value instanceof Date ? value : new Date(String(value))).toISOString();
const bytes = (value: unknown): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array));
/** Bound into each ciphertext: it only opens as this secret's version. */
const sealedFor = (secretId: string, version: number) => `${secretId}:${version}`;

function toMetadata(row: Row): SecretMetadata {
  return {
    id: String(row.id),
    companyId: String(row.company_id),
    name: String(row.name),
    version: Number(row.latest_version),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export class CompanySecretsStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: SecretCipher,
  ) {}

  async list(companyId: string): Promise<SecretMetadata[]> {
    const rows = await this.db.query(
      "secrets_list",
      "SELECT * FROM company_secrets WHERE company_id = $1 ORDER BY name, id",
      [companyId],
    );
    return rows.map(toMetadata);
  }

  /** The secret's metadata when it exists in this company, else null. */
  async find(companyId: string, secretId: string): Promise<SecretMetadata | null> {
    if (!isUuid(secretId)) return null;
    const [row] = await this.db.query(
      "secrets_find",
      "SELECT * FROM company_secrets WHERE id = $1 AND company_id = $2",
      [secretId, companyId],
    );
    return row ? toMetadata(row) : null;
  }

  create(companyId: string, name: string, value: string, now: Date): Promise<SecretVersionMetadata> {
    return this.db.transaction(async (tx) => {
      const [taken] = await tx.query(
        "secrets_name_taken",
        "SELECT id FROM company_secrets WHERE company_id = $1 AND name = $2",
        [companyId, name],
      );
      if (taken)
        throw conflict(`name: a secret named "${name}" already exists in this company`, { field: "name" });
      const [row] = await tx.query(
        "secrets_insert",
        `INSERT INTO company_secrets (company_id, name, latest_version, created_at, updated_at)
         VALUES ($1, $2, 1, $3, $3) RETURNING *`,
        [companyId, name, now],
      );
      const id = String(row!.id);
      await this.insertVersion(tx, id, 1, value, now);
      return { id, name, version: 1, createdAt: now.toISOString() };
    });
  }

  /** Add a version; the previous ones stay readable for refs that pin them. */
  rotate(companyId: string, secretId: string, value: string, now: Date): Promise<SecretVersionMetadata> {
    if (!isUuid(secretId)) return Promise.reject(notFound("Secret not found"));
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        "secrets_bump",
        `UPDATE company_secrets SET latest_version = latest_version + 1, updated_at = $3
         WHERE id = $1 AND company_id = $2 RETURNING *`,
        [secretId, companyId, now],
      );
      if (!row) throw notFound("Secret not found");
      const version = Number(row.latest_version);
      await this.insertVersion(tx, secretId, version, value, now);
      return { id: secretId, name: String(row.name), version, createdAt: now.toISOString() };
    });
  }

  /** The plaintext of one version (latest when null). Throws when the secret or version does not exist. */
  async readValue(
    companyId: string,
    secretId: string,
    version: number | null,
  ): Promise<{ value: string; version: number }> {
    const secret = await this.find(companyId, secretId);
    if (!secret) throw notFound(`secret "${secretId}" does not exist in company "${companyId}"`);
    const wanted = version ?? secret.version;
    const [row] = await this.db.query(
      "secrets_read_version",
      "SELECT * FROM company_secret_versions WHERE secret_id = $1 AND version = $2",
      [secretId, wanted],
    );
    if (!row) throw notFound(`secret "${secretId}" has no version ${wanted} (latest is ${secret.version})`);
    const value = this.cipher.open(
      {
        ciphertext: bytes(row.ciphertext),
        iv: bytes(row.iv),
        authTag: bytes(row.auth_tag),
        keyId: String(row.key_id),
      },
      sealedFor(secretId, wanted),
    );
    return { value, version: wanted };
  }

  /** Replace the plugin's bindings for this company with `refs` (inside the config save's transaction). */
  async replaceBindings(
    tx: Tx,
    pluginId: string,
    companyId: string,
    refs: Array<{ configPath: string; secretId: string; version: number | null }>,
  ): Promise<void> {
    await tx.query(
      "secret_bindings_clear",
      "DELETE FROM plugin_secret_bindings WHERE plugin_id = $1 AND company_id = $2",
      [pluginId, companyId],
    );
    if (refs.length === 0) return;
    await tx.query(
      "secret_bindings_insert",
      `INSERT INTO plugin_secret_bindings (plugin_id, company_id, secret_id, config_path, version)
       SELECT $1, $2, b."secretId", b."configPath", b."version"
       FROM jsonb_to_recordset($3::jsonb) AS b("secretId" uuid, "configPath" text, "version" int)`,
      [pluginId, companyId, JSON.stringify(refs)],
    );
  }

  async bindings(pluginId: string, companyId: string, secretId: string): Promise<SecretBinding[]> {
    if (!isUuid(secretId)) return [];
    const rows = await this.db.query(
      "secret_bindings_for",
      `SELECT secret_id, config_path, version FROM plugin_secret_bindings
       WHERE plugin_id = $1 AND company_id = $2 AND secret_id = $3 ORDER BY config_path`,
      [pluginId, companyId, secretId],
    );
    return rows.map((row) => ({
      secretId: String(row.secret_id),
      configPath: String(row.config_path),
      version: row.version === null ? null : Number(row.version),
    }));
  }

  private async insertVersion(
    tx: Tx,
    secretId: string,
    version: number,
    value: string,
    now: Date,
  ): Promise<void> {
    const sealed = this.cipher.seal(value, sealedFor(secretId, version));
    await tx.query(
      "secrets_insert_version",
      `INSERT INTO company_secret_versions (secret_id, version, ciphertext, iv, auth_tag, key_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [secretId, version, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, now],
    );
  }
}
