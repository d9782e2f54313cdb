// The sandbox of one worker: what the host asks for (settings) and what the worker really runs with (report).
import type { SandboxGrants } from "./grants.js";
import type { NetworkIsolationMode } from "./network-isolation.js";

/** The environment variable naming the worker's own writable folder. */
export const PLUGIN_DATA_DIR_ENV = "PAPERCLIP_PLUGIN_DATA_DIR";

export interface WorkerSandboxSettings {
  /** false: no sandbox for this worker (switched off host-wide). Default true. */
  enabled?: boolean;
  /** Why the sandbox is off when `enabled` is false, e.g. "PAPERCLIP_PLUGIN_SANDBOX=off". */
  disabledReason?: string;
  /** What the operator granted this plugin. Default: nothing. */
  grants?: Partial<SandboxGrants>;
  /** The worker's one writable folder, created (0700) if missing. Default: <tmp>/paperclip-plugin-data/<pluginId>. */
  dataDir?: string;
  /** Folders no read permission may cover, e.g. the host's data folder (database, secrets key). */
  protectedPaths?: string[];
}

export interface WorkerNetworkReport {
  /** The worker has no network of its own (its own empty namespace). */
  isolated: boolean;
  mode: NetworkIsolationMode;
  description: string;
  /** Folders covered by an empty tmpfs in the worker's own mount namespace (local UNIX sockets live there). */
  maskedFolders: string[];
}

export interface WorkerSandboxReport {
  /** Node's permission model confines the worker (false: sandbox off, granted `unsandboxed`, or no model). */
  sandboxed: boolean;
  /** The permission flag used, e.g. "--experimental-permission" on Node 20. */
  permissionFlag: string | null;
  nodeVersion: string;
  network: WorkerNetworkReport;
  /** Folders the worker may read (empty when not sandboxed: then it may read everything the host can). */
  readPaths: string[];
  /** Folders the worker may write (empty when not sandboxed: then everything the host can). */
  writePaths: string[];
  /** The worker's own folder, PAPERCLIP_PLUGIN_DATA_DIR in its environment. */
  dataDir: string;
  grants: SandboxGrants;
  /** What an operator should know: the sandbox off, no network namespace, grants that lift limits. */
  warnings: string[];
}

/** The report plus what the spawn needs to apply it. */
export interface ResolvedWorkerSandbox {
  report: WorkerSandboxReport;
  /** Program and arguments before `node` (the network namespace), or empty. */
  launcher: string[];
  /** Node flags of the permission model. */
  execArgv: string[];
  /** Variables added to the worker's environment (its data folder, TMPDIR inside it). */
  env: Record<string, string>;
  /** The data folder is a temporary one (no folder was named): removed when the worker stops, if left empty. */
  temporaryDataDir: boolean;
}
