/**
 * Installs a plugin package into its own folder per version (see ./layout.ts):
 *
 * 1. `npm pack <spec> --json` in a staging folder gives the exact tarball, name, version and
 *    integrity — for a registry spec that is the registry's own tarball.
 * 2. We hash the tarball ourselves and compare it with npm's integrity.
 * 3. `npm install --ignore-scripts --no-audit --no-fund --omit=dev` in that staging folder, whose
 *    generated package.json depends on the tarball by `file:`, writes node_modules and a lockfile
 *    for this plugin version alone. No package script runs, and no plugin code runs in the host.
 * 4. The staging folder is renamed to `<pluginsDir>/<name>/<version>/` in one step, so a version
 *    folder is either complete or absent. The tarball stays there as the artifact.
 *
 * Local folders are used in place after checking they hold a package.json.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, realpath, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { InstallError } from "./errors.js";
import {
  INSTALL_FOLDER_NPMRC,
  INSTALL_RECORD_FILE,
  type InstallRecord,
  type InstallSource,
  installedPackageDirectory,
  installFolderPackageJson,
  readInstallRecord,
  STAGING_DIR_NAME,
  sha512Integrity,
  versionDirectory,
} from "./layout.js";
import { type InstallProgressListener, runNpm } from "./npm-runner.js";
import { formatNpmSpec, type PluginSpec } from "./spec.js";

export interface InstallPluginPackageOptions {
  spec: PluginSpec;
  /** Root folder of installed plugins (e.g. `<instance>/plugins`). Created when missing. */
  pluginsDir: string;
  /** Receives npm's output lines as they arrive, plus the installer's own step lines. */
  onProgress?: InstallProgressListener;
  /** npm executable (default `npm` from PATH). */
  npmBin?: string;
  /** Time limit for EACH npm command, in ms (default 120 000); npm is killed when it runs over. */
  timeoutMs?: number;
  /** Pass `--prefer-offline` so npm uses its cache when it can (tests, air-gapped hosts). */
  preferOffline?: boolean;
  /**
   * Tarballs installed beside the plugin in the same folder, so dependencies that are not on the
   * registry (e.g. an unpublished SDK build) resolve locally. Paths are absolute or relative to cwd.
   */
  dependencyTarballs?: string[];
  /**
   * When this name+version is already installed from a tarball with a DIFFERENT integrity:
   * "error" (default) refuses, since a published version never changes and a mismatch means the
   * artifact is not what was installed before; "replace" swaps the folder for the new one.
   */
  onIntegrityMismatch?: "error" | "replace";
}

export interface InstalledPluginPackage {
  packageName: string;
  version: string;
  /** Folder holding the package's package.json: what the host loads the manifest and worker from. */
  packageDir: string;
  /** `<pluginsDir>/<name>/<version>` for npm installs (absent for local paths). */
  versionDir?: string;
  /** The installed tarball, kept as the artifact (absent for local paths). */
  tarballPath?: string;
  /** `sha512-<base64>` of the tarball (absent for local paths). */
  integrity?: string;
  source: InstallSource;
  /** True when an identical earlier install (same name, version and integrity) was reused. */
  reused: boolean;
}

const DEFAULT_TIMEOUT_MS = 120_000;

interface PackedTarball {
  name: string;
  version: string;
  integrity: string;
  file: string;
}

export async function installPluginPackage(
  options: InstallPluginPackageOptions,
): Promise<InstalledPluginPackage> {
  const { spec } = options;
  if (spec.kind === "local") return useLocalFolder(spec.path, options);
  return installFromNpm(spec, options);
}

