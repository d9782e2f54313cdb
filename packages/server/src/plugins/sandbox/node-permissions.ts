// Node's permission model, as the worker's Node supports it: `--experimental-permission` on Node 20 (and 21–22.12),
// `--permission` from 22.13 / 23.5. Both take one path per `--allow-fs-read` / `--allow-fs-write` flag (commas stopped
// separating paths in 20.7). Detected from the flags this Node accepts, not from its version number.
import type { SandboxGrant } from "./grants.js";

type ProcessGrant = Exclude<SandboxGrant, "unsandboxed">;

/** The flag that lifts each process-level restriction. */
const GRANT_FLAGS: Readonly<Record<ProcessGrant, string>> = {
  childProcess: "--allow-child-process",
  workerThreads: "--allow-worker",
  nativeAddons: "--allow-addons",
  wasi: "--allow-wasi",
};

export interface PermissionModel {
  /** The flag that turns the model on, or null when this Node has none (older than 20). */
  flag: "--permission" | "--experimental-permission" | null;
  nodeVersion: string;
  /** Grants this Node cannot restrict at all (its permission model predates the flag). */
  unrestrictable: ProcessGrant[];
  /** `--disable-warning` exists: the experimental model's start-up warning is kept out of the plugin's logs. */
  canSilenceWarning: boolean;
}

export function permissionModel(
  flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags,
  nodeVersion = process.version,
): PermissionModel {
  const flag = flags.has("--permission")
    ? "--permission"
    : flags.has("--experimental-permission")
      ? "--experimental-permission"
      : null;
  const unrestrictable = (Object.keys(GRANT_FLAGS) as ProcessGrant[]).filter(
    (grant) => !flags.has(GRANT_FLAGS[grant]),
  );
  return { flag, nodeVersion, unrestrictable, canSilenceWarning: flags.has("--disable-warning") };
}

export interface PermissionRequest {
  readPaths: readonly string[];
  writePaths: readonly string[];
  grants: Readonly<Record<ProcessGrant, boolean>>;
}

/** The node flags that confine a worker to `request`; empty when this Node has no permission model. */
export function permissionArgs(model: PermissionModel, request: PermissionRequest): string[] {
  if (!model.flag) return [];
  const args: string[] = [model.flag];
  if (model.flag === "--experimental-permission" && model.canSilenceWarning) {
    args.push("--disable-warning=ExperimentalWarning");
  }
  for (const folder of request.readPaths) args.push(`--allow-fs-read=${folder}`);
  for (const folder of request.writePaths) args.push(`--allow-fs-write=${folder}`);
  for (const grant of Object.keys(GRANT_FLAGS) as ProcessGrant[]) {
    if (request.grants[grant] && !model.unrestrictable.includes(grant)) args.push(GRANT_FLAGS[grant]);
  }
  return args;
}

/** In words, for the start-up log and `paperclip doctor`. */
export function describePermissionModel(model: PermissionModel): string {
  if (!model.flag) {
    return `Node ${model.nodeVersion} has no permission model: workers can read and write every file the host can`;
  }
  const kind = model.flag === "--permission" ? "stable" : "experimental";
  const gaps =
    model.unrestrictable.length > 0 ? `; this Node cannot restrict: ${model.unrestrictable.join(", ")}` : "";
  return (
    `Node ${model.nodeVersion} permission model (${model.flag}, ${kind}): workers read only their package and ` +
    `its dependencies, write only their data folder, and start no processes, threads, addons or WASI unless ` +
    `granted${gaps}`
  );
}
