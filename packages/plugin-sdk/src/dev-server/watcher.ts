import { type FSWatcher, watch } from "node:fs";
import path from "node:path";
import { changedFiles, getUiBuildSnapshot, type UiBuildFile } from "./snapshot.js";

/** How often the fallback compares snapshots when the platform has no recursive file watching. */
export const SNAPSHOT_POLL_INTERVAL_MS = 500;
/** A bundler writes a file in several steps; changes this close together become one notification per file. */
const SETTLE_MS = 40;

export interface UiWatcher {
  /** "native" (recursive fs.watch) or "polling" (snapshots every 500 ms). */
  readonly mode: "native" | "polling";
  close(): void;
}

/**
 * Calls `onChange(files)` with the paths (relative to `uiDir`, `/`-separated) that changed, after each burst of
 * writes settles. Uses recursive fs.watch where the platform has it, else polls snapshots.
 */
export async function watchUiFolder(
  uiDir: string,
  onChange: (files: string[]) => void,
  options: { forcePolling?: boolean } = {},
): Promise<UiWatcher> {
  if (!options.forcePolling) {
    const native = startNativeWatcher(uiDir, onChange);
    if (native) return native;
  }
  return startPollingWatcher(uiDir, onChange);
}

function startNativeWatcher(uiDir: string, onChange: (files: string[]) => void): UiWatcher | null {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher;
  try {
    watcher = watch(uiDir, { recursive: true }, (_event, filename) => {
      if (!filename) return;
      pending.add(filename.toString().split(path.sep).join("/"));
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        const files = [...pending].sort();
        pending.clear();
        onChange(files);
      }, SETTLE_MS);
    });
  } catch {
    return null; // ERR_FEATURE_UNAVAILABLE_ON_PLATFORM: fall back to polling
  }
  // A watcher error (the folder was deleted) must not crash the dev server.
  watcher.on("error", () => undefined);
  return {
    mode: "native",
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}

async function startPollingWatcher(uiDir: string, onChange: (files: string[]) => void): Promise<UiWatcher> {
  const root = path.dirname(uiDir);
  const folder = path.basename(uiDir);
  let previous: UiBuildFile[] = await getUiBuildSnapshot(root, folder);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const next = await getUiBuildSnapshot(root, folder);
      const files = changedFiles(previous, next);
      previous = next;
      if (files.length > 0) onChange(files);
    } catch {
      // A file vanished between readdir and stat while the bundler wrote: the next pass sees the result.
    } finally {
      busy = false;
    }
  }, SNAPSHOT_POLL_INTERVAL_MS);
  return {
    mode: "polling",
    close() {
      clearInterval(timer);
    },
  };
}
