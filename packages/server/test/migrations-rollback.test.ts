// All pending migrations apply in one transaction: a failing one leaves the database exactly as it was (the good
// migrations before it included) and the error names it; once fixed, the same run applies them all.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../src/db/database.js";
import { loadMigrations, MigrationError, migrationStatus, runMigrations } from "../src/db/migrate.js";
import { createScratchPostgres, ENGINES, type Engine } from "./support/database.js";

async function emptyDatabase(engine: Engine): Promise<{ db: Database; dispose(): Promise<void> }> {
  if (engine === "pglite") {
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    return { db, dispose: () => db.close() };
  }
  const scratch = await createScratchPostgres();
  const db = await openDatabase({ kind: "postgres", url: scratch.url, poolMax: 2 });
  return {
    db,
    async dispose() {
      await db.close();
      await scratch.drop();
    },
  };
}

async function tables(db: Database): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "rollback_tables",
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    [],
  );
  return rows.map((row) => row.name);
}

describe.each(ENGINES)("migrations in one transaction (%s)", (engine) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("a failing second migration rolls back the first too and names the bad one", async () => {
    const { db, dispose } = await emptyDatabase(engine);
    const dir = mkdtempSync(join(tmpdir(), "paperclip-migrations-"));
    cleanups.push(dispose, async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, "0001_widgets.sql"),
      "CREATE TABLE widgets (id int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO widgets VALUES (1);",
    );
    writeFileSync(
      join(dir, "0002_gadgets.sql"),
      "CREATE TABLE gadgets (id int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO gadgets SELECT id FROM no_such_table;",
    );
    const failure = await runMigrations(db, loadMigrations(dir)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migration).toBe("0002_gadgets");
    expect((failure as Error).message).toMatch(
      /^Migration 0002_gadgets failed: relation "no_such_table" does not exist\. Nothing was applied: all 2 pending migrations \(0001_widgets, 0002_gadgets\) were rolled back together$/,
    );
    // Exactly as before: the ledger only, empty; neither table.
    expect(await tables(db)).toEqual(["paperclip_migrations"]);
    expect(await migrationStatus(db, loadMigrations(dir))).toEqual({
      applied: [],
      pending: ["0001_widgets", "0002_gadgets"],
      modified: [],
    });

    writeFileSync(join(dir, "0002_gadgets.sql"), "CREATE TABLE gadgets (id int PRIMARY KEY);");
    expect(await runMigrations(db, loadMigrations(dir))).toEqual(["0001_widgets", "0002_gadgets"]);
    expect(await tables(db)).toEqual(["gadgets", "paperclip_migrations", "widgets"]);
    expect(await runMigrations(db, loadMigrations(dir))).toEqual([]);
  });

  it("a later failing migration leaves the earlier applied ones in place and the advisory lock free", async () => {
    const { db, dispose } = await emptyDatabase(engine);
    const dir = mkdtempSync(join(tmpdir(), "paperclip-migrations-"));
    cleanups.push(dispose, async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, "0001_widgets.sql"), "CREATE TABLE widgets (id int PRIMARY KEY);");
    expect(await runMigrations(db, loadMigrations(dir))).toEqual(["0001_widgets"]);
    writeFileSync(join(dir, "0002_more.sql"), "ALTER TABLE widgets ADD COLUMN name text;");
    writeFileSync(join(dir, "0003_broken.sql"), "ALTER TABLE widgets ADD COLUMN name text;");
    await expect(runMigrations(db, loadMigrations(dir))).rejects.toThrow(
      /^Migration 0003_broken failed: column "name" of relation "widgets" already exists\. Nothing was applied/,
    );
    const columns = await db.query<{ name: string }>(
      "rollback_columns",
      "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'widgets'",
      [],
    );
    expect(columns.map((column) => column.name)).toEqual(["id"]);
    // The lock was released: the next run gets it and applies the fixed set.
    rmSync(join(dir, "0003_broken.sql"));
    expect(await runMigrations(db, loadMigrations(dir))).toEqual(["0002_more"]);
  });
});
