/**
 * The ONE place a plugin worker process is created: `[launcher…] node [sandbox flags, heap cap, …] entrypoint`.
 * The sandbox (plugins/sandbox) supplies the launcher (its network namespace) and the permission flags; nothing
 * else may call child_process for workers.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import type { WorkerEnvironmentOptions, WorkerInstanceInfo } from "./types.js";

/** The only variables a worker sees (reference §12.2); nothing else leaks from the host. */
export const WORKER_ENV_KEYS = [
  "PATH",
  "NODE_PATH",
  "PAPERCLIP_PLUGIN_ID",
  "NODE_ENV",
  "TZ",
  "PAPERCLIP_DEPLOYMENT_MODE",
  "PAPERCLIP_DEPLOYMENT_EXPOSURE",
  // The worker's own writable folder, and TMPDIR inside it (the sandbox lets it write nowhere else).
  "PAPERCLIP_PLUGIN_DATA_DIR",
  "TMPDIR",
] as const;

export interface WorkerEnvInput extends WorkerEnvironmentOptions {
  pluginId: string;
  instanceInfo: Pick<WorkerInstanceInfo, "deploymentMode" | "deploymentExposure">;
}

/** Build the worker's environment from scratch: an allow-list, never a copy of the host's. */
export function buildWorkerEnv(input: WorkerEnvInput): Record<string, string> {
  const host = input.hostEnv ?? process.env;
  const env: Record<string, string> = {};
  if (host.PATH) env.PATH = host.PATH;
  const nodePath = input.nodePath ?? host.NODE_PATH;
  if (nodePath) env.NODE_PATH = nodePath;
  env.PAPERCLIP_PLUGIN_ID = input.pluginId;
  env.NODE_ENV = input.nodeEnv ?? host.NODE_ENV ?? "production";
  env.TZ = input.tz ?? host.TZ ?? "UTC";
  env.PAPERCLIP_DEPLOYMENT_MODE = input.instanceInfo.deploymentMode;
  env.PAPERCLIP_DEPLOYMENT_EXPOSURE = input.instanceInfo.deploymentExposure;
  return env;
}

const HEAP_FLAG = /^--max[-_]old[-_]space[-_]size=(\d+)$/;

/**
 * Node flags for the worker: the caller's, plus the heap cap (`--max-old-space-size`) unless it is 0 or the
 * caller's flags already set one (theirs wins).
 */
export function buildExecArgv(execArgv: readonly string[] = [], memoryLimitMb?: number): string[] {
  const args = [...execArgv];
  if (memoryLimitMb !== undefined) {
    if (!Number.isInteger(memoryLimitMb) || memoryLimitMb < 0) {
      throw new RangeError(`memoryLimitMb must be a whole number >= 0 (got ${memoryLimitMb}; 0 = no cap)`);
    }
    if (memoryLimitMb > 0 && heapLimitMbOf(args) === null) args.push(`--max-old-space-size=${memoryLimitMb}`);
  }
  return args;
}

/** The heap cap (MB) the flags set, or null. */
export function heapLimitMbOf(execArgv: readonly string[]): number | null {
  let limit: number | null = null;
  for (const arg of execArgv) {
    const match = HEAP_FLAG.exec(arg);
    if (match) limit = Number(match[1]);
  }
  return limit;
}

export interface SpawnWorkerInput {
  entrypoint: string;
  packageDir: string;
  execArgv: readonly string[];
  env: Record<string, string>;
  /**
   * Program and arguments that exec node (e.g. `unshare --net --`): they must replace themselves with node, not
   * fork it, so the child's pid stays the worker's. Empty or missing: node is started directly.
   */
  launcher?: readonly string[];
}

/**
 * Start `[...launcher] node [...execArgv] entrypoint` with three pipes and no IPC channel: the protocol runs on
 * stdin/stdout, stderr is captured. A spawn failure (missing cwd, missing node) arrives as the
 * child's "error" event.
 */
export function spawnWorker(input: SpawnWorkerInput): ChildProcessWithoutNullStreams {
  const [program, ...prefix] = input.launcher?.length ? input.launcher : [];
  const nodeArgs = [...input.execArgv, input.entrypoint];
  return spawn(program ?? process.execPath, program ? [...prefix, process.execPath, ...nodeArgs] : nodeArgs, {
    stdio: ["pipe", "pipe", "pipe"],
    env: input.env,
    cwd: input.packageDir,
    windowsHide: true,
  });
}
