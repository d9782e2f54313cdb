// Install and upgrade share one pipeline before anything is stored: get the package (installer), read its
// manifest in a child process, validate it for this host. Every failure becomes a 400 naming the problem, and a
// version folder created by this attempt is removed again, so a failed install leaves nothing behind.
import { rm, rmdir } from "node:fs/promises";
import path from "node:path";
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import { badRequest, type DomainError } from "../../errors.js";
import {
  checkPackageScope,
  type ExistingPlugin,
  formatPluginValidationIssues,
  InstallError,
  type InstalledPluginPackage,
  installPluginPackage,
  ManifestLoadError,
  type PluginSpec,
  PluginSpecError,
  parsePluginSpec,
  readPluginManifest,
  validatePluginPackage,
} from "../installer/index.js";
import type { PluginInstallSpec } from "../registry/index.js";

/** Installer settings the host passes through (tests use preferOffline and dependency tarballs). */
export interface InstallerSettings {
  npmBin?: string;
  preferOffline?: boolean;
  /** Extra tarballs installed beside each npm-installed plugin (e.g. an unpublished SDK build). */
  dependencyTarballs?: string[];
  /** Limit of each npm command, ms. */
  npmTimeoutMs?: number;
  /** Limit of the manifest evaluation, ms. */
  manifestTimeoutMs?: number;
  /** The operator's npm scope allow-list (installer/scope-policy.ts); null or absent: any package. */
  allowedScopes?: readonly string[] | null;
}

export interface PreparePackageInput {
  spec: PluginInstallSpec;
  pluginsDir: string;
  hostVersion: string;
  existingPlugins: readonly ExistingPlugin[];
  installer?: InstallerSettings;
  onProgress?: (line: string) => void;
}

export interface PreparedPackage {
  spec: PluginInstallSpec;
  /** The spec as the installer understood it (paths resolved). */
  parsed: PluginSpec;
  installed: InstalledPluginPackage;
  manifest: PaperclipPluginManifestV1;
  /** Remove what this attempt created (a fresh npm version folder); no-op for reused or local packages. */
  discard(): Promise<void>;
}

export async function preparePackage(input: PreparePackageInput): Promise<PreparedPackage> {
  const progress = input.onProgress;
  let installed: InstalledPluginPackage;
  let spec: PluginSpec;
  try {
    spec = parsePluginSpec(input.spec);
    // A registry name is refused before anything is fetched.
    if (spec.kind === "registry") checkPackageScope(spec.name, input.installer?.allowedScopes, "npm package");
    installed = await installPluginPackage({
      spec,
      pluginsDir: input.pluginsDir,
      onProgress: progress ? (line) => progress(line) : undefined,
      npmBin: input.installer?.npmBin,
      timeoutMs: input.installer?.npmTimeoutMs,
      preferOffline: input.installer?.preferOffline,
      dependencyTarballs: spec.kind === "local" ? undefined : input.installer?.dependencyTarballs,
    });
  } catch (error) {
    throw asInstallFailure(error);
  }
  const discard = () => discardFreshInstall(installed, input.pluginsDir);
  try {
    // Every source again by the name in its package.json (a tarball or folder can hold any package).
    checkPackageScope(installed.packageName, input.installer?.allowedScopes, "package.json name");
    progress?.(`Reading the manifest of ${installed.packageName}@${installed.version}`);
    const loaded = await readPluginManifest(installed.packageDir, {
      timeoutMs: input.installer?.manifestTimeoutMs,
    });
    const validation = await validatePluginPackage({
      manifest: loaded.manifest,
      packageJson: loaded.packageJson,
      packageDir: installed.packageDir,
      hostVersion: input.hostVersion,
      existingPlugins: input.existingPlugins,
    });
    if (!validation.ok) {
      throw badRequest(
        formatPluginValidationIssues(`${installed.packageName}@${installed.version}`, validation.errors),
        {
          errors: validation.errors,
        },
      );
    }
    progress?.(`Manifest of ${validation.manifest.id}@${validation.manifest.version} is valid`);
    return { spec: input.spec, parsed: spec, installed, manifest: validation.manifest, discard };
  } catch (error) {
    await discard();
    throw asInstallFailure(error);
  }
}

/** Installer errors carry their own clear message; keep it and add what a client can act on. */
export function asInstallFailure(error: unknown): DomainError | Error {
  if (error instanceof PluginSpecError) return badRequest(error.message, { field: error.field });
  if (error instanceof InstallError) {
    return badRequest(error.message, {
      step: error.step,
      npmOutput: error.npmOutput,
      exitCode: error.exitCode,
    });
  }
  if (error instanceof ManifestLoadError) {
    return badRequest(error.message, { code: error.code, triedPaths: error.triedPaths });
  }
  return error as Error;
}

async function discardFreshInstall(installed: InstalledPluginPackage, pluginsDir: string): Promise<void> {
  if (installed.source === "local" || installed.reused || !installed.versionDir) return;
  await removeInside(pluginsDir, installed.versionDir);
  // The package's folder, when this was its only version.
  await rmdir(path.dirname(installed.versionDir)).catch(() => undefined);
}

/** rm -rf `target`, but only when it is strictly inside `root` (never a user's own folder). */
export async function removeInside(root: string, target: string): Promise<boolean> {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return false;
  await rm(target, { recursive: true, force: true });
  return true;
}
