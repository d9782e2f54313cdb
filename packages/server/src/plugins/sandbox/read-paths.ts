// The folders a sandboxed worker may read: what Node loads when it starts the worker and resolves its imports.
// That is the package folder (and the entry point's folder, when it lies elsewhere), every node_modules folder on the
// resolution path above them, and the real folders of the symlinked packages it declares (npm workspaces and
// `npm link` put symlinks in node_modules; Node reads a module at its real path, and the permission model checks the
// path it reads). The SDK counts as declared: every worker imports it, and test or workspace plugins often find it
// through a symlink without declaring it. Other workspace packages stay unreadable. Each folder is listed both as
// written and as its real path.
import { readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Upper bound of linked package folders followed (a link cycle or a huge workspace stops here). */
const MAX_ROOTS = 500;
/** Always looked up: the package every worker imports. */
const SDK_PACKAGE = "@paperclipai/plugin-sdk";

export async function workerReadPaths(roots: readonly string[]): Promise<string[]> {
  const allowed = new Set<string>();
  const seenRoots = new Set<string>();
  const queue = roots.map((root) => path.resolve(root));
  while (queue.length > 0 && seenRoots.size < MAX_ROOTS) {
    const root = queue.shift() as string;
    const forms = (await bothForms(root)).filter((form) => !seenRoots.has(form));
    if (forms.length === 0) continue;
    for (const form of forms) {
      seenRoots.add(form);
      allowed.add(form);
      for (const modules of await ancestorNodeModules(form)) {
        for (const modulesForm of await bothForms(modules)) allowed.add(modulesForm);
      }
    }
    const from = forms.at(-1) as string;
    for (const name of await declaredPackages(from)) {
      const linked = await linkedPackage(name, from);
      if (linked) queue.push(linked);
    }
  }
  return outermost([...allowed]);
}

/** The dependencies (all kinds a running package may load) of the nearest package.json at or above `folder`. */
async function declaredPackages(folder: string): Promise<string[]> {
  const names = new Set<string>([SDK_PACKAGE]);
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const text = await readFile(path.join(dir, "package.json"), "utf8").catch(() => null);
    if (text !== null) {
      try {
        const manifest = JSON.parse(text) as Record<string, unknown>;
        for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
          const deps = manifest[field];
          if (deps && typeof deps === "object") for (const name of Object.keys(deps)) names.add(name);
        }
      } catch {
        // an unreadable package.json declares nothing
      }
      return [...names];
    }
    if (path.dirname(dir) === dir) return [...names];
  }
}

/** Where Node finds package `name` from `folder`, when that is a symlink: the real folder behind it, else null. */
async function linkedPackage(name: string, folder: string): Promise<string | null> {
  for (const modules of await ancestorNodeModules(folder)) {
    const candidate = path.join(modules, name);
    const found = await stat(candidate).catch(() => null);
    if (!found?.isDirectory()) continue;
    const real = await realpath(candidate).catch(() => candidate);
    return real === candidate ? null : real;
  }
  return null;
}

/** The path as given and its real path (one entry when they are the same or it does not exist). */
async function bothForms(folder: string): Promise<string[]> {
  const real = await realpath(folder).catch(() => folder);
  return real === folder ? [folder] : [folder, real];
}

/** `<dir>/node_modules` for `folder` and each folder above it, where it exists. */
async function ancestorNodeModules(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (path.basename(dir) !== "node_modules") {
      const candidate = path.join(dir, "node_modules");
      if ((await stat(candidate).catch(() => null))?.isDirectory()) found.push(candidate);
    }
    if (path.dirname(dir) === dir) return found;
  }
}

/**
 * Drops duplicates and folders that lie inside another listed folder, so each flag covers something new. Node 20
 * aborts at start (an assertion in its permission radix tree) when one path is given twice.
 */
export function outermost(folders: string[]): string[] {
  const sorted = [...new Set(folders)].sort();
  const kept: string[] = [];
  for (const folder of sorted) {
    if (!kept.some((parent) => isInside(parent, folder))) kept.push(folder);
  }
  return kept;
}

/** True when `target` is `parent` or below it. */
export function isInside(parent: string, target: string): boolean {
  const relative = path.relative(parent, target);
  if (relative === "") return true;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** Entries of a package folder looked at for symlinks before the walk stops (a package is far smaller). */
const MAX_SCANNED_ENTRIES = 20_000;

export interface EscapingLink {
  link: string;
  /** Where it leads (its real path), or the text it points at when that does not exist. */
  target: string;
}

/**
 * Symlinks in the package's own files (node_modules left out) that lead outside the folders it may read. Node's
 * permission model checks the path as written, so such a link would let the worker read what it points at. A worker
 * cannot create links (fs.symlink needs unrestricted access) and npm drops links from the tarballs it extracts, so
 * the package folder of a local-path install is where one can come from.
 */
export async function escapingLinks(
  packageDir: string,
  readPaths: readonly string[],
): Promise<EscapingLink[]> {
  const found: EscapingLink[] = [];
  const pending = [path.resolve(packageDir)];
  let scanned = 0;
  while (pending.length > 0 && scanned < MAX_SCANNED_ENTRIES) {
    const folder = pending.pop() as string;
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      scanned++;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") pending.push(full);
      if (!entry.isSymbolicLink()) continue;
      const target = await realpath(full).catch(() => null);
      if (target === null || !readPaths.some((allowed) => isInside(allowed, target))) {
        found.push({ link: full, target: target ?? (await readlink(full).catch(() => "?")) });
      }
    }
  }
  return found;
}
