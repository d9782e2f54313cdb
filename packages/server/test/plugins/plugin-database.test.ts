// Plugin database namespaces (manifest.database) end to end, on a worker built with the published SDK 2026.916.1:
// install with a migration, ctx.db.query / ctx.db.execute over real HTTP and a real worker, every refused escape,
// an upgrade with a second migration, failing migrations at install and upgrade (nothing half-applied), soft
// uninstall keeping the schema and purge dropping it — on PGlite and on PostgreSQL.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_BOARD_ACTOR } from "../../src/domain/actor.js";
import { derivePluginDatabaseNamespace } from "../../src/plugins/database/index.js";
import {
  checkMigrationFile,
  checkRuntimeExecute,
  checkRuntimeQuery,
} from "../../src/plugins/database/sql-guard.js";
import { ENGINES } from "../support/database.js";
import { type BridgeHost, seedCompany, startBridgeHost, tempFolders } from "./fixtures/bridge/support.js";
import { baseManifest, writeNamespacePackage } from "./fixtures/namespaces/support.js";

const temp = tempFolders();
afterAll(() => temp.cleanup());

const CAPABILITIES = ["database.namespace.migrate", "database.namespace.read", "database.namespace.write"];

function dbManifest(id: string, version = "1.0.0", extra: Record<string, unknown> = {}) {
  return baseManifest(id, {
    version,
    capabilities: CAPABILITIES,
    database: { migrationsDir: "migrations", coreReadTables: ["companies"] },
    ...extra,
  });
}

describe("the plugin SQL guard", () => {
  const context = { schema: "plugin_x_0123456789", coreReadTables: ["companies"] };
  it("accepts reads and writes of the plugin schema, qualified or not", () => {
    expect(() =>
      checkRuntimeQuery("SELECT n.id FROM plugin_x_0123456789.notes n WHERE n.id = $1", context),
    ).not.toThrow();
    expect(() =>
      checkRuntimeQuery("SELECT c.name FROM notes n JOIN public.companies c ON c.id = n.company_id", context),
    ).not.toThrow();
    expect(() =>
      checkRuntimeQuery("SELECT 'public.plugins; DROP TABLE x' AS text -- public.plugins", context),
    ).not.toThrow();
    expect(() => checkRuntimeExecute("UPDATE notes SET role = $1 WHERE id = $2", context)).not.toThrow();
    expect(() =>
      checkRuntimeExecute(
        "INSERT INTO notes (body) VALUES ($1) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        context,
      ),
    ).not.toThrow();
  });
  it("refuses escapes, naming why", () => {
    const refusals: Array<[() => unknown, RegExp]> = [
      [
        () => checkRuntimeQuery('SELECT * FROM "public"."plugins"', context),
        /public\.plugins is not readable/,
      ],
      [
        () => checkRuntimeQuery("SELECT * FROM paperclip.public.companies", context),
        /another schema|not readable/,
      ],
      [() => checkRuntimeQuery('SELECT * FROM U&"\\0070ublic".plugins', context), /Unicode/],
      [
        () => checkRuntimeQuery("SELECT nextval('public.plugin_install_order_seq')", context),
        /another schema/,
      ],
      [() => checkRuntimeQuery("SELECT pg_sleep(1)", context), /pg_sleep\(\) is not allowed/],
      [
        () => checkRuntimeQuery("WITH d AS (DELETE FROM notes RETURNING *) SELECT * FROM d", context),
        /read-only/,
      ],
      [() => checkRuntimeExecute("DELETE FROM public.companies", context), /outside the plugin namespace/],
      [() => checkRuntimeExecute("TRUNCATE notes", context), /INSERT, UPDATE or DELETE/],
      [() => checkRuntimeExecute("UPDATE pg_class SET relname = 'x'", context), /system relation/],
      [() => checkRuntimeExecute("RESET ROLE", context), /RESET/],
    ];
    for (const [run, message] of refusals) expect(run).toThrow(message);
  });
  it("checks migration files statement by statement", () => {
    expect(() =>
      checkMigrationFile(
        "CREATE TABLE plugin_x_0123456789.notes (id serial PRIMARY KEY, company_id uuid REFERENCES public.companies(id));\n" +
          "CREATE INDEX notes_company ON notes (company_id);",
        context,
      ),
    ).not.toThrow();
    expect(() =>
      checkMigrationFile(
        "CREATE TABLE t (id int);\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;",
        context,
      ),
    ).toThrow(/statement 2 .*CREATE FUNCTION statements are not allowed/);
    expect(() => checkMigrationFile("ALTER TABLE public.companies ADD COLUMN x int;", context)).toThrow(
      /public\.companies/,
    );
    expect(() => checkMigrationFile("CREATE TABLE t () INHERITS (public.companies);", context)).toThrow(
      /INHERITS/,
    );
    expect(() => checkMigrationFile("GRANT ALL ON notes TO PUBLIC;", context)).toThrow(/GRANT statements/);
  });
});

