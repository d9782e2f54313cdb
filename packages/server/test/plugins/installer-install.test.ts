import { createHash } from "node:crypto";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  INSTALL_RECORD_FILE,
  InstallError,
  installPluginPackage,
  parsePluginSpec,
  readInstallRecord,
  STAGING_DIR_NAME,
} from "../../src/plugins/installer/index.js";
import { PLAIN_PLUGIN_DIR, packFixtureCopy, REPO_ROOT, tempDirs } from "./fixtures/installer/helpers.js";

const temp = tempDirs();
afterAll(() => temp.cleanup());

const FIXTURE_NAME = "paperclip-plugin-installer-fixture";
let workDir: string;
let tarballV1: string;
let tarballV2: string;

beforeAll(async () => {
  workDir = await temp.make("work");
  tarballV1 = await packFixtureCopy(PLAIN_PLUGIN_DIR, workDir, { version: "1.0.0" });
  tarballV2 = await packFixtureCopy(PLAIN_PLUGIN_DIR, workDir, { version: "1.1.0" });
});

async function exists(target: string): Promise<boolean> {
  return stat(target).then(
    () => true,
    () => false,
  );
}

async function stagingEntries(pluginsDir: string): Promise<string[]> {
  return readdir(path.join(pluginsDir, STAGING_DIR_NAME)).catch(() => []);
}

function sha512Of(buffer: Buffer): string {
  return `sha512-${createHash("sha512").update(buffer).digest("base64")}`;
}

async function installFailure(promise: Promise<unknown>): Promise<InstallError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InstallError);
  return error as InstallError;
}

describe("installPluginPackage from a local folder", () => {
  it("uses the folder in place and reads name and version from its package.json", async () => {
    const pluginsDir = await temp.make("plugins");
    const result = await installPluginPackage({
      spec: parsePluginSpec({ packageName: PLAIN_PLUGIN_DIR, isLocalPath: true }),
      pluginsDir,
    });
    expect(result).toEqual({
      packageName: FIXTURE_NAME,
      version: "1.0.0",
      packageDir: PLAIN_PLUGIN_DIR,
      source: "local",
      reused: false,
    });
    expect(await readdir(pluginsDir)).toEqual([]); // nothing copied
  });

  it("refuses a path that does not exist, a file, and a folder without package.json", async () => {
    const pluginsDir = await temp.make("plugins");
    const missing = await installFailure(
      installPluginPackage({ spec: { kind: "local", path: path.join(workDir, "nope") }, pluginsDir }),
    );
    expect(missing.step).toBe("local");
    expect(missing.message).toMatch(/does not exist/);

    const file = await installFailure(
      installPluginPackage({
        spec: { kind: "local", path: path.join(PLAIN_PLUGIN_DIR, "package.json") },
        pluginsDir,
      }),
    );
    expect(file.message).toMatch(/is not a folder/);

    const noPackage = await installFailure(
      installPluginPackage({ spec: { kind: "local", path: path.join(PLAIN_PLUGIN_DIR, "lib") }, pluginsDir }),
    );
    expect(noPackage.message).toMatch(/has no package\.json/);
  });
});

