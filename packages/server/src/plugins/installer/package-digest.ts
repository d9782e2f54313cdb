/**
 * The digest of an installed plugin's files, recorded at install and compared before every worker start
 * (docs/supply-chain.md).
 *
 * What is hashed: every file under the digest root, at any depth, dot-files and node_modules included, because the
 * worker can load (import, require, read) any of them. The root is what the worker's module resolution reaches:
 * `<version folder>/node_modules` for npm installs (the plugin and its dependencies), the package folder itself
 * for local folders. A symbolic link is recorded as its target text, never followed (following one could pull a
 * whole repository into the digest, and a changed target is a change). Empty folders are not recorded: no code
 * can be loaded from them.
 *
 * Each file gets its own sha256, so a mismatch can name the first changed file; the package digest is a sha256
 * over the sorted (path, entry) list.
 *
 * Re-hashing can be skipped for a file whose inode, size, mtime AND ctime are what they were when it was last
 * hashed (`previous`). mtime and size alone would not do: anyone who can write the file can set its mtime back.
 * ctime cannot be set: the kernel stamps it on every change of content or metadata (utimes included), so an
 * unchanged ctime means an unchanged file, short of root changing the system clock (root owns the host anyway).
 * A file whose ctime is within RACY_WINDOW_MS of the previous hashing is hashed again, since a change in the same
 * clock tick as the hashing could leave its stamps unchanged (git's "racy" rule).
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import path from "node:path";

/** Path (relative to the root, '/'-separated) → `sha256:<hex>` for a file, `symlink:<target>` for a link. */
export type PackageFileEntries = Record<string, string>;

export interface PackageDigest {
  /** `sha256-<base64>` over the sorted entries. */
  digest: string;
  rootDir: string;
  files: PackageFileEntries;
  fileCount: number;
  totalBytes: number;
  /** Path → `ino:size:mtimeNs:ctimeNs` when it was hashed (files only), for the next computation's shortcut. */
  stamps: Record<string, string>;
  /** Epoch ms when this computation started (the racy window is measured from it). */
  startedAt: number;
  /** Files actually read and hashed this time (the others were unchanged since `previous`). */
  hashedCount: number;
}

/** Changes this close to the previous hashing may not show in the stamps: such files are hashed again. */
export const RACY_WINDOW_MS = 2_000;

export interface PackageFileChange {
  path: string;
  change: "modified" | "added" | "removed";
}

/** Files read at once: enough to keep the disk busy without opening thousands of handles. */
const READ_CONCURRENCY = 16;

/** Where the digest of an installed package starts (see the file comment). */
export function digestRootOf(install: {
  source: "registry" | "tarball" | "local";
  packageDir: string;
  tarballPath: string | null;
}): string {
  if (install.source !== "local" && install.tarballPath) {
    return path.join(path.dirname(install.tarballPath), "node_modules");
  }
  return install.packageDir;
}

/**
 * The digest of every file under `rootDir`. With `previous` (an earlier result for the same folder), files whose
 * stamps are unchanged and not racy keep their earlier hash instead of being read (see the file comment).
 */
export async function computePackageDigest(
  rootDir: string,
  previous?: PackageDigest,
): Promise<PackageDigest> {
  const startedAt = Date.now();
  const root = path.resolve(rootDir);
  const rootInfo = await lstat(root).catch(() => null);
  if (!rootInfo?.isDirectory()) throw new Error(`the package folder ${root} is missing`);
  const found: Array<{ relative: string; absolute: string; kind: "file" | "symlink" }> = [];
  await walk(root, "", found);
  const reusable = previous && previous.rootDir === root ? previous : null;
  const files: PackageFileEntries = {};
  const stamps: Record<string, string> = {};
  let totalBytes = 0;
  let hashedCount = 0;
  await eachLimited(found, READ_CONCURRENCY, async (item) => {
    if (item.kind === "symlink") {
      files[item.relative] = `symlink:${await readlink(item.absolute)}`;
      return;
    }
    const info = await lstat(item.absolute, { bigint: true });
    const stamp = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    totalBytes += Number(info.size);
    stamps[item.relative] = stamp;
    const earlier = reusable?.files[item.relative];
    const settled = Number(info.ctimeMs) < (reusable?.startedAt ?? 0) - RACY_WINDOW_MS;
    if (earlier && settled && reusable?.stamps[item.relative] === stamp) {
      files[item.relative] = earlier;
      return;
    }
    const content = await readFile(item.absolute);
    hashedCount++;
    files[item.relative] = `sha256:${createHash("sha256").update(content).digest("hex")}`;
  });
  const sorted = Object.keys(files).sort(comparePaths);
  const ordered: PackageFileEntries = {};
  const whole = createHash("sha256");
  for (const relative of sorted) {
    ordered[relative] = files[relative]!;
    // NUL and newline cannot both appear inside a path and its entry in a way that makes two lists collide.
    whole.update(`${relative}\0${files[relative]}\n`);
  }
  return {
    digest: `sha256-${whole.digest("base64")}`,
    rootDir: root,
    files: ordered,
    fileCount: sorted.length,
    totalBytes,
    stamps,
    startedAt,
    hashedCount,
  };
}

/** What differs between the recorded entries and the current ones, in path order. */
export function diffPackageFiles(
  recorded: PackageFileEntries,
  current: PackageFileEntries,
): PackageFileChange[] {
  const changes: PackageFileChange[] = [];
  for (const [relative, entry] of Object.entries(recorded)) {
    const now = current[relative];
    if (now === undefined) changes.push({ path: relative, change: "removed" });
    else if (now !== entry) changes.push({ path: relative, change: "modified" });
  }
  for (const relative of Object.keys(current)) {
    if (!Object.hasOwn(recorded, relative)) changes.push({ path: relative, change: "added" });
  }
  return changes.sort((a, b) => comparePaths(a.path, b.path));
}

/** Code-unit order, so the digest does not depend on the host's locale. */
function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function walk(
  absoluteDir: string,
  relativeDir: string,
  found: Array<{ relative: string; absolute: string; kind: "file" | "symlink" }>,
): Promise<void> {
  const entries = await readdir(absoluteDir, { withFileTypes: true });
  for (const entry of entries) {
    const absolute = path.join(absoluteDir, entry.name);
    const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.isSymbolicLink()) found.push({ relative, absolute, kind: "symlink" });
    else if (entry.isDirectory()) await walk(absolute, relative, found);
    else if (entry.isFile()) found.push({ relative, absolute, kind: "file" });
    // Sockets, FIFOs and devices hold no loadable code; a package never ships them.
  }
}

async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
