// A worker without a network of its own: on Linux each worker starts in a new, empty network namespace
// (`unshare --net`, or `unshare --user --map-root-user --net` when the host is not root), where only a downed
// loopback exists, so `ctx.http.fetch` through the host is its one way out. A network namespace does not cover
// UNIX sockets that live in the file system (PostgreSQL's in /run/postgresql, Docker's, …), and Node's permission
// model does not check them either, so where a mount namespace works too, the folders that hold such sockets are
// covered with empty tmpfs mounts inside it (see worker-sandbox.ts for which). unshare and sh exec node (no fork), so
// the pid the supervisor tracks is the worker's own. Probed once per host process; where it does not work, the
// host says so at start and `paperclip doctor` reports it.
import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";

export type NetworkIsolationMode = "netns" | "userns-netns" | "none";

export interface NetworkIsolation {
  mode: NetworkIsolationMode;
  /** `unshare` and its flags, ending in `--` (empty: no namespace). */
  unshare: string[];
  /** The namespace has its own mount table: folders can be masked with empty tmpfs mounts. */
  canMask: boolean;
  /** The shell that mounts the masks and execs node (null without masking). */
  shell: string | null;
  /** In words: how workers are cut off from the network, or why they are not. */
  description: string;
}

export interface NetworkProbeOptions {
  platform?: NodeJS.Platform;
  /** Whether the host runs as root (uid 0). */
  isRoot?: boolean;
  /** Folders searched for `unshare` and `sh`, PATH style (default: $PATH plus /usr/bin, /bin, /usr/sbin, /sbin). */
  searchPath?: string;
  /** Deadline of one probe run. Default 5 000 ms. */
  timeoutMs?: number;
}

const STANDARD_FOLDERS = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];
/** What argv[0] of the masking shell is called (it shows in `ps` until node replaces it). */
const SHELL_NAME = "paperclip-worker";

let cached: Promise<NetworkIsolation> | null = null;

/** This host's network isolation, probed on first use and remembered for the life of the process. */
export function networkIsolation(): Promise<NetworkIsolation> {
  cached ??= probeNetworkIsolation();
  return cached;
}

/** Program and arguments put before `node …` for a worker, with `masks` covered by empty tmpfs mounts. */
export function isolationLauncher(isolation: NetworkIsolation, masks: readonly string[]): string[] {
  if (isolation.mode === "none") return [];
  if (!isolation.canMask || !isolation.shell || masks.length === 0) return isolation.unshare;
  return [...isolation.unshare, isolation.shell, "-c", maskScript(masks), SHELL_NAME];
}

/** Probe now (no cache): really starts `node -e 0` in a new namespace and checks that it ran. */
export async function probeNetworkIsolation(options: NetworkProbeOptions = {}): Promise<NetworkIsolation> {
  const platform = options.platform ?? process.platform;
  if (platform !== "linux") {
    return none(
      `network namespaces are a Linux feature; on ${platform} workers share the host's network (they can open ` +
        "sockets, including to the host's own port)",
    );
  }
  const unshare = findProgram("unshare", options.searchPath);
  if (!unshare) {
    return none(
      "unshare (util-linux) is not installed, so workers share the host's network (they can open sockets, " +
        "including to the host's own port); install util-linux to isolate them",
    );
  }
  const shell = findProgram("sh", options.searchPath);
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const asRoot: Array<{ mode: NetworkIsolationMode; args: string[] }> = [{ mode: "netns", args: ["--net"] }];
  const asUser: Array<{ mode: NetworkIsolationMode; args: string[] }> = [
    { mode: "userns-netns", args: ["--user", "--map-root-user", "--net"] },
  ];
  const kinds = isRoot ? [...asRoot, ...asUser] : asUser;
  // With a mount namespace first (network + masked socket folders), then the network alone.
  const attempts = [
    ...(shell ? kinds.map((kind) => ({ ...kind, args: [...kind.args, "--mount"], mask: true })) : []),
    ...kinds.map((kind) => ({ ...kind, mask: false })),
  ];
  const failures: string[] = [];
  for (const attempt of attempts) {
    const candidate: NetworkIsolation = {
      mode: attempt.mode,
      unshare: [unshare, ...attempt.args, "--"],
      canMask: attempt.mask,
      shell: attempt.mask ? shell : null,
      description: "",
    };
    // The probe masks /tmp, which every system has; workers get the folders worker-sandbox.ts picks.
    const failure = await tryLauncher(isolationLauncher(candidate, ["/tmp"]), timeoutMs);
    if (failure === null) {
      candidate.description =
        `each worker runs in its own empty network namespace (unshare ${attempt.args.join(" ")}): no sockets of ` +
        "its own, ctx.http.fetch through the host is its only way out" +
        (attempt.mask
          ? "; folders holding local UNIX sockets (/run, /tmp, …) are masked"
          : "; UNIX sockets in the file system stay reachable (no mount namespace here)");
      return candidate;
    }
    failures.push(`unshare ${attempt.args.join(" ")}: ${failure}`);
  }
  return none(
    `network namespaces are not available here (${failures.join("; ")}), so workers share the host's network ` +
      "(they can open sockets, including to the host's own port)",
  );
}

function none(description: string): NetworkIsolation {
  return { mode: "none", unshare: [], canMask: false, shell: null, description };
}

/**
 * `mount -t tmpfs … '<folder>' && … && unset PWD && exec "$@"`: the folders are fixed absolute paths without quotes;
 * PWD, which the shell exports, is dropped so the worker's environment stays the allow-list (spawn.ts).
 */
function maskScript(masks: readonly string[]): string {
  const mounts = masks.map((folder) => `mount -t tmpfs -o mode=0755,size=64k paperclip-masked '${folder}'`);
  return [...mounts, "unset PWD", 'exec "$@"'].join(" && ");
}

function findProgram(name: string, searchPath?: string): string | null {
  const folders =
    searchPath === undefined
      ? [...(process.env.PATH ?? "").split(path.delimiter), ...STANDARD_FOLDERS]
      : searchPath.split(path.delimiter);
  for (const folder of folders.filter(Boolean)) {
    const candidate = path.join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}

/** null when `launcher node -e 0` ran and exited 0; otherwise what went wrong. */
function tryLauncher(launcher: string[], timeoutMs: number): Promise<string | null> {
  const [program, ...args] = launcher as [string, ...string[]];
  return new Promise((resolve) => {
    let stderr = "";
    const child = spawn(program, [...args, process.execPath, "-e", "0"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH ?? "" },
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(`no answer within ${timeoutMs} ms`);
    }, timeoutMs);
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 2_000) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(null);
      else resolve(stderr.trim().split("\n")[0] || `exited with ${signal ?? `code ${code}`}`);
    });
  });
}
