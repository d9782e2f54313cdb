// Small helpers shared by the benchmarks: percentiles, tables, result files.
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, "..");

export function percentile(sortedValues, p) {
  if (sortedValues.length === 0) return Number.NaN;
  const index = Math.min(sortedValues.length - 1, Math.floor((p / 100) * sortedValues.length));
  return sortedValues[index];
}

export function printTable(title, rows) {
  console.log(`\n${title}`);
  console.table(rows);
}

export function writeResults(name, data) {
  const dir = join(benchDir, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, ...data }, null, 2)}\n`,
  );
  console.log(`results written to ${file}`);
}

export const round = (value, digits = 2) => Number(value.toFixed(digits));

/** The PostgreSQL server benchmarks use: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else the local default. */
export const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database on that server for one benchmark, or `{skipped}` saying why there is none. */
export async function scratchPostgres() {
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `PostgreSQL at ${PG_URL} is unreachable (${error.message})` };
  }
  const name = `paperclip_bench_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

const EVENT_FIXTURE = join(repoRoot, "packages/server/test/plugins/fixtures/events/event-plugin");

/**
 * A copy of the events fixture plugin (packages/server/test/plugins/fixtures/events) under `parent` with its own
 * id and plugin-config.json (subscriptions, trackEntity…), our SDK linked in. Returns the folder.
 */
export function eventPluginFolder(parent, id, config) {
  const target = join(parent, id);
  cpSync(EVENT_FIXTURE, target, { recursive: true });
  mkdirSync(join(target, "node_modules", "@paperclipai"), { recursive: true });
  symlinkSync(
    join(repoRoot, "packages/plugin-sdk"),
    join(target, "node_modules", "@paperclipai", "plugin-sdk"),
    "dir",
  );
  const manifest = join(target, "manifest.js");
  writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/id: "[^"]*"/, `id: "${id}"`));
  writeFileSync(join(target, "plugin-config.json"), JSON.stringify({ record: "memory", ...config }));
  return target;
}
