/** Containment checks for paths a plugin declares (manifest, worker, UI): none may leave its package. */
import { realpath } from "node:fs/promises";
import path from "node:path";

/** True when `target` is `root` itself or below it, by path text alone. */
export function isLexicallyInside(root: string, target: string, allowRoot = false): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  if (relative === "") return allowRoot;
  return relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * True when `target` stays inside `root` both by path text and after following symlinks (when
 * the target exists), so neither `../` nor a link can lead out of the package.
 */
export async function isInsidePackage(root: string, target: string, allowRoot = false): Promise<boolean> {
  if (!isLexicallyInside(root, target, allowRoot)) return false;
  const [realRoot, realTarget] = await Promise.all([
    realpath(root).catch(() => path.resolve(root)),
    realpath(target).catch(() => path.resolve(target)),
  ]);
  return isLexicallyInside(realRoot, realTarget, allowRoot);
}
