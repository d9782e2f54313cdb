// An exclusive lock on the instance folder: a second host started on the same folder refuses with a clear
// message instead of opening the same embedded database twice (which corrupts it).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

export const LOCK_FILE_NAME = "paperclip.lock";

export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
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
  release(): void;
}

function readOwner(path: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid !== "number" || typeof parsed.hostname !== "string") return null;
    return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? "unknown") };
  } catch {
    return null;
  }
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