describe.each(ENGINES)("plugin database namespaces (%s)", (engine) => {
  let host: BridgeHost;
  let companyId: string;
  let pluginId: string;
  let folder: string;
  const key = "fixture.notes-db";
  const schema = derivePluginDatabaseNamespace(key);

  const action = async (name: string, params: Record<string, unknown>) => {
    const response = await host.request("POST", `/api/plugins/${pluginId}/actions/${name}`, { params });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data;
  };
  const sql = async (text: string, params: unknown[] = []) => {
    const found = await host.services.db.pool.query(text, params);
    return found.rows;
  };

  beforeAll(async () => {
    host = await startBridgeHost(engine);
    companyId = (await seedCompany(host.services, "Notes Co")).company.id;
    folder = writeNamespacePackage(path.join(temp.make("db"), "notes"), dbManifest(key), {
      "001_notes.sql":
        `-- the first table, fully qualified as published plugins write it\n` +
        `CREATE TABLE ${schema}.notes (\n  id serial PRIMARY KEY,\n  body text NOT NULL,\n` +
        `  company_id uuid REFERENCES public.companies(id) ON DELETE CASCADE\n);\n` +
        `CREATE INDEX notes_company_idx ON ${schema}.notes (company_id);\n`,
    });
    pluginId = (await host.install(folder)).id;
  });
  afterAll(async () => {
    await host?.close();
  });

  it("creates the schema and records the migration at install; initialize carries the namespace", async () => {
    expect(await sql("SELECT nspname FROM pg_namespace WHERE nspname = $1", [schema])).toHaveLength(1);
    const ledger = await sql(
      "SELECT migration_key, plugin_version FROM plugin_migrations WHERE plugin_id = $1",
      [pluginId],
    );
    expect(ledger).toEqual([{ migration_key: "001_notes.sql", plugin_version: "1.0.0" }]);
    expect(await action("namespace", {})).toEqual({ namespace: schema });
    const [namespace] = await sql(
      "SELECT role_name, status FROM plugin_database_namespaces WHERE plugin_id = $1",
      [pluginId],
    );
    expect(namespace.status).toBe("active");
    // A per-plugin role on PostgreSQL; PGlite has one superuser and no role that would protect anything.
    if (engine === "postgres") expect(namespace.role_name).toMatch(/^paperclip_plugin_[0-9a-f]{24}$/);
    else expect(namespace.role_name).toBeNull();
  });

  it("writes and reads through ctx.db, joining a declared core table", async () => {
    const inserted = await action("execute", {
      sql: "INSERT INTO notes (body, company_id) VALUES ($1, $2), ($3, $2)",
      params: ["first", companyId, "second"],
    });
    expect(inserted).toEqual({ ok: true, result: { rowCount: 2 } });
    const read = await action("query", {
      sql: `SELECT n.body, c.name AS company FROM ${schema}.notes n JOIN public.companies c ON c.id = n.company_id ORDER BY n.id`,
    });
    expect(read).toEqual({
      ok: true,
      result: [
        { body: "first", company: "Notes Co" },
        { body: "second", company: "Notes Co" },
      ],
    });
    const updated = await action("execute", {
      sql: "UPDATE notes SET body = upper(body) WHERE body = $1",
      params: ["first"],
    });
    expect(updated).toEqual({ ok: true, result: { rowCount: 1 } });
    if (engine === "postgres") {
      const who = await action("query", { sql: "SELECT current_user AS who" });
      expect(who.result[0].who).toMatch(/^paperclip_plugin_/);
    }
  });

  it("refuses every escape from the schema with a clear message", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["query", "INSERT INTO notes (body) VALUES ('x')", /db\.query is read-only/],
      ["query", "SELECT * FROM public.plugins", /public\.plugins is not readable/],
      ["query", "SELECT * FROM pg_catalog.pg_roles", /another schema/],
      ["query", "SELECT * FROM information_schema.tables", /another schema/],
      ["query", "SELECT * FROM plugin_other_0123456789.secrets", /another schema/],
      ["query", "SELECT 1; SELECT 2", /multiple statements/],
      ["query", "SELECT set_config('search_path', 'public', false)", /set_config\(\) is not allowed/],
      [
        "query",
        "SELECT query_to_xml('select * from public.plugins', true, true, '')",
        /query_to_xml\(\) is not allowed/,
      ],
      ["execute", "SET search_path TO public", /SET statements are not allowed/],
      ["execute", "SET ROLE postgres", /SET ROLE statements are not allowed/],
      ["execute", "UPDATE public.companies SET name = 'hacked'", /outside the plugin namespace/],
      ["execute", "DROP TABLE notes", /schema changes belong in migration files/],
      ["execute", "DELETE FROM notes; DELETE FROM public.companies", /multiple statements/],
    ];
    for (const [mode, text, message] of cases) {
      const answer = await action(mode, { sql: text });
      expect(answer.ok, text).toBe(false);
      expect(answer.error, text).toMatch(message);
    }
    // Unqualified host tables are not on the search_path: the database itself cannot find them.
    const hidden = await action("query", { sql: "SELECT * FROM plugins" });
    expect(hidden).toMatchObject({
      ok: false,
      error: expect.stringMatching(/relation "plugins" does not exist/),
    });
    // db.query runs in a READ ONLY transaction, whatever the guard missed.
    const readOnly = await action("query", { sql: "SELECT nextval('notes_id_seq')" });
    expect(readOnly).toMatchObject({ ok: false, error: expect.stringMatching(/read-only transaction/) });
    expect((await sql("SELECT name FROM companies WHERE id = $1", [companyId]))[0].name).toBe("Notes Co");
  });

  it("upgrades with a second migration, applied once", async () => {
    writeNamespacePackage(folder, dbManifest(key, "1.1.0"), {
      "002_tags.sql": "CREATE TABLE tags (note_id integer REFERENCES notes(id), tag text NOT NULL);\n",
    });
    const upgraded = await host.runtime.lifecycle.upgrade(pluginId, undefined, { actor: LOCAL_BOARD_ACTOR });
    expect(upgraded.status).toBe("ready");
    expect(upgraded.version).toBe("1.1.0");
    const ledger = await sql(
      "SELECT migration_key, plugin_version FROM plugin_migrations WHERE plugin_id = $1 ORDER BY migration_key",
      [pluginId],
    );
    expect(ledger).toEqual([
      { migration_key: "001_notes.sql", plugin_version: "1.0.0" },
      { migration_key: "002_tags.sql", plugin_version: "1.1.0" },
    ]);
    expect(
      await action("execute", { sql: "INSERT INTO tags (note_id, tag) SELECT id, 'old' FROM notes" }),
    ).toEqual({ ok: true, result: { rowCount: 2 } });
    // Re-activation (enable after disable) applies nothing again.
    await host.runtime.lifecycle.disable(pluginId, null, { actor: LOCAL_BOARD_ACTOR });
    expect((await host.runtime.lifecycle.enable(pluginId, { actor: LOCAL_BOARD_ACTOR })).status).toBe(
      "ready",
    );
    expect(
      await sql("SELECT count(*)::int AS n FROM plugin_migrations WHERE plugin_id = $1", [pluginId]),
    ).toEqual([{ n: 2 }]);
  });

  it("fails an upgrade whose migration fails, keeping the old version running and nothing half-applied", async () => {
    writeNamespacePackage(folder, dbManifest(key, "1.2.0"), {
      "003_broken.sql": "CREATE TABLE half (id int);\nINSERT INTO no_such_table VALUES (1);\n",
    });
    await expect(
      host.runtime.lifecycle.upgrade(pluginId, undefined, { actor: LOCAL_BOARD_ACTOR }),
    ).rejects.toThrow(
      /Migration 003_broken\.sql of plugin fixture\.notes-db failed: statement 2 .*relation "no_such_table" does not exist/,
    );
    const record = await host.runtime.registry.require(pluginId);
    expect(record.status).toBe("ready");
    expect(record.version).toBe("1.1.0");
    expect(await sql("SELECT to_regclass($1) AS found", [`${schema}.half`])).toEqual([{ found: null }]);
    expect(
      await sql("SELECT count(*)::int AS n FROM plugin_migrations WHERE plugin_id = $1", [pluginId]),
    ).toEqual([{ n: 2 }]);
    expect(await action("query", { sql: "SELECT count(*)::int AS n FROM tags" })).toEqual({
      ok: true,
      result: [{ n: 2 }],
    });
  });

  it("fails an install whose migration fails, with the file and the database's message, leaving nothing", async () => {
    const badKey = "fixture.broken-db";
    const badSchema = derivePluginDatabaseNamespace(badKey);
    const dir = writeNamespacePackage(path.join(temp.make("db-bad"), "broken"), dbManifest(badKey), {
      "001_ok.sql": "CREATE TABLE fine (id int);\n",
      "002_bad.sql": "ALTER TABLE fine ADD COLUMN id int;\n",
    });
    const response = await host.request("POST", "/api/plugins/install", {
      packageName: dir,
      isLocalPath: true,
    });
    expect(response.status).toBe(400);
    const text = JSON.stringify(response.body);
    expect(text).toMatch(/Migration 002_bad\.sql of plugin fixture\.broken-db failed/);
    expect(text).toMatch(/column \\"id\\" of relation \\"fine\\" already exists/);
    expect(await host.runtime.registry.findByKey(badKey)).toBeNull();
    expect(await sql("SELECT nspname FROM pg_namespace WHERE nspname = $1", [badSchema])).toEqual([]);
    expect(
      await sql("SELECT count(*)::int AS n FROM plugin_migrations WHERE plugin_key = $1", [badKey]),
    ).toEqual([{ n: 0 }]);
  });

  it("refuses a migration that reaches outside its schema, at install", async () => {
    const dir = writeNamespacePackage(
      path.join(temp.make("db-escape"), "escape"),
      dbManifest("fixture.escape-db"),
      {
        "001_escape.sql": "CREATE TABLE mine (id int);\nUPDATE public.companies SET name = 'taken';\n",
      },
    );
    const response = await host.request("POST", "/api/plugins/install", {
      packageName: dir,
      isLocalPath: true,
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(
      /Migration 001_escape\.sql of plugin fixture\.escape-db was refused: statement 2 .*public\.companies/,
    );
    expect(await host.runtime.registry.findByKey("fixture.escape-db")).toBeNull();
    expect((await sql("SELECT name FROM companies WHERE id = $1", [companyId]))[0].name).toBe("Notes Co");
  });

  it("keeps the schema on a soft uninstall and drops it on purge", async () => {
    await host.runtime.lifecycle.uninstall(pluginId, false, { actor: LOCAL_BOARD_ACTOR });
    expect(await sql("SELECT nspname FROM pg_namespace WHERE nspname = $1", [schema])).toHaveLength(1);
    const [namespace] = await sql("SELECT role_name FROM plugin_database_namespaces WHERE plugin_id = $1", [
      pluginId,
    ]);
    const purged = await host.request("DELETE", `/api/plugins/${pluginId}?purge=true`);
    expect(purged.status).toBe(200);
    expect(await sql("SELECT nspname FROM pg_namespace WHERE nspname = $1", [schema])).toEqual([]);
    expect(
      await sql("SELECT count(*)::int AS n FROM plugin_migrations WHERE plugin_id = $1", [pluginId]),
    ).toEqual([{ n: 0 }]);
    expect(
      await sql("SELECT count(*)::int AS n FROM plugin_database_namespaces WHERE plugin_id = $1", [pluginId]),
    ).toEqual([{ n: 0 }]);
    if (namespace.role_name) {
      expect(await sql("SELECT rolname FROM pg_roles WHERE rolname = $1", [namespace.role_name])).toEqual([]);
    }
  });
});
