// Turns one worker's sandbox settings into what its spawn applies: permission flags (read: its code; write: its data
// folder; no processes, threads, addons or WASI unless granted), the network-namespace launcher, and the data
// folder in its environment. Called before every deliberate start, so a changed grant applies on the next start.
import { lstat, mkdir, realpath, rmdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { GRANT_RISKS, grantedNames, NO_GRANTS, type SandboxGrants } from "./grants.js";
import { isolationLauncher, networkIsolation } from "./network-isolation.js";
import { permissionArgs, permissionModel } from "./node-permissions.js";
import { escapingLinks, isInside, outermost, workerReadPaths } from "./read-paths.js";
import {
  PLUGIN_DATA_DIR_ENV,
  type ResolvedWorkerSandbox,
  type WorkerNetworkReport,
  type WorkerSandboxSettings,
} from "./types.js";

export interface WorkerSandboxInput {
  pluginId: string;
  pluginKey: string;
  packageDir: string;
  entrypoint: string;
  settings: WorkerSandboxSettings;
}

/** Where a worker writes when the host names no data folder (tests, tools that run one supervisor). */
export function temporaryDataDir(pluginId: string): string {
  return path.join(os.tmpdir(), "paperclip-plugin-data", pluginId.replace(/[^A-Za-z0-9._-]/g, "_"));
}

/**
 * Folders where local services keep their UNIX sockets (PostgreSQL, Docker, D-Bus, X11, …) and shared memory: a
 * network namespace does not cover sockets in the file system and Node's permission model does not check them, so
 * each is covered by an empty tmpfs in the worker's mount namespace, unless the worker needs something inside it.
 */
const MASK_CANDIDATES = ["/run", "/var/run", "/tmp", "/var/tmp", "/dev/shm"];

export class SandboxError extends Error {
  override readonly name = "SandboxError";
}

export async function resolveWorkerSandbox(input: WorkerSandboxInput): Promise<ResolvedWorkerSandbox> {
  const { settings } = input;
  const grants: SandboxGrants = { ...NO_GRANTS, ...settings.grants };
  const dataDir = path.resolve(settings.dataDir ?? temporaryDataDir(input.pluginId));
  const tmpDir = path.join(dataDir, "tmp");
  await mkdir(tmpDir, { recursive: true, mode: 0o700 });
  const env = { [PLUGIN_DATA_DIR_ENV]: dataDir, TMPDIR: tmpDir };
  const isTemporary = settings.dataDir === undefined;
  const model = permissionModel();

  if (settings.enabled === false || grants.unsandboxed) {
    const why =
      settings.enabled === false
        ? `the sandbox is switched off for every plugin on this host (${settings.disabledReason ?? "host setting"})`
        : `the operator granted "unsandboxed": ${GRANT_RISKS.unsandboxed}`;
    return {
      report: {
        sandboxed: false,
        permissionFlag: null,
        nodeVersion: model.nodeVersion,
        network: {
          isolated: false,
          mode: "none",
          description: "not isolated: the sandbox is off",
          maskedFolders: [],
        },
        readPaths: [],
        writePaths: [],
        dataDir,
        grants,
        warnings: [`Not sandboxed: ${why}. The worker can read, write, spawn and connect like the host.`],
      },
      launcher: [],
      execArgv: [],
      env,
      temporaryDataDir: isTemporary,
    };
  }

  const [network, codePaths] = await Promise.all([
    networkIsolation(),
    workerReadPaths([input.packageDir, path.dirname(input.entrypoint)]),
  ]);
  const readPaths = outermost([...codePaths, dataDir]);
  await refuseProtected(input.pluginKey, readPaths, settings.protectedPaths ?? []);
  const links = await escapingLinks(input.packageDir, readPaths);
  if (links.length > 0) {
    const shown = links.slice(0, 3).map(({ link, target }) => `${link} → ${target}`);
    throw new SandboxError(
      `Plugin ${input.pluginKey} cannot be sandboxed: its package folder has ${links.length} symlink(s) leading ` +
        `outside what it may read (${shown.join(", ")}${links.length > 3 ? ", …" : ""}); Node's permission model ` +
        "follows them, so remove them (or copy what they point at into the package)",
    );
  }
  const writePaths = [dataDir];
  const warnings: string[] = [];
  if (!model.flag) warnings.push(`No file-system limits: Node ${model.nodeVersion} has no permission model.`);
  for (const grant of model.unrestrictable) {
    warnings.push(
      `Node ${model.nodeVersion} cannot restrict ${grant}: the worker may use it without a grant.`,
    );
  }
  if (network.mode === "none") warnings.push(`No network isolation: ${network.description}.`);
  for (const grant of grantedNames(grants)) warnings.push(`Granted ${grant}: ${GRANT_RISKS[grant]}`);
  const masks = network.canMask ? await maskableFolders([...readPaths, ...writePaths, process.execPath]) : [];
  const networkReport: WorkerNetworkReport = {
    isolated: network.mode !== "none",
    mode: network.mode,
    description: network.description,
    maskedFolders: masks,
  };
  return {
    report: {
      sandboxed: model.flag !== null,
      permissionFlag: model.flag,
      nodeVersion: model.nodeVersion,
      network: networkReport,
      readPaths,
      writePaths,
      dataDir,
      grants,
      warnings,
    },
    launcher: isolationLauncher(network, masks),
    execArgv: permissionArgs(model, { readPaths, writePaths, grants }),
    env,
    temporaryDataDir: isTemporary,
  };
}

/** A temporary data folder the worker left empty (its `tmp/` aside) is removed; one with files in it stays. */
export async function tidyTemporaryDataDir(dataDir: string): Promise<void> {
  await rmdir(path.join(dataDir, "tmp")).catch(() => undefined);
  await rmdir(dataDir).catch(() => undefined);
}

/** The mask candidates that exist as real folders and hold nothing the worker needs (nor lie inside it). */
async function maskableFolders(needed: string[]): Promise<string[]> {
  const neededForms = new Set<string>();
  for (const item of needed) {
    neededForms.add(path.resolve(item));
    neededForms.add(await realpath(item).catch(() => path.resolve(item)));
  }
  const masks: string[] = [];
  for (const folder of MASK_CANDIDATES) {
    const info = await lstat(folder).catch(() => null);
    if (!info?.isDirectory()) continue;
    const clashes = [...neededForms].some((item) => isInside(folder, item) || isInside(item, folder));
    if (!clashes) masks.push(folder);
  }
  return masks;
}

/** A read permission covering the host's data folder would hand the worker the database and the secrets key. */
async function refuseProtected(
  pluginKey: string,
  readPaths: string[],
  protectedPaths: string[],
): Promise<void> {
  for (const given of protectedPaths) {
    const forms = [path.resolve(given), await realpath(given).catch(() => path.resolve(given))];
    for (const readable of readPaths) {
      const covered = forms.find((form) => isInside(readable, form));
      if (covered) {
        throw new SandboxError(
          `Plugin ${pluginKey} cannot be sandboxed: it would need to read ${readable}, which contains the host's ` +
            `data folder ${covered} (database, secrets key). Install it from a folder outside the data folder.`,
        );
      }
    }
  }
}