async function useLocalFolder(
  folder: string,
  options: InstallPluginPackageOptions,
): Promise<InstalledPluginPackage> {
  const info = await stat(folder).catch(() => null);
  if (!info) throw new InstallError("local", `local: the path "${folder}" does not exist`);
  if (!info.isDirectory()) {
    throw new InstallError(
      "local",
      `local: the path "${folder}" is not a folder (a plugin package folder is expected)`,
    );
  }
  const packageDir = await realpath(folder);
  const packageJsonPath = path.join(packageDir, "package.json");
  let packageJson: { name?: unknown; version?: unknown };
  try {
    packageJson = JSON.parse(await readFile(packageJsonPath, "utf8")) as typeof packageJson;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new InstallError(
      "local",
      missing
        ? `local: "${packageDir}" has no package.json, so it is not a package`
        : `local: ${packageJsonPath} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof packageJson?.name !== "string" || packageJson.name === "") {
    throw new InstallError("local", `local: ${packageJsonPath} has no "name"`);
  }
  if (typeof packageJson.version !== "string" || packageJson.version === "") {
    throw new InstallError("local", `local: ${packageJsonPath} has no "version"`);
  }
  report(
    options,
    "local",
    `Using local package ${packageJson.name}@${packageJson.version} in place at ${packageDir}`,
  );
  return {
    packageName: packageJson.name,
    version: packageJson.version,
    packageDir,
    source: "local",
    reused: false,
  };
}

async function installFromNpm(
  spec: Extract<PluginSpec, { kind: "registry" | "tarball" }>,
  options: InstallPluginPackageOptions,
): Promise<InstalledPluginPackage> {
  const pluginsDir = path.resolve(options.pluginsDir);
  const stagingRoot = path.join(pluginsDir, STAGING_DIR_NAME);
  const stagingDir = path.join(stagingRoot, `install-${Date.now()}-${randomBytes(6).toString("hex")}`);
  // Recursive: another install may remove an empty staging root at any moment.
  await mkdir(stagingDir, { recursive: true });
  try {
    return await installIntoStaging(spec, options, pluginsDir, stagingDir);
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
    // Leave no empty staging root behind; another install may still be using it (ENOTEMPTY).
    await rmdir(stagingRoot).catch(() => undefined);
  }
}

async function installIntoStaging(
  spec: Extract<PluginSpec, { kind: "registry" | "tarball" }>,
  options: InstallPluginPackageOptions,
  pluginsDir: string,
  stagingDir: string,
): Promise<InstalledPluginPackage> {
  const npmSpec = formatNpmSpec(spec);
  const workDir = path.join(stagingDir, "package");
  await mkdir(workDir);
  // A placeholder package.json pins npm's project root to this folder while packing.
  await writeFile(
    path.join(workDir, "package.json"),
    '{ "name": "paperclip-install-staging", "private": true }\n',
  );

  report(options, "pack", `Fetching ${npmSpec}`);
  const plugin = await packTarball(npmSpec, workDir, options);
  report(options, "pack", `Fetched ${plugin.name}@${plugin.version} (${plugin.integrity})`);

  let versionDir: string;
  try {
    versionDir = versionDirectory(pluginsDir, plugin.name, plugin.version);
  } catch (error) {
    throw new InstallError("verify", `verify: ${(error as Error).message}`);
  }
  const existing = await reusableInstall(versionDir, plugin, options);
  if (existing) return existing;

  const dependencies: PackedTarball[] = [];
  for (const dependencyTarball of options.dependencyTarballs ?? []) {
    const absolute = path.resolve(dependencyTarball);
    report(options, "pack", `Adding dependency tarball ${absolute}`);
    dependencies.push(await packTarball(absolute, workDir, options));
  }

  await writeFile(
    path.join(workDir, "package.json"),
    installFolderPackageJson(plugin.name, plugin.version, [plugin, ...dependencies]),
  );
  await writeFile(path.join(workDir, ".npmrc"), INSTALL_FOLDER_NPMRC);

  report(options, "install", `Installing ${plugin.name}@${plugin.version} with npm (scripts disabled)`);
  const installArgs = [
    "install",
    "--ignore-scripts",
    "--no-audit",
    "--no-fund",
    "--omit=dev",
    "--prefix",
    workDir,
  ];
  if (options.preferOffline) installArgs.push("--prefer-offline");
  await runNpm({
    step: "install",
    args: installArgs,
    label: "npm install --ignore-scripts --no-audit --no-fund --omit=dev",
    cwd: workDir,
    npmBin: options.npmBin ?? "npm",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    onProgress: options.onProgress,
    forwardStdout: true,
  });

  await checkInstalledPackage(workDir, plugin);
  const record: InstallRecord = {
    packageName: plugin.name,
    version: plugin.version,
    integrity: plugin.integrity,
    tarball: plugin.file,
    dependencyTarballs: dependencies.map((dependency) => dependency.file),
    source: spec.kind,
    spec: npmSpec,
    installedAt: new Date().toISOString(),
  };
  await writeFile(path.join(workDir, INSTALL_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);

  const moved = await moveIntoPlace(workDir, versionDir, stagingDir, plugin, options);
  if (!moved) {
    // Another install of the same version finished first; use it if it is the same artifact.
    const winner = await reusableInstall(versionDir, plugin, { ...options, onIntegrityMismatch: "error" });
    if (winner) return winner;
    throw new InstallError("finalise", `finalise: could not move the install into ${versionDir}`);
  }
  report(options, "finalise", `Installed ${plugin.name}@${plugin.version} into ${versionDir}`);
  return {
    packageName: plugin.name,
    version: plugin.version,
    packageDir: installedPackageDirectory(versionDir, plugin.name),
    versionDir,
    tarballPath: path.join(versionDir, plugin.file),
    integrity: plugin.integrity,
    source: spec.kind,
    reused: false,
  };
}

/** `npm pack <spec> --json` into `destination`, then hash the file and compare with npm's integrity. */
async function packTarball(
  npmSpec: string,
  destination: string,
  options: InstallPluginPackageOptions,
): Promise<PackedTarball> {
  const args = ["pack", npmSpec, "--json", "--ignore-scripts", "--pack-destination", destination];
  args.push("--prefix", destination);
  if (options.preferOffline) args.push("--prefer-offline");
  const { stdout } = await runNpm({
    step: "pack",
    args,
    label: `npm pack ${npmSpec}`,
    cwd: destination,
    npmBin: options.npmBin ?? "npm",
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    onProgress: options.onProgress,
    forwardStdout: false,
  });
  const packed = parsePackOutput(stdout, npmSpec);
  const tarballPath = path.join(destination, packed.file);
  const computed = await sha512Integrity(tarballPath).catch((error: Error) => {
    throw new InstallError(
      "verify",
      `verify: npm pack reported ${packed.file} but it cannot be read: ${error.message}`,
    );
  });
  if (packed.integrity.startsWith("sha512-") && packed.integrity !== computed) {
    throw new InstallError(
      "verify",
      `verify: the tarball of ${npmSpec} does not match its integrity: npm reported ${packed.integrity}, ` +
        `the file hashes to ${computed}`,
    );
  }
  return { ...packed, integrity: computed };
}

function parsePackOutput(stdout: string, npmSpec: string): PackedTarball {
  const fail = (why: string): never => {
    throw new InstallError(
      "pack",
      `pack: could not read the result of \`npm pack ${npmSpec} --json\`: ${why}`,
    );
  };
  let parsed: unknown;
  try {
    // Anything printed before the JSON (e.g. by an old npm) is skipped.
    const start = stdout.indexOf("[");
    parsed = JSON.parse(start === -1 ? stdout : stdout.slice(start));
  } catch (error) {
    fail(`output is not JSON (${(error as Error).message})`);
  }
  const entry = Array.isArray(parsed) ? (parsed[0] as Record<string, unknown> | undefined) : undefined;
  if (!entry || typeof entry !== "object") return fail("expected an array with one entry");
  const { name, version, integrity, filename } = entry;
  if (typeof name !== "string" || name === "") return fail('the entry has no "name"');
  if (typeof version !== "string" || version === "") return fail(`the package ${name} has no "version"`);
  if (typeof filename !== "string" || filename === "" || filename.includes("/") || filename.includes("\\")) {
    return fail(`the entry has no usable "filename"`);
  }
  return { name, version, integrity: typeof integrity === "string" ? integrity : "", file: filename };
}

