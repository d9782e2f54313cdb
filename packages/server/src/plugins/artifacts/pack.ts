// Packing an installed plugin version into an artifact: what another node needs to run its worker without
// installing anything. Two layouts, following the package digest's root (installer/package-digest.ts):
//
// - `node_modules/…` for npm installs (registry or tarball): the version folder's node_modules, i.e. the plugin
//   and every dependency npm installed for it, exactly the files the digest covers.
// - `package/…` plus `node_modules/…` for a local folder: the folder's files as the digest sees them (its own
//   node_modules included) under `package/`, and the dependencies Node finds OUTSIDE the folder (a workspace's
//   hoisted node_modules, the SDK linked by npm workspaces) copied under `node_modules/`, where Node resolves
//   them from `package/`. Those are copied as `npm pack` would publish them (package.json `files`, else the folder
//   without node_modules), each dependency's own dependencies followed the same way.
import { createHash } from "node:crypto";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { digestRootOf } from "../installer/index.js";
import { isInside } from "../sandbox/read-paths.js";
import { folderEntries, packTar, type TarEntry } from "./tar.js";

/** Dependencies always looked up: every worker imports the SDK, declared or not (sandbox/read-paths.ts). */
const SDK_PACKAGE = "@paperclipai/plugin-sdk";
/** Outside dependencies followed before giving up (a dependency cycle or a huge workspace stops here). */
const MAX_OUTSIDE_PACKAGES = 2_000;

export type ArtifactLayout = "node_modules" | "package";

export interface PackableInstall {
  source: "registry" | "tarball" | "local";
  packageDir: string;
  tarballPath: string | null;
}

export interface PackedArtifact {
  content: Buffer;
  /** `sha512-<base64>` of `content` */
  integrity: string;
  sizeBytes: number;
  layout: ArtifactLayout;
}

/** Which layout an install's files are packed in (the digest root decides). */
export function layoutOf(install: PackableInstall): ArtifactLayout {
  return digestRootOf(install) === install.packageDir ? "package" : "node_modules";
}

export function sha512Of(content: Buffer): string {
  return `sha512-${createHash("sha512").update(content).digest("base64")}`;
}

/** Pack the installed files of a plugin version (see the file comment for what goes in). */
export async function packInstalledPlugin(install: PackableInstall): Promise<PackedArtifact> {
  const layout = layoutOf(install);
  const entries =
    layout === "node_modules"
      ? await folderEntries(digestRootOf(install), "node_modules")
      : await localPackageEntries(install.packageDir);
  const content = packTar(entries);
  return { content, integrity: sha512Of(content), sizeBytes: content.length, layout };
}

async function localPackageEntries(packageDir: string): Promise<TarEntry[]> {
  const root = path.resolve(packageDir);
  const entries = await folderEntries(root, "package");
  entries.push(...(await outsideDependencies(root)));
  return entries;
}

/**
 * The dependencies Node would load from outside the package folder, each placed where Node finds it from
 * `package/`: `node_modules/<name>` when that place is free, else nested under the package that needs it.
 */
async function outsideDependencies(packageRoot: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  /** archive folder → the real folder placed there */
  const placed = new Map<string, string>();
  const queue: Array<{ from: string; archiveDir: string }> = [{ from: packageRoot, archiveDir: "package" }];
  while (queue.length > 0 && placed.size < MAX_OUTSIDE_PACKAGES) {
    const { from, archiveDir } = queue.shift() as { from: string; archiveDir: string };
    for (const name of await declaredDependencies(from)) {
      const found = await resolvePackageFolder(name, from);
      if (!found) continue;
      const real = await realpath(found);
      // Inside the package: packed with its files already; its own dependencies may still lie outside.
      if (isInside(packageRoot, found) && isInside(packageRoot, real)) continue;
      const archiveFolder = placementFor(name, archiveDir, real, placed);
      if (archiveFolder === null) continue; // the same folder is reachable there already
      placed.set(archiveFolder, real);
      entries.push(...(await publishedEntries(real, archiveFolder)));
      queue.push({ from: real, archiveDir: archiveFolder });
    }
  }
  return entries;
}

/**
 * Where `name` (real folder `real`) goes so Node finds it from `archiveDir`: the top node_modules when free, else
 * nested under archiveDir. null when Node already finds that folder from there.
 */
function placementFor(
  name: string,
  archiveDir: string,
  real: string,
  placed: Map<string, string>,
): string | null {
  const own = `${archiveDir}/node_modules/${name}`;
  // What Node finds from archiveDir: the nearest node_modules/<name> on the way up.
  for (let dir = archiveDir; ; dir = path.posix.dirname(dir)) {
    const candidate = dir === "." ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    const there = placed.get(candidate);
    if (there !== undefined) return there === real || candidate === own ? null : own;
    if (dir === ".") return candidate;
  }
}

/** dependencies, optionalDependencies and peerDependencies of the package.json in `folder` (plus the SDK). */
async function declaredDependencies(folder: string): Promise<string[]> {
  const names = new Set<string>([SDK_PACKAGE]);
  const manifest = await readManifest(folder);
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    const deps = manifest?.[field];
    if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
  }
  // A package does not depend on itself (the SDK's own folder).
  if (typeof manifest?.name === "string") names.delete(manifest.name);
  return [...names].sort();
}

/** Where Node's resolution from `folder` finds package `name` (walking up node_modules), or null. */
async function resolvePackageFolder(name: string, folder: string): Promise<string | null> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules", name);
      if ((await stat(path.join(candidate, "package.json")).catch(() => null))?.isFile()) return candidate;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * A dependency's files as `npm pack` publishes them: package.json, README/LICENSE and the `files` entries when
 * it lists them (plain names, a listed folder whole; a glob falls back to the whole folder), else the folder
 * without node_modules.
 */
async function publishedEntries(folder: string, archiveFolder: string): Promise<TarEntry[]> {
  const manifest = await readManifest(folder);
  const files = Array.isArray(manifest?.files) ? (manifest.files as unknown[]) : null;
  const plain =
    files?.every((entry) => typeof entry === "string" && !/[*?[\]{}!]/.test(entry)) === true
      ? (files as string[]).map((entry) => entry.replace(/^\.\//, "").replace(/\/$/, ""))
      : null;
  return folderEntries(folder, archiveFolder, (relative, isDirectory) => {
    const first = relative.split("/")[0] as string;
    if (first === "node_modules" || first === ".git") return true;
    // Only the top level is filtered: a listed folder comes whole.
    if (plain === null || relative.includes("/")) return false;
    if (!isDirectory && (first === "package.json" || /^(readme|license|licence)/i.test(first))) return false;
    return !plain.some((entry) => entry === first || entry.startsWith(`${first}/`));
  });
}

async function readManifest(folder: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path.join(folder, "package.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}
