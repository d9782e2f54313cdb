// `paperclip doctor`: checks the instance folder, the database and the migrations, one line per check. It only
// reads: no instance folder, database or config is ever created (a missing one is reported). Opening an existing
// embedded database takes the instance lock meanwhile (PGlite must not be opened by two processes); the lock file
// is removed again. `--fix` also repairs what is safe to repair (a stale lock, pending migrations after a backup)
// and lists what it left for the operator; it never re-records changed plugin files or edited migrations.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { backupBeforeMigrations } from "../backup/pre-upgrade.js";
import { readClusterNodes } from "../cluster/node-registry.js";
import type { HostConfig } from "../config.js";
import { type Database, openDatabase } from "../db/database.js";
import {
  acquireFolderLock,
  type FolderLock,
  FolderLockedError,
  folderLockOwner,
  LOCK_FILE_NAME,
  removeStaleFolderLock,
} from "../db/folder-lock.js";
import { loadMigrations, migrationStatus, runMigrations } from "../db/migrate.js";
import { embeddedDatabaseDir } from "../host.js";
import { ALLOWED_SCOPES_SETTING } from "../plugins/installer/index.js";
import { PackageIntegrity } from "../plugins/lifecycle/package-integrity.js";
import { SupplyChainStore } from "../plugins/lifecycle/supply-chain-store.js";
import { PluginRegistry } from "../plugins/registry/index.js";
import { describeHostSandbox, hostSandboxStatus } from "../plugins/sandbox/index.js";

type Print = (line: string) => void;

export async function runDoctor(
  config: HostConfig,
  print: Print,
  options: { fix?: boolean } = {},
): Promise<boolean> {
  const fixed: string[] = [];
  const left: string[] = [];
  const ok = await check(config, print, options.fix === true, fixed, left);
  if (options.fix) {
    for (const line of fixed) print(`fixed ${line}`);
    if (left.length === 0) print("nothing left for the operator");
    for (const line of left) print(`left for the operator: ${line}`);
  }
  return ok;
}

async function check(
  config: HostConfig,
  print: Print,
  fix: boolean,
  fixed: string[],
  left: string[],
): Promise<boolean> {
  let ok = true;
  const pass = (message: string) => print(`ok    ${message}`);
  const warn = (message: string) => print(`warn  ${message}`);
  const bad = (message: string) => {
    ok = false;
    left.push(message);
    print(`FAIL  ${message}`);
  };

  if (!existsSync(config.dataDir)) {
    bad(
      `no instance at ${config.dataDir}: nothing to check (paperclip start creates it; --data-dir or ` +
        "PAPERCLIP_HOME point at another one)",
    );
    return ok;
  }
  try {
    if (!statSync(config.dataDir).isDirectory()) throw new Error("not a folder");
    accessSync(config.dataDir, constants.R_OK | constants.W_OK);
    pass(`instance folder ${config.dataDir} is readable and writable`);
    const mode = statSync(config.dataDir).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      warn(
        `instance folder ${config.dataDir} is readable by other users (mode ${mode.toString(8)}); the host ` +
          "keeps it 0700 for the folders it creates (chmod 700 it)",
      );
    }
  } catch (error) {
    bad(`instance folder ${config.dataDir}: ${(error as Error).message}`);
    return ok;
  }
  pass(
    config.configFile
      ? `config file ${config.configFile} is valid`
      : "no config file (defaults, environment and flags apply)",
  );
  pass(
    config.pluginAllowedScopes
      ? `plugin installs are limited to the npm scopes ${config.pluginAllowedScopes.join(", ")} (${ALLOWED_SCOPES_SETTING})`
      : `plugin installs may come from any npm scope (set ${ALLOWED_SCOPES_SETTING} to allow only yours)`,
  );
  // What the worker sandbox covers on this machine (probed here: network namespaces, Node's permission model).
  const sandbox = await hostSandboxStatus({
    enabled: config.pluginSandbox,
    disabledBy: "pluginSandbox setting (PAPERCLIP_PLUGIN_SANDBOX=off)",
  });
  for (const line of describeHostSandbox(sandbox)) {
    if (line.level === "ok") pass(line.message);
    else warn(line.message);
  }

  if (existsSync(join(config.dataDir, LOCK_FILE_NAME)) && folderLockOwner(config.dataDir) === null) {
    const stale = fix ? removeStaleFolderLock(config.dataDir) : null;
    if (stale)
      fixed.push(
        `removed the stale lock of host pid ${stale.pid} (started ${stale.startedAt}, no longer running)`,
      );
    else
      warn(
        "a stale instance lock left by a host that no longer runs: doctor --fix removes it, a start takes it over",
      );
  }
  let lock: FolderLock | null = null;
  try {
    lock = acquireFolderLock(config.dataDir);
  } catch (error) {
    if (!(error instanceof FolderLockedError)) {
      bad(`instance folder lock: ${(error as Error).message}`);
      return ok;
    }
    const owner = error.owner;
    pass(`a host is running on this folder (pid ${owner.pid}, started ${owner.startedAt})`);
    if (!config.databaseUrl) {
      warn(
        "embedded database checks skipped: the running host owns it (stop it to check, or query /api/health)",
      );
      return ok;
    }
  }

  const embeddedDir = embeddedDatabaseDir(config.dataDir);
  if (!config.databaseUrl && !existsSync(embeddedDir)) {
    warn(`no embedded database at ${embeddedDir} yet (the host creates it on its first start)`);
    lock?.release();
    return ok;
  }

  let db: Database | null = null;
  try {
    db = config.databaseUrl
      ? await openDatabase({ kind: "postgres", url: config.databaseUrl, poolMax: 1 })
      : await openDatabase({ kind: "pglite", dataDir: embeddedDir });
    const [row] = await db.query<{ version: string }>("doctor_version", "SELECT version() AS version", []);
    pass(
      `database answers (${db.kind} at ${db.location}): ${row?.version.split(",")[0] ?? "unknown version"}`,
    );
    let status = await migrationStatus(db, loadMigrations());
    if (status.modified.length > 0)
      bad(`migrations changed after being applied: ${status.modified.join(", ")}`);
    if (fix && status.pending.length > 0 && status.modified.length === 0) {
      const backup = await backupBeforeMigrations(db, config.dataDir, pino({ level: "silent" }));
      const applied = await runMigrations(db);
      fixed.push(
        `applied ${applied.length} pending migration(s): ${applied.join(", ")}` +
          (backup ? ` (backup ${backup.file} taken first)` : ""),
      );
      status = await migrationStatus(db, loadMigrations());
    }
    if (status.pending.length > 0) {
      warn(
        `${status.pending.length} migration(s) pending, applied on next start (or by doctor --fix): ${status.pending.join(", ")}`,
      );
    } else if (status.modified.length === 0) {
      pass(`schema is up to date (${status.applied.length} migration(s) applied)`);
      await checkPluginFiles(db, pass, bad);
      if (db.kind === "postgres") await reportNodes(db, pass, warn);
    }
  } catch (error) {
    bad(`database (${config.databaseUrl ? "DATABASE_URL" : "embedded"}): ${(error as Error).message}`);
  } finally {
    await db?.close().catch(() => {});
    lock?.release();
  }
  return ok;
}

