// Migrations (idempotent, concurrent), the instance folder lock, and configuration rules.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/database.js";
import { acquireFolderLock, FolderLockedError, LOCK_FILE_NAME } from "../src/db/folder-lock.js";
import { loadMigrations, migrationStatus, runMigrations } from "../src/db/migrate.js";
import { createScratchPostgres, TEST_DATABASE_URL } from "./support/database.js";

const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "paperclip-db-test-"));
  temps.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("embedded database connection", () => {
  it("keeps serving after a statement fails outside a transaction", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    try {
      await expect(db.query("missing", "SELECT * FROM no_such_table", [])).rejects.toThrow(/does not exist/);
      await expect(db.pool.query("SELECT 1 / $1::int", [0])).rejects.toThrow(/division by zero/);
      expect(await db.query("one", "SELECT 1 AS one", [])).toEqual([{ one: 1 }]);
      expect((await db.pool.query("SELECT 2 AS two")).rows).toEqual([{ two: 2 }]);
    } finally {
      await db.close();
    }
  });
});

describe("migrations", () => {
  it("apply once on PGlite, then report nothing pending", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    try {
      expect((await migrationStatus(db)).pending).toEqual(loadMigrations().map((m) => m.name));
      expect(await runMigrations(db)).toEqual(loadMigrations().map((m) => m.name));
      expect(await runMigrations(db)).toEqual([]);
      expect(await migrationStatus(db)).toMatchObject({ pending: [], modified: [] });
    } finally {
      await db.close();
    }
  });

  it("refuse to run when an applied migration file changed", async () => {
    const db = await openDatabase({ kind: "pglite", dataDir: null });
    try {
      await runMigrations(db);
      const changed = loadMigrations().map((m) => ({ ...m, checksum: "different" }));
      await expect(runMigrations(db, changed)).rejects.toThrow(/was changed after it was applied/);
      expect((await migrationStatus(db, changed)).modified).toHaveLength(changed.length);
    } finally {
      await db.close();
    }
  });

  it.runIf(TEST_DATABASE_URL)("are safe from two connections at once on PostgreSQL", async () => {
    const scratch = await createScratchPostgres();
    const first = await openDatabase({ kind: "postgres", url: scratch.url });
    const second = await openDatabase({ kind: "postgres", url: scratch.url });
    try {
      const [a, b] = await Promise.all([runMigrations(first), runMigrations(second)]);
      // Exactly one node applied each migration; the other waited on the lock and found nothing to do.
      expect([...a, ...b].sort()).toEqual(loadMigrations().map((m) => m.name));
      expect(await migrationStatus(first)).toMatchObject({ pending: [], modified: [] });
    } finally {
      await first.close();
      await second.close();
      await scratch.drop();
    }
  });

  it("keep embedded data across restarts", async () => {
    const dir = tempDir();
    const first = await openDatabase({ kind: "pglite", dataDir: dir });
    await runMigrations(first);
    await first.query("put_meta", "INSERT INTO instance_meta (key, value) VALUES ($1, $2)", [
      "k",
      JSON.stringify("v"),
    ]);
    await first.close();
    const second = await openDatabase({ kind: "pglite", dataDir: dir });
    try {
      expect(await runMigrations(second)).toEqual([]);
      expect(await second.query("get_meta", "SELECT value FROM instance_meta WHERE key = $1", ["k"])).toEqual(
        [{ value: "v" }],
      );
    } finally {
      await second.close();
    }
  });
});

describe("instance folder lock", () => {
  it("a second holder is refused with a clear message until the first releases", () => {
    const dir = tempDir();
    const lock = acquireFolderLock(dir);
    try {
      expect(() => acquireFolderLock(dir)).toThrow(FolderLockedError);
      expect(() => acquireFolderLock(dir)).toThrow(
        new RegExp(`already used by another Paperclip host \\(pid ${process.pid}`),
      );
    } finally {
      lock.release();
    }
    acquireFolderLock(dir).release();
  });

  it("a lock left by a dead process is taken over", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, LOCK_FILE_NAME),
      JSON.stringify({ pid: 2 ** 22 + 12345, hostname: hostname(), startedAt: "x" }),
    );
    const lock = acquireFolderLock(dir);
    lock.release();
  });
});

describe("configuration", () => {
  it("defaults: port 3100 on 127.0.0.1, instance folder under PAPERCLIP_HOME, embedded database", () => {
    const home = tempDir();
    const config = loadConfig({}, { PAPERCLIP_HOME: home });
    expect(config).toMatchObject({
      port: 3100,
      host: "127.0.0.1",
      dataDir: join(home, "instances", "default"),
      databaseUrl: null,
      deploymentMode: "local_trusted",
    });
  });

  it("flags beat the environment, which beats config.json", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "config.json"),
      JSON.stringify({ port: 4000, logLevel: "debug", database: { connectionString: "postgres://file/db" } }),
    );
    const fromFile = loadConfig({ dataDir: dir }, {});
    expect(fromFile).toMatchObject({
      port: 4000,
      logLevel: "debug",
      databaseUrl: "postgres://file/db",
      configFile: join(dir, "config.json"),
    });
    expect(loadConfig({ dataDir: dir }, { PAPERCLIP_PORT: "4100" }).port).toBe(4100);
    expect(loadConfig({ dataDir: dir, port: "4200" }, { PAPERCLIP_PORT: "4100" }).port).toBe(4200);
    expect(loadConfig({ dataDir: dir }, { DATABASE_URL: "postgresql://env/db" }).databaseUrl).toBe(
      "postgresql://env/db",
    );
  });

  it("refuses a non-loopback bind in local trusted mode, bad values and broken config files", () => {
    const dir = tempDir();
    expect(() => loadConfig({ dataDir: dir, host: "0.0.0.0" }, {})).toThrow(/Refusing to bind 0\.0\.0\.0/);
    expect(() => loadConfig({ dataDir: dir, host: "192.168.1.5" }, {})).toThrow(ConfigError);
    expect(loadConfig({ dataDir: dir, host: "::1" }, {}).host).toBe("::1");
    expect(() => loadConfig({ dataDir: dir, port: "70000" }, {})).toThrow(/Invalid setting "port"/);
    expect(() => loadConfig({ dataDir: dir, databaseUrl: "mysql://x" }, {})).toThrow(
      /"databaseUrl": must start with postgres/,
    );
    expect(() => loadConfig({ dataDir: dir, deploymentMode: "public" }, {})).toThrow(/"deploymentMode"/);
    writeFileSync(join(dir, "config.json"), "{ nope");
    expect(() => loadConfig({ dataDir: dir }, {})).toThrow(/config\.json: not valid JSON/);
  });
});
