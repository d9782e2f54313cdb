// An exclusive lock on the instance folder: a second host started on the same folder refuses with a clear
// message instead of opening the same embedded database twice (which corrupts it).
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE_NAME = "paperclip.lock";

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  /** The address the host answers on, once it listens (`paperclip backup` asks the running host there). */
  url?: string;
}

export class FolderLockedError extends Error {
  constructor(
    readonly folder: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The instance folder ${folder} is already used by another Paperclip host (pid ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}). ` +
        "Stop that host first, or start this one with a different --data-dir.",
    );
    this.name = "FolderLockedError";
  }
}

export interface FolderLock {
  readonly path: string;
  /** Record the address the host listens on in the lock file. */
  setUrl(url: string): void;
  release(): void;
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return null;
    return {
      pid: parsed.pid,
      hostname: parsed.hostname,
      startedAt: String(parsed.startedAt ?? "unknown"),
      ...(typeof parsed.url === "string" ? { url: parsed.url } : {}),
    };
  } catch {
    return null;
  }
}

/** Who holds the instance folder now: a live host's owner record, or null (no lock, or a stale one). */
export function folderLockOwner(folder: string): LockOwner | null {
  const owner = readOwner(join(folder, LOCK_FILE_NAME));
  if (owner === null) return null;
  return owner.hostname !== hostname() || isAlive(owner.pid) ? owner : null;
}

/**
 * Remove the lock file left by a host that died on this machine (its pid no longer runs); returns its owner, or
 * null when there is no lock or its host still runs (or runs on another machine sharing the folder).
 */
export function removeStaleFolderLock(folder: string): LockOwner | null {
  const path = join(folder, LOCK_FILE_NAME);
  const owner = readOwner(path);
  if (owner === null || owner.hostname !== hostname() || isAlive(owner.pid)) return null;
  rmSync(path, { force: true });
  return owner;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Take the lock or throw FolderLockedError. A lock left by a dead process on this machine is taken over. */
export function acquireFolderLock(folder: string): FolderLock {
  const path = join(folder, LOCK_FILE_NAME);
  const me: LockOwner = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        path,
        setUrl(url) {
          if (!released) writeFileSync(path, JSON.stringify({ ...me, url }), { mode: 0o600 });
        },
        release() {
          if (released) return;
          released = true;
          const owner = readOwner(path);
          if (owner?.pid === me.pid && owner.hostname === me.hostname) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = readOwner(path);
      const stale = owner === null || (owner.hostname === me.hostname && !isAlive(owner.pid));
      if (!stale) throw new FolderLockedError(folder, owner);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}: another process keeps recreating it`);
}