/** The host nodes seen in the database (docs/scale-out.md), with how long ago each last wrote its heartbeat. */
async function reportNodes(db: Database, pass: Print, warn: Print): Promise<void> {
  const nodes = await readClusterNodes(db);
  if (nodes.length === 0) {
    pass("no host node has registered in this database yet");
    return;
  }
  const seconds = (ms: number) => (ms < 10_000 ? (ms / 1000).toFixed(1) : String(Math.round(ms / 1000)));
  for (const node of nodes) {
    const line =
      `node ${node.nodeId}: ${node.status}, last heartbeat ${seconds(node.heartbeatAgeMs)} s ago ` +
      `(${node.hostName}, pid ${node.pid}, version ${node.version}${node.url ? `, ${node.url}` : ""})`;
    if (node.status === "unreachable")
      warn(`${line}: it crashed or lost the database (its row goes after 7 days)`);
    else pass(line);
  }
}

/** Each installed plugin's files against the digest recorded at install (docs/supply-chain.md); reads only. */
async function checkPluginFiles(db: Database, pass: Print, bad: Print): Promise<void> {
  const integrity = new PackageIntegrity(new SupplyChainStore(db), pino({ level: "silent" }));
  const plugins = await new PluginRegistry(db).list();
  if (plugins.length === 0) return;
  const changed: string[] = [];
  let unrecorded = 0;
  for (const plugin of plugins) {
    const report = await integrity.inspect(plugin);
    if (report.state === "unrecorded") unrecorded++;
    if (report.state !== "changed") continue;
    const first = report.changes[0];
    changed.push(
      `${plugin.pluginKey} (${first ? `${first.path} ${first.change}` : report.problem}; paperclip plugin verify ${plugin.pluginKey})`,
    );
  }
  if (changed.length > 0) bad(`plugin package files changed since install: ${changed.join(", ")}`);
  else {
    pass(
      `plugin package files match their install digests (${plugins.length - unrecorded} checked` +
        (unrecorded > 0 ? `, ${unrecorded} recorded at their next start` : "") +
        ")",
    );
  }
}
