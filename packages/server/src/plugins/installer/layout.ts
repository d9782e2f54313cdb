/**
 * Where installed plugins live on disk and the small record kept beside each one.
 *
 *   <pluginsDir>/<sanitised-name>/<version>/
 *     package.json            generated: depends on the tarball below (file: spec)
 *     package-lock.json       npm's lock for this plugin version alone
 *     .npmrc                  ignore-scripts=true, so a later manual `npm install` stays script-free
 *     <name>-<version>.tgz    the exact tarball installed (the artifact)
 *     paperclip-install.json  name, version, integrity (sha512) and source
 *     node_modules/<name>/    the package directory the host runs from
 *   <pluginsDir>/.staging/    work folders of installs in progress (removed when done)
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

export const INSTALL_RECORD_FILE = "paperclip-install.json";
export const STAGING_DIR_NAME = ".staging";

export type InstallSource = "registry" | "tarball" | "local";

/** What we write beside each installed version, and read back to decide whether to reuse it. */
export interface InstallRecord {
  packageName: string;
  version: string;
  /** Subresource-integrity string of the installed tarball, `sha512-<base64>`. */
  integrity: string;
  /** Tarball file name inside the version folder. */
  tarball: string;
  /** Extra tarballs installed beside the plugin to satisfy its dependencies. */
  dependencyTarballs: string[];
  source: InstallSource;
  /** The spec as handed to npm (`name@range` or the tarball path). */
  spec: string;
  installedAt: string;
}

/**
 * Folder name for a package: unscoped names are used as they are; `@scope/name` becomes
 * `@scope+name` (`+` is not allowed in npm names, so two packages never share a folder).
 */
export function sanitisePackageName(packageName: string): string {
  const sanitised = packageName.replace("/", "+");
  if (!/^@?[a-z0-9][a-z0-9._~+-]*$/i.test(sanitised) || sanitised.includes("..")) {
    throw new Error(`Package name "${packageName}" cannot be used as a folder name`);
  }
  return sanitised;
}

/** The version folder, refusing versions that are not plain semver text (no path tricks). */
export function versionDirectory(pluginsDir: string, packageName: string, version: string): string {
  if (!/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(version) || version.includes("..")) {
    throw new Error(`Version "${version}" of "${packageName}" cannot be used as a folder name`);
  }
  return path.join(pluginsDir, sanitisePackageName(packageName), version);
}

/** Where npm puts the package inside a version folder. */
export function installedPackageDirectory(versionDir: string, packageName: string): string {
  return path.join(versionDir, "node_modules", ...packageName.split("/"));
}

/** `sha512-<base64>` of a file, computed by streaming it (tarballs can be large). */
export function sha512Integrity(filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha512");
    createReadStream(filePath)
      .on("data", (chunk) => hash.update(chunk))
      .on("error", reject)
      .on("end", () => resolve(`sha512-${hash.digest("base64")}`));
  });
}

/** The install record of a version folder, or null when there is none (or it is unreadable). */
export async function readInstallRecord(versionDir: string): Promise<InstallRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(path.join(versionDir, INSTALL_RECORD_FILE), "utf8")) as unknown;
    if (!parsed || typeof parsed !== "object") return null;
    const record = parsed as Partial<InstallRecord>;
    if (typeof record.integrity !== "string" || typeof record.tarball !== "string") return null;
    return parsed as InstallRecord;
  } catch {
    return null;
  }
}

/** Generated package.json of a version folder: one dependency per tarball, by `file:` spec. */
export function installFolderPackageJson(
  packageName: string,
  version: string,
  tarballs: { name: string; file: string }[],
): string {
  const dependencies: Record<string, string> = {};
  for (const tarball of tarballs) dependencies[tarball.name] = `file:${tarball.file}`;
  const manifest = {
    name: `paperclip-plugin-install-${sanitisePackageName(packageName)
      .toLowerCase()
      .replace(/[@+]/g, "-")
      .replace(/^-+/, "")}`,
    version,
    private: true,
    description: `Install folder of ${packageName}@${version}, managed by the Paperclip host. Do not edit.`,
    dependencies,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export const INSTALL_FOLDER_NPMRC = "ignore-scripts=true\naudit=false\nfund=false\n";
