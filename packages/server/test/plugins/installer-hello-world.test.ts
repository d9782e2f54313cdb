/**
 * End to end for a real example: pack examples/hello-world and the SDK it depends on (which is not
 * on the registry) with npm, install both into one plugin version folder offline, then read and
 * validate the installed manifest exactly as the install route will. Needs `npx tsc -b` first.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type InstalledPluginPackage,
  installPluginPackage,
  parsePluginSpec,
  readPluginManifest,
  validatePluginPackage,
} from "../../src/plugins/installer/index.js";
import { npmPack, REPO_ROOT, tempDirs } from "./fixtures/installer/helpers.js";

const execFileAsync = promisify(execFile);
const temp = tempDirs();
afterAll(() => temp.cleanup());

const HELLO_WORLD_DIR = path.join(REPO_ROOT, "examples", "hello-world");
const SDK_DIR = path.join(REPO_ROOT, "packages", "plugin-sdk");

let installed: InstalledPluginPackage;

beforeAll(async () => {
  for (const built of [
    path.join(HELLO_WORLD_DIR, "dist", "manifest.js"),
    path.join(SDK_DIR, "dist", "index.js"),
  ]) {
    await stat(built).catch(() => {
      throw new Error(`${built} is missing: run \`npx tsc -b\` before these tests`);
    });
  }
  const tarballs = await temp.make("tarballs");
  const helloTarball = await npmPack(HELLO_WORLD_DIR, tarballs);
  const sdkTarball = await npmPack(SDK_DIR, tarballs);
  installed = await installPluginPackage({
    spec: parsePluginSpec({ packageName: helloTarball }),
    pluginsDir: await temp.make("plugins"),
    preferOffline: true,
    dependencyTarballs: [sdkTarball],
  });
});

describe("installing examples/hello-world from its npm pack tarball", () => {
  it("installs the plugin, the SDK tarball beside it and the SDK's dependency from npm's cache", async () => {
    const helloPackage = JSON.parse(await readFile(path.join(HELLO_WORLD_DIR, "package.json"), "utf8"));
    expect(installed).toMatchObject({
      packageName: helloPackage.name,
      version: helloPackage.version,
      source: "tarball",
    });
    const modules = path.join(installed.versionDir!, "node_modules");
    const sdk = JSON.parse(
      await readFile(path.join(modules, "@paperclipai", "plugin-sdk", "package.json"), "utf8"),
    );
    expect(sdk.name).toBe("@paperclipai/plugin-sdk");
    expect(await stat(path.join(modules, "zod", "package.json"))).toBeTruthy();
    const lock = JSON.parse(await readFile(path.join(installed.versionDir!, "package-lock.json"), "utf8"));
    expect(Object.keys(lock.packages)).toEqual(
      expect.arrayContaining([
        `node_modules/${helloPackage.name}`,
        "node_modules/@paperclipai/plugin-sdk",
        "node_modules/zod",
      ]),
    );
    const record = JSON.parse(
      await readFile(path.join(installed.versionDir!, "paperclip-install.json"), "utf8"),
    );
    const sdkSource = JSON.parse(await readFile(path.join(SDK_DIR, "package.json"), "utf8"));
    expect(record.dependencyTarballs).toEqual([`paperclipai-plugin-sdk-${sdkSource.version}.tgz`]);
  });

  it("lets the installed plugin resolve the SDK from its own folder, not from the host's", async () => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ["--input-type=module", "-e", 'console.log(import.meta.resolve("@paperclipai/plugin-sdk"))'],
      { cwd: installed.packageDir, env: { PATH: process.env.PATH ?? "" } },
    );
    const resolved = fileURLToPath(stdout.trim());
    expect(
      resolved.startsWith(path.join(installed.versionDir!, "node_modules", "@paperclipai", "plugin-sdk")),
    ).toBe(true);
  });

  it("reads the installed manifest in a child process and validates it for this host", async () => {
    const loaded = await readPluginManifest(installed.packageDir);
    expect(loaded.manifestPath).toBe(path.join(installed.packageDir, "dist", "manifest.js"));
    expect(loaded.manifest).toMatchObject({ id: "paperclip.hello-world", apiVersion: 1 });
    const validation = await validatePluginPackage({
      manifest: loaded.manifest,
      packageJson: loaded.packageJson,
      packageDir: installed.packageDir,
      hostVersion: "0.1.0",
      existingPlugins: [],
    });
    if (!validation.ok) throw new Error(JSON.stringify(validation.errors, null, 2));
    expect(validation.manifest.tools?.map((tool) => tool.name)).toContain("calculator");
    // The worker the supervisor will spawn is inside the installed package and can find its SDK.
    const worker = path.resolve(installed.packageDir, validation.manifest.entrypoints.worker);
    expect(worker.startsWith(`${installed.packageDir}${path.sep}`)).toBe(true);
    expect(await stat(worker)).toBeTruthy();
  });
});
