// The sandbox's pieces on their own: which permission flag each Node gets, the flags never repeating a path (Node 20
// aborts on a repeated --allow-fs-read), the read paths of a package whose SDK is a workspace symlink, the data
// folder check, grant validation and the resident-memory cap that goes with a heap cap.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NO_GRANTS, resolveWorkerSandbox, validateGrants } from "../../src/plugins/sandbox/index.js";
import { permissionArgs, permissionModel } from "../../src/plugins/sandbox/node-permissions.js";
import { outermost, workerReadPaths } from "../../src/plugins/sandbox/read-paths.js";
import { residentLimitMbFor } from "../../src/plugins/supervisor/memory-watch.js";

const made: string[] = [];
const temp = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pc-sandbox-unit-${prefix}-`));
  made.push(dir);
  return fs.realpathSync(dir);
};
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fake workspace: root/node_modules/@paperclipai/plugin-sdk → root/packages/sdk, and a sibling it must not see. */
function workspace() {
  const root = temp("workspace");
  const sdk = path.join(root, "packages", "sdk");
  const sibling = path.join(root, "packages", "secret-app");
  const plugin = path.join(root, "plugins", "my-plugin");
  for (const dir of [sdk, sibling, plugin, path.join(root, "node_modules", "@paperclipai")]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(path.join(sdk, "package.json"), JSON.stringify({ name: "@paperclipai/plugin-sdk" }));
  fs.writeFileSync(path.join(plugin, "package.json"), JSON.stringify({ name: "my-plugin" }));
  fs.symlinkSync(sdk, path.join(root, "node_modules", "@paperclipai", "plugin-sdk"), "dir");
  fs.symlinkSync(sibling, path.join(root, "node_modules", "secret-app"), "dir");
  return { root, sdk, sibling, plugin };
}

describe("Node's permission model flags", () => {
  it("uses --permission where Node has it (22.13+), --experimental-permission on Node 20", () => {
    const node22 = permissionModel(
      new Set(["--permission", "--allow-fs-read", "--allow-addons", "--allow-wasi"]),
      "v22.13.0",
    );
    expect(node22.flag).toBe("--permission");
    expect(node22.unrestrictable).toEqual(["childProcess", "workerThreads"]);
    const node20 = permissionModel(
      new Set([
        "--experimental-permission",
        "--allow-child-process",
        "--allow-worker",
        "--allow-addons",
        "--allow-wasi",
        "--disable-warning",
      ]),
      "v20.20.2",
    );
    expect(node20).toMatchObject({
      flag: "--experimental-permission",
      unrestrictable: [],
      canSilenceWarning: true,
    });
    expect(permissionModel(new Set(), "v18.20.0").flag).toBeNull();
    expect(permissionModel().flag).toBe(
      process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission",
    );
  });

  it("gives one flag per path and one per grant, and none for a grant this Node cannot lift", () => {
    const model = permissionModel();
    const args = permissionArgs(model, {
      readPaths: ["/a", "/b"],
      writePaths: ["/b"],
      grants: { childProcess: true, workerThreads: false, nativeAddons: true, wasi: false },
    });
    expect(args.filter((arg) => arg.startsWith("--allow-fs-read="))).toEqual([
      "--allow-fs-read=/a",
      "--allow-fs-read=/b",
    ]);
    expect(args).toContain("--allow-fs-write=/b");
    expect(args).toContain("--allow-child-process");
    expect(args).toContain("--allow-addons");
    expect(args).not.toContain("--allow-worker");
    expect(args).not.toContain("--allow-wasi");
  });

  it("drops repeated and nested folders: Node 20 aborts at start when a path is given twice", () => {
    expect(outermost(["/x/y", "/x", "/x", "/z/w", "/xy"])).toEqual(["/x", "/xy", "/z/w"]);
    const folder = temp("twice");
    const run = (...reads: string[]) =>
      spawnSync(process.execPath, [
        permissionModel().flag!,
        ...reads.map((read) => `--allow-fs-read=${read}`),
        "-e",
        "0",
      ]);
    expect(run(folder).status).toBe(0);
    // The reason for outermost(): Node 20 fails an internal assertion and aborts when a path repeats.
    if (process.version.startsWith("v20.")) expect(run(folder, folder).signal).toBe("SIGABRT");
  });
});

describe("what a worker may read", () => {
  it("its package, the node_modules above it and the SDK's real folder, not other workspace packages", async () => {
    const { root, sdk, sibling, plugin } = workspace();
    const paths = await workerReadPaths([plugin]);
    expect(paths).toEqual([path.join(root, "node_modules"), sdk, plugin].sort());
    expect(paths.some((folder) => sibling.startsWith(folder))).toBe(false);
  });

  it("follows a declared workspace dependency too", async () => {
    const { sibling, plugin } = workspace();
    fs.writeFileSync(
      path.join(plugin, "package.json"),
      JSON.stringify({ dependencies: { "secret-app": "*" } }),
    );
    expect(await workerReadPaths([plugin])).toContain(sibling);
  });

  it("refuses to start a worker whose readable folders would contain the host's data folder", async () => {
    const { root, plugin } = workspace();
    const hostDataDir = path.join(root, "plugins", "my-plugin", ".paperclip");
    fs.mkdirSync(hostDataDir);
    const attempt = resolveWorkerSandbox({
      pluginId: "p1",
      pluginKey: "my.plugin",
      packageDir: plugin,
      entrypoint: path.join(plugin, "worker.js"),
      settings: { dataDir: path.join(temp("data"), "d"), protectedPaths: [hostDataDir] },
    });
    await expect(attempt).rejects.toThrow(
      `Plugin my.plugin cannot be sandboxed: it would need to read ${plugin}, which contains the host's data folder ${hostDataDir}`,
    );
  });
});

