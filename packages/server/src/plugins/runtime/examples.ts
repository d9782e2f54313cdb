// The example plugins bundled with this repository (examples/*): listed by GET /api/plugins/examples and, on the
// first start of an instance, installed by local path so a fresh `npm start` shows working plugins.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { PaperclipPluginManifestV1 } from "@paperclipai/plugin-sdk/types";
import { readPackageJson, readPluginManifest } from "../installer/index.js";

export interface ExamplePlugin {
  packageName: string;
  pluginKey: string;
  displayName: string;
  description: string;
  /** Absolute folder, for `POST /api/plugins/install {packageName: localPath, isLocalPath: true}`. */
  localPath: string;
  tag: "first-party" | "example";
  experimental: boolean;
  /** The manifest and the worker it names are built (install works). */
  hasBuiltEntrypoints: boolean;
}

interface CachedManifest {
  mtimeMs: number;
  manifest: PaperclipPluginManifestV1 | null;
}

export class ExampleCatalog {
  // Evaluating a manifest costs a child process; a listing re-evaluates only rebuilt ones.
  private readonly manifests = new Map<string, CachedManifest>();

  constructor(private readonly examplesDir: string | null) {}

  async list(): Promise<ExamplePlugin[]> {
    if (!this.examplesDir) return [];
    const entries = await readdir(this.examplesDir, { withFileTypes: true }).catch(() => []);
    const examples: ExamplePlugin[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory()) continue;
      const example = await this.describe(path.join(this.examplesDir, entry.name));
      if (example) examples.push(example);
    }
    return examples;
  }

  private async describe(folder: string): Promise<ExamplePlugin | null> {
    const packageJson = await readPackageJson(folder).catch(() => null);
    if (!packageJson || typeof packageJson.name !== "string") return null;
    if (!packageJson.paperclipPlugin) return null;
    const manifest = await this.manifestOf(folder, packageJson.paperclipPlugin.manifest);
    const worker = manifest?.entrypoints?.worker;
    const workerBuilt = typeof worker === "string" && (await isFile(path.resolve(folder, worker)));
    return {
      packageName: packageJson.name,
      pluginKey: manifest?.id ?? packageJson.name,
      displayName: manifest?.displayName ?? packageJson.name,
      description:
        manifest?.description ?? (typeof packageJson.description === "string" ? packageJson.description : ""),
      localPath: folder,
      tag: "example",
      experimental: false,
      hasBuiltEntrypoints: manifest !== null && workerBuilt,
    };
  }

  private async manifestOf(
    folder: string,
    declared: string | undefined,
  ): Promise<PaperclipPluginManifestV1 | null> {
    const manifestFile = path.resolve(folder, declared ?? "dist/manifest.js");
    const info = await stat(manifestFile).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = this.manifests.get(manifestFile);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached.manifest;
    const manifest = await readPluginManifest(folder)
      .then((loaded) => loaded.manifest as PaperclipPluginManifestV1)
      .catch(() => null);
    this.manifests.set(manifestFile, { mtimeMs: info.mtimeMs, manifest });
    return manifest;
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await stat(file).catch(() => null))?.isFile() ?? false;
}
