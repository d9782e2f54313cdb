// Once per test run (vitest globalSetup): a migrated PGlite snapshot and, when TEST_DATABASE_URL is set, a migrated
// PostgreSQL template database. Every suite's fresh database then starts as a copy of them (support/database.ts)
// instead of a new cluster plus every migration, which cost each suite several seconds of CPU per engine.
// The migrations themselves are still run from scratch by the suites that test them (database, db-schema,
// migrations-rollback, the CLI's upgrade), which open their databases directly.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../src/db/database.js";
import { runMigrations } from "../../src/db/migrate.js";
import { createScratchPostgres } from "./database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** a file holding a gzip dump of a migrated PGlite data folder */
    migratedPgliteSnapshot: string;
    /** the name of a migrated database to create PostgreSQL test databases from, or null without PostgreSQL */
    migratedPostgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const folder = mkdtempSync(join(tmpdir(), "paperclip-test-db-"));
  const pglite = await openDatabase({ kind: "pglite", dataDir: null });
  const file = join(folder, "migrated-pglite.tar.gz");
  try {
    await runMigrations(pglite);
    writeFileSync(file, await pglite.snapshot!());
  } finally {
    await pglite.close();
  }
  project.provide("migratedPgliteSnapshot", file);

  let template: Awaited<ReturnType<typeof createScratchPostgres>> | null = null;
  if (process.env.TEST_DATABASE_URL) {
    template = await createScratchPostgres();
    // No connection may stay open on a template: CREATE DATABASE … TEMPLATE refuses a database in use.
    const postgres = await openDatabase({ kind: "postgres", url: template.url, poolMax: 2 });
    try {
      await runMigrations(postgres);
    } finally {
      await postgres.close();
    }
  }
  project.provide("migratedPostgresTemplate", template?.name ?? null);

  return async () => {
    rmSync(folder, { recursive: true, force: true });
    await template?.drop();
  };
}
