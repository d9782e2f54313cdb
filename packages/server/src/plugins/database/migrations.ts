// A plugin's migration files: every `*.sql` file directly in `manifest.database.migrationsDir`, in file-name order,
// each with the sha256 of its text (the ledger refuses a file that changed after it was applied).
import { createHash } from "node:crypto";
import { readdir, readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";

export interface PluginMigrationFile {
  /** the file name, e.g. `001_init.sql` (the ledger key) */
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationsDirError extends Error {
  override readonly name = "MigrationsDirError";
}

/** The migrations folder, which must be a folder inside the package (symlinks resolved). */
export async function resolveMigrationsDir(packageDir: string, migrationsDir: string): Promise<string> {
  const root = await realpath(packageDir);
  const wanted = path.resolve(root, migrationsDir);
  const info = await stat(wanted).catch(() => null);
  if (!info?.isDirectory()) {
    throw new MigrationsDirError(
      `manifest.database.migrationsDir "${migrationsDir}" is not a folder of the package (${wanted})`,
    );
  }
  const real = await realpath(wanted);
  const relative = path.relative(root, real);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new MigrationsDirError(
      `manifest.database.migrationsDir "${migrationsDir}" leaves the package folder`,
    );
  }
  return real;
}

export async function loadPluginMigrations(
  packageDir: string,
  migrationsDir: string,
): Promise<PluginMigrationFile[]> {
  const dir = await resolveMigrationsDir(packageDir, migrationsDir);
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".sql"))
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files: PluginMigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(path.join(dir, name), "utf8");
    files.push({ name, sql, checksum: createHash("sha256").update(sql).digest("hex") });
  }
  return files;
}
