// Test databases: PGlite in memory always; a real PostgreSQL too when TEST_DATABASE_URL is set, each test
// file getting its own freshly created database (random name) that is dropped afterwards. Migrated databases start
// as copies of the ones global-setup.ts migrated once for the run.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { runMigrations } from "../../src/db/migrate.js";

export type Engine = "pglite" | "postgres";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
/** The engines every integration suite runs on. */
export const ENGINES: Engine[] = TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TestDatabase {
  db: Database;
  /** a URL other connections can use (postgres only) */
  url: string | null;
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** A new database on a real server: empty (no migrations applied), or a copy of `template`. */
export async function createScratchPostgres(
  template?: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  const name = `paperclip_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(TEST_DATABASE_URL, name),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL! });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated database on the given engine. */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const snapshot = inject("migratedPgliteSnapshot");
    const initialData = new Blob([readFileSync(snapshot)], { type: "application/x-gzip" });
    const db = await openDatabase({ kind: "pglite", dataDir: null, initialData });
    await runMigrations(db); // nothing to apply: it checks the copy is up to date
    return { db, url: null, dispose: () => db.close() };
  }
  const scratch = await createScratchPostgres(inject("migratedPostgresTemplate") ?? undefined);
  const db = await openDatabase({ kind: "postgres", url: scratch.url, poolMax: 5 });
  await runMigrations(db);
  return {
    db,
    url: scratch.url,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}