/** An earlier install of the same name+version that can be reused, or null when there is none. */
async function reusableInstall(
  versionDir: string,
  plugin: PackedTarball,
  options: InstallPluginPackageOptions,
): Promise<InstalledPluginPackage | null> {
  const record = await readInstallRecord(versionDir);
  if (!record) return null;
  const packageDir = installedPackageDirectory(versionDir, plugin.name);
  const intact = await pathExists(path.join(packageDir, "package.json"));
  if (!intact) return null; // a broken leftover: install again and replace it
  if (record.integrity === plugin.integrity) {
    report(
      options,
      "finalise",
      `${plugin.name}@${plugin.version} is already installed with the same integrity; reusing ${versionDir}`,
    );
    return {
      packageName: plugin.name,
      version: plugin.version,
      packageDir,
      versionDir,
      tarballPath: path.join(versionDir, record.tarball),
      integrity: record.integrity,
      source: record.source,
      reused: true,
    };
  }
  if ((options.onIntegrityMismatch ?? "error") === "error") {
    throw new InstallError(
      "verify",
      `verify: ${plugin.name}@${plugin.version} is already installed at ${versionDir} from a tarball with integrity ` +
        `${record.integrity}, but the new tarball has ${plugin.integrity}; a version's content must not change. ` +
        "Bump the version, uninstall the old one first, or install with onIntegrityMismatch: replace",
    );
  }
  return null;
}

