// Applies the committed SQL migrations in packages/server/migrations, in file-name order.
// A session-level advisory lock makes concurrent starts (two nodes on one PostgreSQL) take turns:
// the second waits, then finds nothing left to apply.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Database } from "./database.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));
/** Advisory lock keys (classid, objid) reserved by the host. */
export const MIGRATION_LOCK_KEY = [0x5043, 1] as const;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** Applied migrations whose file changed afterwards: a broken install. */
  modified: string[];
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort()
    .map((file) => {
      const sql = readFileSync(`${dir}/${file}`, "utf8");
      return {
        name: file.replace(/\.sql$/, ""),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      };
    });
}

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS paperclip_migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function readLedger(db: Database): Promise<Map<string, string>> {
  const exists = await db.pool.query<{ present: boolean }>(
    "SELECT to_regclass('paperclip_migrations') IS NOT NULL AS present",
  );
  if (!exists.rows[0]?.present) return new Map();
  const rows = await db.pool.query<{ name: string; checksum: string }>(
    "SELECT name, checksum FROM paperclip_migrations",
  );
  return new Map(rows.rows.map((row) => [row.name, row.checksum]));
}

export async function migrationStatus(db: Database, migrations = loadMigrations()): Promise<MigrationStatus> {
  const ledger = await readLedger(db);
  const status: MigrationStatus = { applied: [], pending: [], modified: [] };
  for (const migration of migrations) {
    const checksum = ledger.get(migration.name);
    if (checksum === undefined) status.pending.push(migration.name);
    else if (checksum !== migration.checksum) status.modified.push(migration.name);
    else status.applied.push(migration.name);
  }
  return status;
}

/** A migration that failed: every migration of the same run was rolled back with it. */
export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    readonly rolledBack: string[],
    cause: Error,
  ) {
    super(
      `Migration ${migration} failed: ${cause.message}. Nothing was applied: ` +
        (rolledBack.length > 1
          ? `all ${rolledBack.length} pending migrations (${rolledBack.join(", ")}) were rolled back together`
          : "it was rolled back"),
    );
    this.name = "MigrationError";
  }
}

/**
 * Apply every pending migration in ONE transaction (PostgreSQL and PGlite both have transactional DDL): a
 * failing migration leaves the database exactly as it was, the earlier pending ones included. Returns the names
 * applied by this call.
 */
export async function runMigrations(db: Database, migrations = loadMigrations()): Promise<string[]> {
  const client = await db.pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [...MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_LEDGER);
      const done = new Map(
        (
          await client.query<{ name: string; checksum: string }>(
            "SELECT name, checksum FROM paperclip_migrations",
          )
        ).rows.map((row) => [row.name, row.checksum]),
      );
      const pending: Migration[] = [];
      for (const migration of migrations) {
        const checksum = done.get(migration.name);
        if (checksum === undefined) pending.push(migration);
        else if (checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum mismatch); restore the original file`,
          );
        }
      }
      if (pending.length === 0) return [];
      await client.query("BEGIN");
      let current = pending[0]!;
      try {
        for (const migration of pending) {
          current = migration;
          await client.query(migration.sql);
          await client.query("INSERT INTO paperclip_migrations (name, checksum) VALUES ($1, $2)", [
            migration.name,
            migration.checksum,
          ]);
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new MigrationError(
          current.name,
          pending.map((migration) => migration.name),
          error as Error,
        );
      }
      return pending.map((migration) => migration.name);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [...MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