describe("symlinks in a package", () => {
  it("refuses a package whose own files link outside what it may read (Node follows the link)", async () => {
    const { plugin } = workspace();
    fs.symlinkSync("/etc/passwd", path.join(plugin, "evil"));
    const attempt = resolveWorkerSandbox({
      pluginId: "p2",
      pluginKey: "my.plugin",
      packageDir: plugin,
      entrypoint: path.join(plugin, "worker.js"),
      settings: { dataDir: path.join(temp("data"), "d") },
    });
    await expect(attempt).rejects.toThrow(
      `Plugin my.plugin cannot be sandboxed: its package folder has 1 symlink(s) leading outside what it may read ` +
        `(${path.join(plugin, "evil")} → /etc/passwd)`,
    );
  });

  it("accepts links that stay inside: its own files, its node_modules and the SDK", async () => {
    const { plugin } = workspace();
    fs.writeFileSync(path.join(plugin, "real.js"), "");
    fs.symlinkSync(path.join(plugin, "real.js"), path.join(plugin, "alias.js"));
    const resolved = await resolveWorkerSandbox({
      pluginId: "p3",
      pluginKey: "my.plugin",
      packageDir: plugin,
      entrypoint: path.join(plugin, "worker.js"),
      settings: { dataDir: path.join(temp("data"), "d") },
    });
    expect(resolved.report.sandboxed).toBe(true);
  });
});

describe("grants and memory caps", () => {
  it("validates grants, naming the field", () => {
    expect(validateGrants({ childProcess: true })).toEqual({ childProcess: true });
    expect(() => validateGrants({ childProcess: "yes" })).toThrow(
      'grants.childProcess must be true or false (got "yes")',
    );
    expect(() => validateGrants({ network: true })).toThrow('grants: unknown grant "network"');
    expect(() => validateGrants([])).toThrow("grants must be an object");
    expect(Object.values(NO_GRANTS).every((value) => value === false)).toBe(true);
  });

  it("caps the whole process at twice the heap cap plus 128 MB, and not at all without a heap cap", () => {
    expect(residentLimitMbFor(512)).toBe(1152);
    expect(residentLimitMbFor(64)).toBe(256);
    expect(residentLimitMbFor(0)).toBeNull();
    expect(residentLimitMbFor(null)).toBeNull();
  });
});