describe("installPluginPackage from an npm pack tarball (offline)", () => {
  let pluginsDir: string;
  const progress: { line: string; step: string; stream: string }[] = [];

  beforeAll(async () => {
    pluginsDir = await temp.make("plugins");
  });

  it("installs into <pluginsDir>/<name>/<version> with its own lockfile, the tarball and its integrity", async () => {
    const result = await installPluginPackage({
      spec: parsePluginSpec({ packageName: tarballV1 }),
      pluginsDir,
      preferOffline: true,
      onProgress: (line, meta) => progress.push({ line, ...meta }),
    });
    const versionDir = path.join(pluginsDir, FIXTURE_NAME, "1.0.0");
    expect(result).toMatchObject({
      packageName: FIXTURE_NAME,
      version: "1.0.0",
      source: "tarball",
      reused: false,
      versionDir,
      packageDir: path.join(versionDir, "node_modules", FIXTURE_NAME),
      tarballPath: path.join(versionDir, "paperclip-plugin-installer-fixture-1.0.0.tgz"),
    });
    // The recorded integrity is the sha512 of the tarball we were given.
    const expectedIntegrity = sha512Of(await readFile(tarballV1));
    expect(result.integrity).toBe(expectedIntegrity);
    expect(sha512Of(await readFile(result.tarballPath!))).toBe(expectedIntegrity);

    const lock = JSON.parse(await readFile(path.join(versionDir, "package-lock.json"), "utf8"));
    expect(lock.packages[`node_modules/${FIXTURE_NAME}`]).toMatchObject({
      version: "1.0.0",
      integrity: expectedIntegrity,
    });
    const ownPackageJson = JSON.parse(await readFile(path.join(versionDir, "package.json"), "utf8"));
    expect(ownPackageJson.dependencies).toEqual({
      [FIXTURE_NAME]: "file:paperclip-plugin-installer-fixture-1.0.0.tgz",
    });
    expect(await readInstallRecord(versionDir)).toMatchObject({
      packageName: FIXTURE_NAME,
      version: "1.0.0",
      integrity: expectedIntegrity,
      source: "tarball",
    });
    expect(await exists(path.join(result.packageDir, "lib", "manifest.js"))).toBe(true);
    expect(await stagingEntries(pluginsDir)).toEqual([]);
  });

  it("runs none of the package's install scripts (--ignore-scripts)", async () => {
    const packageDir = path.join(pluginsDir, FIXTURE_NAME, "1.0.0", "node_modules", FIXTURE_NAME);
    const files = await readdir(packageDir);
    expect(files).toContain("mark-script-ran.cjs"); // the script is there and could have run
    expect(files.filter((file) => file.startsWith("SCRIPT-RAN"))).toEqual([]);
    expect(await readFile(path.join(pluginsDir, FIXTURE_NAME, "1.0.0", ".npmrc"), "utf8")).toMatch(
      /ignore-scripts=true/,
    );
  });

  it("streamed npm's output and the installer's steps to onProgress as they happened", () => {
    expect(
      progress.some(
        (entry) =>
          entry.stream === "stdout" && entry.step === "install" && /added 1 package/.test(entry.line),
      ),
    ).toBe(true);
    const steps = progress.filter((entry) => entry.stream === "installer").map((entry) => entry.step);
    expect(steps).toEqual(expect.arrayContaining(["pack", "install", "finalise"]));
    expect(steps.indexOf("pack")).toBeLessThan(steps.indexOf("install"));
  });

  it("reuses the folder when the same name, version and integrity is installed again", async () => {
    const versionDir = path.join(pluginsDir, FIXTURE_NAME, "1.0.0");
    const before = await readFile(path.join(versionDir, INSTALL_RECORD_FILE), "utf8");
    const lines: string[] = [];
    const again = await installPluginPackage({
      spec: parsePluginSpec({ packageName: tarballV1 }),
      pluginsDir,
      preferOffline: true,
      onProgress: (line) => lines.push(line),
    });
    expect(again.reused).toBe(true);
    expect(again.versionDir).toBe(versionDir);
    expect(await readFile(path.join(versionDir, INSTALL_RECORD_FILE), "utf8")).toBe(before);
    expect(lines.some((line) => /reusing/.test(line))).toBe(true);
    expect(lines.some((line) => /added \d+ package/.test(line))).toBe(false); // npm install did not run
    expect(await stagingEntries(pluginsDir)).toEqual([]);
  });

  it("gives a different version its own folder and keeps the first one", async () => {
    const result = await installPluginPackage({
      spec: parsePluginSpec({ packageName: tarballV2 }),
      pluginsDir,
      preferOffline: true,
    });
    expect(result.version).toBe("1.1.0");
    expect(result.versionDir).toBe(path.join(pluginsDir, FIXTURE_NAME, "1.1.0"));
    expect((await readdir(path.join(pluginsDir, FIXTURE_NAME))).sort()).toEqual(["1.0.0", "1.1.0"]);
    expect(await readInstallRecord(path.join(pluginsDir, FIXTURE_NAME, "1.0.0"))).toMatchObject({
      version: "1.0.0",
    });
  });

  it("refuses a same-version tarball with different content unless asked to replace it", async () => {
    const changed = await packFixtureCopy(PLAIN_PLUGIN_DIR, await temp.make("changed"), {
      version: "1.0.0",
      edit: (packageJson) => {
        packageJson.description = "Rebuilt without bumping the version";
      },
    });
    const refused = await installFailure(
      installPluginPackage({
        spec: parsePluginSpec({ packageName: changed }),
        pluginsDir,
        preferOffline: true,
      }),
    );
    expect(refused.step).toBe("verify");
    expect(refused.message).toMatch(
      /already installed .* with integrity sha512-.*but the new tarball has sha512-/,
    );
    expect(await stagingEntries(pluginsDir)).toEqual([]);

    const replaced = await installPluginPackage({
      spec: parsePluginSpec({ packageName: changed }),
      pluginsDir,
      preferOffline: true,
      onIntegrityMismatch: "replace",
    });
    expect(replaced.reused).toBe(false);
    expect(replaced.integrity).toBe(sha512Of(await readFile(changed)));
    const installed = JSON.parse(await readFile(path.join(replaced.packageDir, "package.json"), "utf8"));
    expect(installed.description).toBe("Rebuilt without bumping the version");
    expect(await stagingEntries(pluginsDir)).toEqual([]);
  });

  it("installs again over a broken leftover folder that has no install record", async () => {
    const brokenDir = path.join(pluginsDir, FIXTURE_NAME, "1.1.0");
    await writeFile(path.join(brokenDir, INSTALL_RECORD_FILE), "not json");
    const result = await installPluginPackage({
      spec: parsePluginSpec({ packageName: tarballV2 }),
      pluginsDir,
      preferOffline: true,
    });
    expect(result.reused).toBe(false);
    expect(await readInstallRecord(brokenDir)).toMatchObject({ version: "1.1.0" });
  });
});

