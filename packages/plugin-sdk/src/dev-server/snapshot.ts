import { existsSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";

export interface UiBuildFile {
  /** Path relative to the UI folder, with `/` separators. */
  file: string;
  mtimeMs: number;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(absolute);
      return entry.isFile() ? [absolute] : [];
    }),
  );
  return nested.flat();
}

/**
 * Every file of a built UI folder with its modification time, sorted by path: two snapshots differ exactly when
 * a build added, removed or rewrote a file. An absent folder is an empty build.
 */
export async function getUiBuildSnapshot(rootDir: string, uiDir = "dist/ui"): Promise<UiBuildFile[]> {
  const base = path.resolve(rootDir, uiDir);
  if (!existsSync(base)) return [];
  const files = await listFiles(base);
  const rows = await Promise.all(
    files.map(async (absolute) => ({
      file: path.relative(base, absolute).split(path.sep).join("/"),
      mtimeMs: (await stat(absolute)).mtimeMs,
    })),
  );
  return rows.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The files that differ between two snapshots (added, removed or changed), sorted. */
export function changedFiles(before: UiBuildFile[], after: UiBuildFile[]): string[] {
  const previous = new Map(before.map((row) => [row.file, row.mtimeMs]));
  const changed = new Set<string>();
  for (const row of after) {
    if (previous.get(row.file) !== row.mtimeMs) changed.add(row.file);
    previous.delete(row.file);
  }
  for (const removed of previous.keys()) changed.add(removed);
  return [...changed].sort();
}
