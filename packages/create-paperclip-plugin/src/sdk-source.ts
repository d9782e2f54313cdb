// Where the generated project gets @paperclipai/plugin-sdk from: a link to this repository's SDK when the project
// is inside the repository, a tarball packed from it into <project>/.paperclip-sdk/ when it is outside (so the
// project installs anywhere, offline from the registry's point of view), or the registry when the scaffolder
// runs from npm without a checkout beside it.
import { execFile } from "node:child_process";
import { copyFile, mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { ScaffoldError } from "./naming.js";

const SDK_NAME = "@paperclipai/plugin-sdk";
/** Inside the generated project; the README explains it and .gitignore leaves it in, so a clone installs too. */
export const PACKED_SDK_DIR = ".paperclip-sdk";

/** packages/create-paperclip-plugin (this file is dist/sdk-source.js). */
export const SCAFFOLDER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface SdkDependency {
  /** The version spec written into package.json. */
  spec: string;
  /** One line for the summary: where the SDK comes from. */
  source: string;
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function isSdkFolder(dir: string): Promise<boolean> {
  return (await readJson(path.join(dir, "package.json")))?.name === SDK_NAME;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

function fileSpec(projectDir: string, target: string): string {
  return `file:${path.relative(projectDir, target).split(path.sep).join("/")}`;
}

/** `npm pack` of a built SDK folder into the project; returns the tarball's file name. */
async function packSdk(sdkDir: string, destination: string): Promise<string> {
  if (!(await stat(path.join(sdkDir, "dist", "index.js")).catch(() => null))) {
    throw new ScaffoldError(
      `the SDK at ${sdkDir} is not built: run \`npm run build\` in ${path.resolve(sdkDir, "../..")} first`,
    );
  }
  await mkdir(destination, { recursive: true });
  // Without the npm_* variables of an enclosing `npm create`/`npm run`, which would change what npm packs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
  try {
    const { stdout } = await promisify(execFile)(
      "npm",
      ["pack", sdkDir, "--json", "--ignore-scripts", "--pack-destination", destination],
      { cwd: destination, env, shell: process.platform === "win32" },
    );
    return (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename;
  } catch (error) {
    throw new ScaffoldError(`could not pack the SDK at ${sdkDir} with npm: ${(error as Error).message}`);
  }
}

/** Decides (and, for tarballs, writes) the SDK dependency of a project about to be created in `projectDir`. */
export async function prepareSdkDependency(
  projectDir: string,
  sdkPath: string | null,
): Promise<SdkDependency> {
  const packedDir = path.join(projectDir, PACKED_SDK_DIR);
  if (sdkPath !== null) {
    const info = await stat(sdkPath).catch(() => null);
    if (info?.isFile() && /\.(tgz|tar\.gz)$/.test(sdkPath)) {
      await mkdir(packedDir, { recursive: true });
      await copyFile(sdkPath, path.join(packedDir, path.basename(sdkPath)));
      return {
        spec: `file:${PACKED_SDK_DIR}/${path.basename(sdkPath)}`,
        source: `tarball ${sdkPath} (copied)`,
      };
    }
    if (info?.isDirectory() && (await isSdkFolder(sdkPath))) {
      return { spec: fileSpec(projectDir, sdkPath), source: `linked folder ${sdkPath}` };
    }
    throw new ScaffoldError(
      `--sdk-path ${sdkPath} is neither a folder holding ${SDK_NAME} nor a packed .tgz of it (npm pack makes one)`,
    );
  }
  const repoRoot = path.resolve(SCAFFOLDER_DIR, "../..");
  const repoSdk = path.join(repoRoot, "packages", "plugin-sdk");
  if (await isSdkFolder(repoSdk)) {
    if (isInside(projectDir, repoRoot)) {
      return { spec: fileSpec(projectDir, repoSdk), source: `linked ${repoSdk} (inside the repository)` };
    }
    const tarball = await packSdk(repoSdk, packedDir);
    return {
      spec: `file:${PACKED_SDK_DIR}/${tarball}`,
      source: `packed from ${repoSdk} into ${PACKED_SDK_DIR}/`,
    };
  }
  const own = await readJson(path.join(SCAFFOLDER_DIR, "package.json"));
  return { spec: `^${String(own?.version ?? "0.1.0")}`, source: "the npm registry" };
}