describe("installPluginPackage run twice at once for the same version", () => {
  it("ends with one complete folder that both calls return", async () => {
    const pluginsDir = await temp.make("plugins");
    const install = () =>
      installPluginPackage({
        spec: parsePluginSpec({ packageName: tarballV1 }),
        pluginsDir,
        preferOffline: true,
      });
    const [first, second] = await Promise.all([install(), install()]);
    expect(first.versionDir).toBe(second.versionDir);
    expect(first.integrity).toBe(second.integrity);
    expect([first.reused, second.reused].filter((reused) => !reused).length).toBeGreaterThanOrEqual(1);
    expect(await readdir(path.join(pluginsDir, FIXTURE_NAME))).toEqual(["1.0.0"]);
    expect(await readInstallRecord(first.versionDir!)).toMatchObject({ integrity: first.integrity });
    expect(await stagingEntries(pluginsDir)).toEqual([]);
  });
});

describe("installPluginPackage failures surface npm's error and leave no staging folder", () => {
  it("reports a tarball path that does not exist with npm's ENOENT lines", async () => {
    const pluginsDir = await temp.make("plugins");
    const missing = path.join(workDir, "does-not-exist-1.0.0.tgz");
    const progress: string[] = [];
    const error = await installFailure(
      installPluginPackage({
        spec: parsePluginSpec({ packageName: missing }),
        pluginsDir,
        preferOffline: true,
        onProgress: (line) => progress.push(line),
      }),
    );
    expect(error.step).toBe("pack");
    expect(error.message).toMatch(/^pack: `npm pack .*does-not-exist-1\.0\.0\.tgz.*` exited with code \d+/);
    expect(error.message).toMatch(/npm error code ENOENT/);
    expect(error.npmOutput.some((line) => line.includes(missing))).toBe(true);
    expect(progress.some((line) => /npm error/.test(line))).toBe(true); // streamed as well
    expect(await stagingEntries(pluginsDir)).toEqual([]);
    expect(await readdir(pluginsDir)).toEqual([]);
  });

  it("reports a corrupt tarball with npm's TAR_BAD_ARCHIVE error", async () => {
    const pluginsDir = await temp.make("plugins");
    const corrupt = path.join(workDir, "corrupt-1.0.0.tgz");
    await writeFile(corrupt, Buffer.from("this is not a gzip tarball at all".repeat(10)));
    const error = await installFailure(
      installPluginPackage({
        spec: parsePluginSpec({ packageName: corrupt }),
        pluginsDir,
        preferOffline: true,
      }),
    );
    expect(error.step).toBe("pack");
    expect(error.message).toMatch(/TAR_BAD_ARCHIVE/);
    expect(await readdir(pluginsDir)).toEqual([]);
  });

  it("reports an install step failure (a dependency that cannot be resolved offline) and cleans up", async () => {
    const pluginsDir = await temp.make("plugins");
    const needsMissingDependency = await packFixtureCopy(PLAIN_PLUGIN_DIR, await temp.make("dep"), {
      version: "3.0.0",
      edit: (packageJson) => {
        packageJson.dependencies = {
          "paperclip-installer-test-no-such-dependency": "file:../nowhere/missing.tgz",
        };
      },
    });
    const error = await installFailure(
      installPluginPackage({
        spec: parsePluginSpec({ packageName: needsMissingDependency }),
        pluginsDir,
        preferOffline: true,
      }),
    );
    expect(error.step).toBe("install");
    expect(error.message).toMatch(/^install: `npm install --ignore-scripts --no-audit --no-fund --omit=dev/);
    expect(error.npmOutput.length).toBeGreaterThan(0);
    expect(error.npmOutput.every((line) => /^npm error/.test(line))).toBe(true);
    expect(await readdir(pluginsDir)).toEqual([]);
  });

  it("says so when the npm executable cannot be started", async () => {
    const pluginsDir = await temp.make("plugins");
    const error = await installFailure(
      installPluginPackage({
        spec: parsePluginSpec({ packageName: tarballV1 }),
        pluginsDir,
        npmBin: path.join(workDir, "no-npm-here"),
      }),
    );
    expect(error.step).toBe("pack");
    expect(error.message).toMatch(/could not start npm .*is npm installed and on PATH/);
    expect(await readdir(pluginsDir)).toEqual([]);
  });
});

describe("installPluginPackage from the registry spec", () => {
  it("packs name@version with npm (served from npm's cache with --prefer-offline) and installs it", async () => {
    // zod is in the repo's lockfile, so `npm ci` has put this exact version in npm's cache.
    const zodVersion = JSON.parse(
      await readFile(path.join(REPO_ROOT, "node_modules/zod/package.json"), "utf8"),
    ).version as string;
    const pluginsDir = await temp.make("plugins");
    const result = await installPluginPackage({
      spec: parsePluginSpec({ packageName: "zod", version: zodVersion }),
      pluginsDir,
      preferOffline: true,
    });
    expect(result).toMatchObject({
      packageName: "zod",
      version: zodVersion,
      source: "registry",
      reused: false,
    });
    expect(result.integrity).toMatch(/^sha512-/);
    const lock = JSON.parse(await readFile(path.join(result.versionDir!, "package-lock.json"), "utf8"));
    expect(lock.packages["node_modules/zod"].integrity).toBe(result.integrity);
    expect(await readInstallRecord(result.versionDir!)).toMatchObject({
      source: "registry",
      spec: `zod@${zodVersion}`,
    });
  });
});
