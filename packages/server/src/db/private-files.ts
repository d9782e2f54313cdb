// Files the host keeps are private to the user running it: 0600 files, 0700 folders, whatever the umask.
// host.ts sets the process umask to 077 before it writes anything (so our own files, npm's and the workers' are
// created private), and the embedded database folder is also walked here, because PGlite writes part of its
// files with explicit modes (its initial data files 0666, pg_internal.init 0644) that no umask changes.
import { chmodSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";

export const PRIVATE_UMASK = 0o077;
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Make `root` and everything under it private (folders 0700, files 0600; symbolic links are not followed).
 * Returns how many modes were changed. Files that vanish meanwhile are skipped.
 */
export function makeTreePrivate(root: string): number {
  let changed = 0;
  const visit = (path: string): void => {
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) return;
    const wanted = info.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if ((info.mode & 0o777) !== wanted) {
      try {
        chmodSync(path, wanted);
        changed++;
      } catch {
        // Not ours to change (another owner): leave it.
      }
    }
    if (!info.isDirectory()) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) visit(join(path, name));
  };
  visit(root);
  return changed;
}
