// Backups of an instance on the embedded database (docs/backups.md): one tar file in <dataDir>/backups/ holding a
// manifest, the PGlite data folder (a consistent snapshot, taken between transactions) and the instance files a
// restore needs (the secrets key, the auth secret, config.json), with a sidecar <name>.json manifest that adds the
// archive's size and sha256. Plugin packages are not included: they are reinstalled from their recorded source.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { CONFIG_FILE_NAME } from "../config.js";
import type { Database } from "../db/database.js";
import { loadMigrations } from "../db/migrate.js";
import { makeTreePrivate, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../db/private-files.js";
import { AUTH_SECRET_FILE } from "../http/auth/auth-secret.js";
import { SECRETS_KEY_FILE } from "../plugins/secrets/crypto.js";
import { HOST_VERSION } from "../version.js";
import { ArchiveError, readArchive, sha256, writeArchive } from "./archive.js";

export const BACKUPS_DIR_NAME = "backups";
export const BACKUP_FORMAT = "paperclip-backup/1";
const DATABASE_ENTRY = "database.tar.gz";
const MANIFEST_ENTRY = "manifest.json";
/** Instance files a restore needs besides the database; secrets.key above all (without it, secrets are lost). */
export const INSTANCE_FILES = [SECRETS_KEY_FILE, AUTH_SECRET_FILE, CONFIG_FILE_NAME] as const;
export const PG_DUMP_HINT =
  "this host uses PostgreSQL (DATABASE_URL): back it up with pg_dump -Fc and restore with pg_restore " +
  "(docs/backups.md); copy <dataDir>/secrets.key with it";

/** Why a backup was taken: retention only ever deletes scheduled ones. */
export type BackupReason = "manual" | "scheduled" | "pre-upgrade";

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  hostVersion: string;
  createdAt: string;
  reason: BackupReason;
  /** The last migration applied to the database in the backup; null on an empty database. */
  lastMigration: string | null;
  files: Array<{ name: string; size: number; sha256: string }>;
}

/** A backup as listed: the manifest plus the archive's own name, size and digest. */
export interface BackupInfo extends BackupManifest {
  file: string;
  path: string;
  size: number;
  sha256: string;
}

export class BackupError extends Error {
  override readonly name = "BackupError";
}

export function backupsDirOf(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR_NAME);
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, "-");
}

async function lastMigrationOf(db: Database): Promise<string | null> {
  const [present] = await db.query<{ present: boolean }>(
    "backup_ledger_present",
    "SELECT to_regclass('paperclip_migrations') IS NOT NULL AS present",
    [],
  );
  if (!present?.present) return null;
  const [row] = await db.query<{ name: string | null }>(
    "backup_last_migration",
    "SELECT max(name) AS name FROM paperclip_migrations",
    [],
  );
  return row?.name ?? null;
}

/** Take a backup of the open embedded database `db` of the instance at `dataDir`. */
export async function createBackup(
  db: Database,
  dataDir: string,
  reason: BackupReason = "manual",
): Promise<BackupInfo> {
  if (!db.snapshot) throw new BackupError(`Cannot back up from the host: ${PG_DUMP_HINT}`);
  const lastMigration = await lastMigrationOf(db);
  const createdAt = new Date();
  const database = await db.snapshot();
  const files = [{ name: DATABASE_ENTRY, data: database }];
  for (const name of INSTANCE_FILES) {
    const path = join(dataDir, name);
    if (existsSync(path)) files.push({ name, data: readFileSync(path) });
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    hostVersion: HOST_VERSION,
    createdAt: createdAt.toISOString(),
    reason,
    lastMigration,
    files: files.map((file) => ({ name: file.name, size: file.data.length, sha256: sha256(file.data) })),
  };
  const archive = writeArchive([
    { name: MANIFEST_ENTRY, data: Buffer.from(JSON.stringify(manifest, null, 2)) },
    ...files,
  ]);
  const dir = backupsDirOf(dataDir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  let name = `paperclip-backup-${stamp(createdAt)}.tar`;
  for (let suffix = 2; existsSync(join(dir, name)); suffix++)
    name = `paperclip-backup-${stamp(createdAt)}-${suffix}.tar`;
  const path = join(dir, name);
  // Written aside, then renamed: a crash never leaves a half backup under a backup's name.
  writeFileSync(`${path}.partial`, archive, { mode: PRIVATE_FILE_MODE });
  renameSync(`${path}.partial`, path);
  const info: BackupInfo = { ...manifest, file: name, path, size: archive.length, sha256: sha256(archive) };
  writeFileSync(sidecarOf(path), JSON.stringify(withoutPath(info), null, 2), { mode: PRIVATE_FILE_MODE });
  return info;
}

function sidecarOf(archivePath: string): string {
  return archivePath.replace(/\.tar$/, ".json");
}

function withoutPath(info: BackupInfo): Omit<BackupInfo, "path"> {
  const { path: _path, ...rest } = info;
  return rest;
}

/** The backups in <dataDir>/backups, newest first (read from their sidecar manifests). */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDirOf(dataDir);
  if (!existsSync(dir)) return [];
  const backups: BackupInfo[] = [];
  for (const entry of readdirSync(dir)) {
    if (!entry.endsWith(".tar") || !existsSync(join(dir, sidecarOf(entry)))) continue;
    try {
      const sidecar = JSON.parse(readFileSync(join(dir, sidecarOf(entry)), "utf8")) as BackupInfo;
      if (sidecar.format !== BACKUP_FORMAT) continue;
      backups.push({ ...sidecar, file: entry, path: join(dir, entry) });
    } catch {
      // An unreadable sidecar: the archive is still there for `paperclip restore` to verify.
    }
  }
  return backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.file.localeCompare(a.file));
}

