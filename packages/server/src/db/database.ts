// One database handle over two engines: embedded PGlite (default) and a real PostgreSQL server.
// Both are driven through node-postgres (PGlite via its pg connection adapter), so every query, prepared
// statement and transaction takes the same code path on either engine.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { createPgConfig, PglitePgConnection } from "@electric-sql/pglite/node-postgres";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { makeTreePrivate, PRIVATE_DIR_MODE } from "./private-files.js";
import * as schema from "./schema.js";

export type DatabaseKind = "pglite" | "postgres";
export type Orm = NodePgDatabase<typeof schema>;

export type DatabaseOptions =
  | {
      kind: "pglite";
      /** data folder; null keeps everything in memory (tests) */
      dataDir: string | null;
      /** a dump made by `snapshot()` to start from instead of a new, empty cluster (an empty or memory dataDir) */
      initialData?: Blob;
    }
  | { kind: "postgres"; url: string; poolMax?: number; applicationName?: string };

/** What a transaction body gets: the ORM bound to the transaction's connection, and raw prepared queries. */
export interface Tx {
  readonly orm: Orm;
  /** Run a named (server-side prepared) statement on the transaction's connection. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    text: string,
    values: unknown[],
  ): Promise<R[]>;
}

export interface Database {
  readonly kind: DatabaseKind;
  /** Where the data lives, safe to log: a folder, "memory", or the URL without its password. */
  readonly location: string;
  /** ORM over the pool, for reads outside a transaction. */
  readonly orm: Orm;
  readonly pool: pg.Pool;
  /** Run `body` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws). */
  transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T>;
  /** Run a named prepared statement outside a transaction. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    name: string,
    text: string,
    values: unknown[],
  ): Promise<R[]>;
  close(): Promise<void>;
  /**
   * Embedded database only (null on PostgreSQL): a gzipped tar of the data folder taken between transactions.
   * It holds the pool's only connection meanwhile, so no transaction is half done: every commit before it is in.
   */
  readonly snapshot: (() => Promise<Buffer>) | null;
}

export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

/**
 * One adapter connection to the in-process PGlite. node-postgres passes a query's `types` (drizzle sets a
 * result-parser object there) into the Parse message; PGlite's serializer expects an array of parameter type
 * ids there. Parameter types are optional, so only arrays are forwarded.
 */
function openPgliteConnection(pglite: PGlite): PglitePgConnection {
  const connection = new PglitePgConnection({ pglite });
  const patchable = connection as unknown as { parse(query: { types?: unknown }): void };
  const parse = patchable.parse.bind(connection);
  patchable.parse = (query) => parse(Array.isArray(query.types) ? query : { ...query, types: undefined });
  return connection;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "pglite") {
    const dataDir = options.dataDir;
    if (dataDir) mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.initialData ? { loadDataDir: options.initialData } : {}),
    });
    // PGlite writes some files with explicit modes (0666, 0644): private again after opening and after closing.
    if (dataDir) makeTreePrivate(dataDir);
    const pgConfig = createPgConfig(pglite);
    // pg-pool destroys a client whose query failed outside a transaction and opens a new one. The adapter's
    // config holds ONE connection object, which that destroy ends for good; so every client gets its own.
    class PgliteClient extends pg.Client {
      constructor(config: pg.ClientConfig = {}) {
        super({ ...config, connection: openPgliteConnection(pglite) } as pg.ClientConfig);
      }
    }
    // PGlite is one single-user backend: exactly one pg client, never closed while idle.
    const pool = new pg.Pool({
      ...pgConfig,
      connection: undefined,
      Client: PgliteClient,
      max: 1,
      idleTimeoutMillis: 0,
    } as pg.PoolConfig);
    const snapshot = async (): Promise<Buffer> => {
      const client = await pool.connect();
      try {
        await client.query("CHECKPOINT");
        const dump = await pglite.dumpDataDir("gzip");
        return Buffer.from(await dump.arrayBuffer());
      } finally {
        client.release();
      }
    };
    return new PgDatabase(
      "pglite",
      options.dataDir ?? "memory",
      pool,
      async () => {
        await pool.end();
        await pglite.close();
        if (dataDir) makeTreePrivate(dataDir);
      },
      snapshot,
    );
  }
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? "paperclip",
  });
  // A dropped idle connection must not crash the host; the pool replaces it.
  pool.on("error", () => {});
  return new PgDatabase("postgres", redactDatabaseUrl(options.url), pool, () => pool.end(), null);
}

class PgDatabase implements Database {
  readonly orm: Orm;
  // One ORM per pooled connection, built once: constructing drizzle per transaction is measurable.
  private readonly ormByClient = new WeakMap<pg.PoolClient, Orm>();

  constructor(
    readonly kind: DatabaseKind,
    readonly location: string,
    readonly pool: pg.Pool,
    private readonly closeEngine: () => Promise<void>,
    readonly snapshot: (() => Promise<Buffer>) | null,
  ) {
    this.orm = drizzle(pool, { schema });
  }

  async query<R extends Record<string, unknown>>(
    name: string,
    text: string,
    values: unknown[],
  ): Promise<R[]> {
    const result = await this.pool.query<R>({ name, text, values });
    return result.rows;
  }

  async transaction<T>(body: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let orm = this.ormByClient.get(client);
    if (!orm) {
      orm = drizzle(client, { schema });
      this.ormByClient.set(client, orm);
    }
    const tx: Tx = {
      orm,
      async query<R extends Record<string, unknown>>(name: string, text: string, values: unknown[]) {
        const result = await client.query<R>({ name, text, values });
        return result.rows;
      },
    };
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await body(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.closeEngine();
  }
}
