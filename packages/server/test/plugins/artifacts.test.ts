// The artifact store (docs/scale-out.md): packing a plugin's installed files, storing them with their sha512,
// and materializing them on another node, verified against the artifact's hash and the recorded package digest.
import { randomBytes } from "node:crypto";
import { lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ArtifactStore,
  ArtifactUnavailableError,
  NodePackages,
  packInstalledPlugin,
  packTar,
  readTar,
  writeEntries,
} from "../../src/plugins/artifacts/index.js";
import { computePackageDigest } from "../../src/plugins/installer/index.js";
import { PackageIntegrity } from "../../src/plugins/lifecycle/package-integrity.js";
import { SupplyChainStore } from "../../src/plugins/lifecycle/supply-chain-store.js";
import type { PluginRecord } from "../../src/plugins/registry/index.js";
import { PluginRegistry } from "../../src/plugins/registry/index.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";

const logger = pino({ level: "silent" });
const folders: string[] = [];

async function scratch(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), "paperclip-artifacts-"));
  folders.push(folder);
  return folder;
}

afterAll(async () => {
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A local plugin folder inside a workspace whose hoisted node_modules holds its dependency. */
async function workspaceWithPlugin(extraBytes = 0): Promise<{ root: string; packageDir: string }> {
  const root = await scratch();
  const dep = path.join(root, "node_modules", "dep-a");
  await mkdir(path.join(dep, "lib"), { recursive: true });
  await mkdir(path.join(dep, "test"), { recursive: true });
  await mkdir(path.join(dep, "node_modules", "ignored"), { recursive: true });
  await writeFile(path.join(dep, "package.json"), JSON.stringify({ name: "dep-a", files: ["lib"] }));
  await writeFile(path.join(dep, "lib", "index.js"), "export const answer = 42;\n");
  await writeFile(path.join(dep, "test", "spec.js"), "// not published\n");
  await writeFile(path.join(dep, "node_modules", "ignored", "index.js"), "// not packed\n");
  const packageDir = path.join(root, "plugins", "demo");
  await mkdir(path.join(packageDir, "dist"), { recursive: true });
  await writeFile(
    path.join(packageDir, "package.json"),
    JSON.stringify({ name: "demo-plugin", version: "1.0.0", dependencies: { "dep-a": "1.0.0" } }),
  );
  await writeFile(path.join(packageDir, "dist", "worker.js"), 'import { answer } from "dep-a";\n');
  await writeFile(path.join(packageDir, "dist", "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
  // Random bytes do not compress: the artifact is at least this big.
  if (extraBytes > 0) await writeFile(path.join(packageDir, "dist", "data.bin"), randomBytes(extraBytes));
  return { root, packageDir };
}

describe("plugin artifact archives", () => {
  it("round-trips files, the executable bit, symlinks and long paths, and packs the same bytes twice", async () => {
    const longPath = `node_modules/${"deep/".repeat(30)}file.js`;
    const entries = [
      { path: "package/a.js", kind: "file" as const, content: Buffer.from("a") },
      {
        path: "package/run.sh",
        kind: "file" as const,
        content: Buffer.from("#!/bin/sh\n"),
        executable: true,
      },
      { path: "package/link", kind: "symlink" as const, target: "a.js" },
      { path: longPath, kind: "file" as const, content: Buffer.from("long") },
    ];
    const packed = packTar(entries);
    expect(packTar([...entries].reverse()).equals(packed)).toBe(true);
    const folder = path.join(await scratch(), "out");
    await writeEntries(folder, readTar(packed));
    expect(await readFile(path.join(folder, "package", "a.js"), "utf8")).toBe("a");
    expect(await readFile(path.join(folder, ...longPath.split("/")), "utf8")).toBe("long");
    expect(await readlink(path.join(folder, "package", "link"))).toBe("a.js");
    expect((await lstat(path.join(folder, "package", "run.sh"))).mode & 0o111).not.toBe(0);
  });

  it("refuses paths that leave the folder and files written through an archived symlink", async () => {
    expect(() => packTar([{ path: "../escape.js", kind: "file", content: Buffer.from("x") }])).toThrow(
      /unsafe path in archive: "\.\.\/escape\.js"/,
    );
    const behindLink = packTar([
      { path: "package/out", kind: "symlink", target: "/tmp" },
      { path: "package/out/evil.js", kind: "file", content: Buffer.from("x") },
    ]);
    await expect(writeEntries(path.join(await scratch(), "out"), readTar(behindLink))).rejects.toThrow(
      /package\/out\/evil\.js lies behind the symlink package\/out/,
    );
    expect(() => readTar(Buffer.from("not a gzip stream"))).toThrow();
  });

  it("packs a local folder with the dependencies Node finds outside it, as npm would publish them", async () => {
    const { packageDir } = await workspaceWithPlugin();
    const packed = await packInstalledPlugin({ source: "local", packageDir, tarballPath: null });
    const paths = readTar(packed.content).map((entry) => entry.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "package/package.json",
        "package/dist/worker.js",
        "node_modules/dep-a/package.json",
        "node_modules/dep-a/lib/index.js",
      ]),
    );
    expect(paths).not.toContain("node_modules/dep-a/test/spec.js");
    expect(paths.some((entry) => entry.includes("ignored"))).toBe(false);
    expect(packed.integrity).toMatch(/^sha512-[A-Za-z0-9+/]+=*$/);
    expect(packed.sizeBytes).toBe(packed.content.length);
  });
});

describe.each(ENGINES)("artifact store and materializing on another node (%s)", (engine) => {
  let database: TestDatabase;
  let registry: PluginRegistry;
  let supplyChain: SupplyChainStore;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    registry = new PluginRegistry(database.db);
    supplyChain = new SupplyChainStore(database.db);
  });
  afterAll(async () => database?.dispose());
  afterEach(async () => {
    await database.db.query("artifacts_test_clean", "DELETE FROM plugins", []);
  });

  async function installedPlugin(packageDir: string): Promise<PluginRecord> {
    const [row] = await database.db.query<{ id: string }>(
      "artifacts_test_plugin",
      `INSERT INTO plugins (plugin_key, package_name, version, manifest_json, status, package_dir, source, install_spec)
       VALUES ('demo.plugin', 'demo-plugin', '1.0.0', '{}'::jsonb, 'ready', $1, 'local', $2::jsonb) RETURNING id`,
      [packageDir, JSON.stringify({ packageName: packageDir, isLocalPath: true })],
    );
    return registry.require(String(row?.id));
  }

  /** One node: its own plugins folder and integrity check over the shared database. */
  function node(nodeId: string, pluginsDir: string, store = new ArtifactStore(database.db)) {
    let integrity: PackageIntegrity | null = null;
    const packages = new NodePackages({
      store,
      supplyChain,
      integrity: () => integrity as PackageIntegrity,
      pluginsDir,
      nodeId,
      distributed: true,
      logger,
    });
    integrity = new PackageIntegrity(supplyChain, logger, (record, digest) =>
      packages.packRecorded(record, digest),
    );
    return { packages, integrity };
  }

  it("stores the installed files; another node materializes a verified copy its worker can start from", async () => {
    const { packageDir } = await workspaceWithPlugin();
    const record = await installedPlugin(packageDir);
    const installer = node("node-1", await scratch());
    await installer.integrity.record(record, "install");
    const [artifact] = await new ArtifactStore(database.db).list(record.id);
    expect(artifact).toMatchObject({ pluginId: record.id, version: "1.0.0", packedByNode: "node-1" });
    expect(artifact?.integrity).toMatch(/^sha512-/);

    // The installing node keeps running its own folder, and so does a node that sees the same folder.
    expect((await installer.packages.localRecord(record)).packageDir).toBe(packageDir);
    expect((await node("node-5", await scratch()).packages.localRecord(record)).packageDir).toBe(packageDir);
    // The other nodes do not have it (another machine).
    await rename(packageDir, `${packageDir}.away`);

    const otherDir = await scratch();
    const other = node("node-2", otherDir);
    const local = await other.packages.localRecord(record);
    expect(local.packageDir.startsWith(path.join(otherDir, ".node-copies", record.id))).toBe(true);
    expect(await readFile(path.join(local.packageDir, "dist", "worker.js"), "utf8")).toContain("dep-a");
    // Node resolves the dependency from the copy, as it did from the workspace.
    const depFile = path.join(local.packageDir, "..", "node_modules", "dep-a", "lib", "index.js");
    expect(await readFile(depFile, "utf8")).toContain("42");
    // Checked against the installing node's recorded digest, file by file, by relative path.
    await expect(other.integrity.verifyBeforeStart(local)).resolves.toBeUndefined();
    expect((await other.integrity.inspect(local)).state).toBe("intact");

    // A copy changed on disk is refused by the check and replaced by a fresh one at the next materialize.
    await writeFile(path.join(local.packageDir, "dist", "worker.js"), "// tampered\n");
    await expect(other.integrity.verifyBeforeStart(local)).rejects.toThrow(/dist\/worker\.js \(modified/);
    const again = await other.packages.localRecord(record);
    expect(await readFile(path.join(again.packageDir, "dist", "worker.js"), "utf8")).toContain("dep-a");

    // A copy never records itself as the trusted state.
    await expect(other.integrity.record(again, "accepted")).rejects.toThrow(
      /only the node that installed it/,
    );

    // Uninstalled: the node's copies go.
    await other.packages.removeCopies(record.id);
    await expect(lstat(path.join(otherDir, ".node-copies", record.id))).rejects.toThrow();
  });

  it("refuses a corrupted artifact on a node that must materialize it; a node with a copy keeps it", async () => {
    const { packageDir } = await workspaceWithPlugin();
    const record = await installedPlugin(packageDir);
    await node("node-1", await scratch()).integrity.record(record, "install");
    await rename(packageDir, `${packageDir}.away`);
    const withCopy = node("node-2", await scratch());
    const copy = await withCopy.packages.localRecord(record);

    await database.db.query(
      "artifacts_test_corrupt",
      "UPDATE plugin_artifacts SET content = overlay(content placing '\\x00'::bytea from 40 for 1) WHERE plugin_id = $1",
      [record.id],
    );
    const fresh = node("node-3", await scratch());
    const refused = await fresh.packages.localRecord(record).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(ArtifactUnavailableError);
    expect((refused as Error).message).toMatch(
      /the stored artifact of demo\.plugin 1\.0\.0 failed its integrity check .*refused/,
    );
    // node-2 verifies its copy from disk, without reading the artifact again.
    expect((await withCopy.packages.localRecord(record)).packageDir).toBe(copy.packageDir);
  });

  it("keeps the current and the previous artifact of a plugin and refuses one above the size limit", async () => {
    const { packageDir } = await workspaceWithPlugin(8 * 1024);
    const record = await installedPlugin(packageDir);
    const store = new ArtifactStore(database.db);
    for (const version of ["1.0.0", "1.1.0", "1.2.0"]) {
      await store.save({
        pluginId: record.id,
        version,
        packageDigest: `sha256-${version}`,
        integrity: "sha512-x",
        content: Buffer.from(version),
        packedByNode: "node-1",
      });
    }
    expect((await store.list(record.id)).map((artifact) => artifact.version)).toEqual(["1.2.0", "1.1.0"]);

    const small = new ArtifactStore(database.db, 1024);
    const digest = await computePackageDigest(packageDir);
    const packed = await packInstalledPlugin({ source: "local", packageDir, tarballPath: null });
    await expect(
      small.save({
        pluginId: record.id,
        version: "2.0.0",
        packageDigest: digest.digest,
        integrity: packed.integrity,
        content: packed.content,
        packedByNode: "node-1",
      }),
    ).rejects.toThrow(/the packed plugin is \d+ KiB, above the artifact limit of 1 KiB/);
  });

  it("fails recording the installed files (so the install) when their artifact is above the size limit", async () => {
    const { packageDir } = await workspaceWithPlugin(8 * 1024);
    const record = await installedPlugin(packageDir);
    const tiny = node("node-1", await scratch(), new ArtifactStore(database.db, 1024));
    await expect(tiny.integrity.record(record, "install")).rejects.toThrow(/above the artifact limit/);
  });

  it("materializes nothing when the database has one node (PGlite)", async () => {
    const { packageDir } = await workspaceWithPlugin();
    const record = await installedPlugin(packageDir);
    let integrity: PackageIntegrity | null = null;
    const single = new NodePackages({
      store: new ArtifactStore(database.db),
      supplyChain,
      integrity: () => integrity as PackageIntegrity,
      pluginsDir: await scratch(),
      nodeId: "only",
      distributed: false,
      logger,
    });
    integrity = new PackageIntegrity(supplyChain, logger, (r, digest) => single.packRecorded(r, digest));
    await integrity.record(record, "install");
    expect(await new ArtifactStore(database.db).list(record.id)).toEqual([]);
    expect(await single.localRecord(record)).toBe(record);
  });
});