/** Checks npm put the package where we expect it, with the name and version that were packed. */
async function checkInstalledPackage(workDir: string, plugin: PackedTarball): Promise<void> {
  const packageJsonPath = path.join(installedPackageDirectory(workDir, plugin.name), "package.json");
  let installed: { name?: unknown; version?: unknown };
  try {
    installed = JSON.parse(await readFile(packageJsonPath, "utf8")) as typeof installed;
  } catch (error) {
    throw new InstallError(
      "install",
      `install: npm finished but ${plugin.name} is missing from node_modules (${(error as Error).message})`,
    );
  }
  if (installed.name !== plugin.name || installed.version !== plugin.version) {
    throw new InstallError(
      "install",
      `install: node_modules holds ${String(installed.name)}@${String(installed.version)}, ` +
        `expected ${plugin.name}@${plugin.version}`,
    );
  }
}

/**
 * Renames the finished work folder to the version folder. Returns false when the version folder
 * now holds a complete install we must not touch: an identical one (another install of the same
 * version finished first) or a different one while the caller asked for "error" on mismatch.
 * Anything else there (a broken leftover, or a mismatch with "replace") is replaced.
 */
async function moveIntoPlace(
  workDir: string,
  versionDir: string,
  stagingDir: string,
  plugin: PackedTarball,
  options: InstallPluginPackageOptions,
): Promise<boolean> {
  await mkdir(path.dirname(versionDir), { recursive: true });
  if (await pathExists(versionDir)) {
    const record = await readInstallRecord(versionDir);
    const intact = await pathExists(
      path.join(installedPackageDirectory(versionDir, plugin.name), "package.json"),
    );
    if (record && intact) {
      const replace = record.integrity !== plugin.integrity && options.onIntegrityMismatch === "replace";
      if (!replace) return false;
    }
    // Move the old folder into staging (removed with it), then put the new one in its place.
    report(options, "finalise", `Replacing the previous contents of ${versionDir}`);
    await rename(versionDir, path.join(stagingDir, "replaced"));
  }
  try {
    await rename(workDir, versionDir);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTEMPTY") return false;
    throw new InstallError(
      "finalise",
      `finalise: could not move the install into ${versionDir}: ${(error as Error).message}`,
    );
  }
}

function pathExists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

function report(options: InstallPluginPackageOptions, step: InstallError["step"], line: string): void {
  try {
    options.onProgress?.(line, { step, stream: "installer" });
  } catch {
    // A listener that throws must not break the install.
  }
}