/** Delete the oldest scheduled backups beyond `keep`; returns the deleted file names. */
export function pruneBackups(dataDir: string, keep: number): string[] {
  const scheduled = listBackups(dataDir).filter((backup) => backup.reason === "scheduled");
  const deleted: string[] = [];
  for (const backup of scheduled.slice(keep)) {
    rmSync(backup.path, { force: true });
    rmSync(sidecarOf(backup.path), { force: true });
    deleted.push(backup.file);
  }
  return deleted;
}

/** A backup file `reference` names: a path, or a file name in <dataDir>/backups. */
export function resolveBackupPath(reference: string, dataDir: string): string {
  if (existsSync(reference)) return resolve(reference);
  const inBackups = join(backupsDirOf(dataDir), basename(reference));
  if (existsSync(inBackups)) return inBackups;
  throw new BackupError(`No backup file ${reference} (nor ${inBackups})`);
}

export interface VerifiedBackup {
  manifest: BackupManifest;
  files: Map<string, Buffer>;
}

/** Read and check a backup file: archive structure, every entry against the manifest, the sidecar's digest. */
export function verifyBackup(path: string): VerifiedBackup {
  const archive = readFileSync(path);
  const fail = (problem: string): never => {
    throw new BackupError(`${path} is not a usable backup: ${problem}`);
  };
  const sidecar = sidecarOf(path);
  if (path.endsWith(".tar") && existsSync(sidecar)) {
    const expected = (JSON.parse(readFileSync(sidecar, "utf8")) as { sha256?: string }).sha256;
    if (expected && expected !== sha256(archive))
      fail(
        `its sha256 differs from the one recorded in ${basename(sidecar)} (the file was changed or damaged)`,
      );
  }
  let entries: ReturnType<typeof readArchive> = [];
  try {
    entries = readArchive(archive);
  } catch (error) {
    if (error instanceof ArchiveError) fail(error.message);
    throw error;
  }
  const files = new Map(entries.map((entry) => [entry.name, entry.data]));
  const manifestData = files.get(MANIFEST_ENTRY) ?? fail(`it has no ${MANIFEST_ENTRY}`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(manifestData.toString("utf8")) as BackupManifest;
  } catch {
    return fail(`its ${MANIFEST_ENTRY} is not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT) fail(`unknown format ${String(manifest.format)}`);
  for (const file of manifest.files) {
    const data = files.get(file.name) ?? fail(`${file.name} is missing`);
    if (data.length !== file.size || sha256(data) !== file.sha256)
      fail(`${file.name} does not match its sha256 in the manifest (damaged)`);
  }
  if (!manifest.files.some((file) => file.name === DATABASE_ENTRY)) fail(`it has no ${DATABASE_ENTRY}`);
  return { manifest, files };
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the database and instance files that were replaced went (renamed, never deleted). */
  keptAside: string[];
}

/**
 * Restore a verified backup into the instance folder whose lock the caller holds: the database is unpacked and
 * opened in a new folder first, then swapped in; the current database and instance files are renamed aside.
 */
export async function restoreBackup(
  path: string,
  dataDir: string,
  databaseDir: string,
): Promise<RestoreResult> {
  const { manifest, files } = verifyBackup(path);
  const known = loadMigrations().map((migration) => migration.name);
  if (manifest.lastMigration !== null && !known.includes(manifest.lastMigration)) {
    throw new BackupError(
      `${path} was made by a newer host (${manifest.hostVersion}, migration ${manifest.lastMigration} is unknown ` +
        `to this host ${HOST_VERSION}): restore it with that version or later`,
    );
  }
  const when = stamp(new Date());
  const staging = `${databaseDir}.restoring-${when}`;
  try {
    const pglite = await PGlite.create({
      dataDir: staging,
      loadDataDir: new Blob([files.get(DATABASE_ENTRY)!]),
    });
    try {
      await pglite.query("SELECT count(*) FROM pg_class");
    } finally {
      await pglite.close();
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new BackupError(`${path}: its database does not open (${(error as Error).message})`);
  }
  makeTreePrivate(staging);
  const keptAside: string[] = [];
  if (existsSync(databaseDir)) {
    const aside = `${databaseDir}.before-restore-${when}`;
    renameSync(databaseDir, aside);
    keptAside.push(aside);
  }
  renameSync(staging, databaseDir);
  for (const name of INSTANCE_FILES) {
    const data = files.get(name);
    if (!data) continue;
    const target = join(dataDir, name);
    if (existsSync(target)) {
      if (readFileSync(target).equals(data)) continue;
      const aside = `${target}.before-restore-${when}`;
      renameSync(target, aside);
      keptAside.push(aside);
    }
    writeFileSync(target, data, { mode: PRIVATE_FILE_MODE });
  }
  return { manifest, keptAside };
}
