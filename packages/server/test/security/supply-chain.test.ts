// Supply chain (docs/supply-chain.md) on a real host with real workers, on PGlite and PostgreSQL:
//  - integrity: an installed plugin's files are checked before every worker start (enable, host start, restart
//    after a crash); a changed, added or removed file refuses the start naming it, writes an activity row, starts
//    no worker, and leaves the other plugins running; restoring the file (or `paperclip plugin verify --accept`)
//    brings it back; a plugin without a recorded digest is recorded at its next start (trust on first use);
//  - the operator's npm scope allow-list, for registry names, tarballs, local folders and upgrades;
//  - capability growth on upgrade: the diff against the approved capabilities, held until enable approves it,
//    also across a second upgrade while the first waits.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import { runPluginCommand } from "../../src/cli/plugin.js";
import { ConfigError, loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/database.js";
import { runMigrations } from "../../src/db/migrate.js";
import { embeddedDatabaseDir } from "../../src/host.js";
import { computePackageDigest } from "../../src/plugins/installer/index.js";
import {
  eventually,
  pluginActivity,
  processAlive,
  REPO_ROOT,
  type RuntimeHost,
  SDK_DIR,
  startRuntimeHost,
} from "../plugins/fixtures/runtime/support.js";
import { ENGINES, openTestDatabase, type TestDatabase } from "../support/database.js";
import {
  bridgeAction,
  bystander,
  copyAdversary,
  createCompany,
  editPackage,
  installFolder,
  tempFolders,
} from "./fixtures/adversary-support.js";

const execFileAsync = promisify(execFile);
const temp = tempFolders();
afterAll(() => temp.cleanup());

const KEY = "adversary.raw";
const refusal = (first: string) =>
  `Activation failed: package files changed since install: ${first}; reinstall or run \`paperclip plugin verify ${KEY}\``;

async function npmPack(folder: string, destination: string): Promise<string> {
  // Without what an enclosing `npm run` injected, so npm packs `folder` and nothing else.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
  const { stdout } = await execFileAsync(
    "npm",
    ["pack", folder, "--json", "--ignore-scripts", "--pack-destination", destination],
    { cwd: destination, env },
  );
  return path.join(destination, (JSON.parse(stdout) as [{ filename: string }])[0].filename);
}

/** `paperclip plugin <args>` in-process against the host; exit code and what it printed. */
async function cli(host: RuntimeHost, args: string[]) {
  let out = "";
  let err = "";
  const code = await runPluginCommand(
    [...args, "--url", host.baseUrl],
    { out: (text) => (out += text), err: (text) => (err += text) },
    {},
  );
  return { code, out, err };
}

describe.each(ENGINES)("package integrity (%s)", (engine) => {
  let database: TestDatabase;
  let dataDir: string;
  let host: RuntimeHost;
  let companyId: string;
  let victim: { id: string };
  let folder: string;
  let plugin: { id: string };
  let original: string;

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    dataDir = temp.make(`instance-${engine}`);
    host = await startRuntimeHost(engine, { database, dataDir });
    companyId = (await createCompany(host.services, "Acme")).id;
    const parent = temp.make(`integrity-${engine}`);
    victim = await installFolder(host, copyAdversary("adversary-victim", parent));
    folder = copyAdversary("adversary-raw", parent);
    plugin = await installFolder(host, folder);
    original = fs.readFileSync(path.join(folder, "worker.mjs"), "utf8");
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await database?.dispose();
  });

  const status = async () => (await host.request("GET", `/api/plugins/${plugin.id}`)).body;
  const verify = async (body: Record<string, unknown> = {}) =>
    (await host.request("POST", `/api/plugins/${plugin.id}/verify`, body)).body;
  const restore = () => fs.writeFileSync(path.join(folder, "worker.mjs"), original);
  const tamper = () => fs.appendFileSync(path.join(folder, "worker.mjs"), "\n// a line someone added\n");

  it("records the installed files and reports them intact (API and `paperclip plugin verify`)", async () => {
    const report = await verify();
    expect(report).toMatchObject({
      pluginKey: KEY,
      state: "intact",
      rootDir: folder,
      recordedReason: "install",
      fileCount: 3,
      changeCount: 0,
      changes: [],
      problem: null,
    });
    expect(report.digest).toMatch(/^sha256-[A-Za-z0-9+/]+=*$/);
    expect(report.digest).toBe(report.recordedDigest);
    const printed = await cli(host, ["verify", KEY]);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(`${KEY}: package files match the digest recorded at install`);
  });

  it("refuses to enable a plugin whose file changed, naming it, with an activity row; restored, it starts", async () => {
    const watcher = bystander(host, victim.id, companyId);
    expect((await host.request("POST", `/api/plugins/${plugin.id}/disable`, {})).body.status).toBe(
      "disabled",
    );
    tamper();
    const enabled = await host.request("POST", `/api/plugins/${plugin.id}/enable`);
    expect(enabled.status).toBe(400);
    expect(enabled.body.error).toBe(refusal("worker.mjs (modified)"));
    expect(await status()).toMatchObject({ status: "error", lastError: refusal("worker.mjs (modified)") });
    expect(host.runtime.workers.isRunning(plugin.id)).toBe(false);
    const activity = await pluginActivity(host.services, companyId, plugin.id);
    expect(activity.at(-1)).toMatchObject({
      action: "plugin.error",
      details: { reason: refusal("worker.mjs (modified)"), operation: "plugin.enabled" },
    });

    const report = await verify();
    expect(report).toMatchObject({
      state: "changed",
      changeCount: 1,
      changes: [{ path: "worker.mjs", change: "modified" }],
    });
    const printed = await cli(host, ["verify", KEY]);
    expect(printed.code).toBe(1);
    expect(printed.out).toContain("package files CHANGED since install");
    expect(printed.out).toMatch(/modified\s+worker\.mjs/);
    expect(printed.out).toContain(`paperclip plugin verify ${KEY} --accept`);

    restore();
    const again = await host.request("POST", `/api/plugins/${plugin.id}/enable`);
    expect(again.body).toMatchObject({ status: "ready", lastError: null });
    const seen = await watcher.stop();
    expect(seen.failures).toEqual([]);
    expect(seen.answered).toBeGreaterThan(0);
  });

  it("counts an added file and a removed file as changes too", async () => {
    await host.request("POST", `/api/plugins/${plugin.id}/disable`, {});
    // An extensionless `worker` would not shadow worker.mjs, but any new file is code the worker could load.
    fs.writeFileSync(path.join(folder, "extra.js"), "export const planted = true;\n");
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.error).toBe(
      refusal("extra.js (added)"),
    );
    fs.rmSync(path.join(folder, "extra.js"));
    const manifest = fs.readFileSync(path.join(folder, "manifest.js"));
    fs.rmSync(path.join(folder, "manifest.js"));
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.error).toBe(
      refusal("manifest.js (removed)"),
    );
    fs.writeFileSync(path.join(folder, "manifest.js"), manifest);
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
  });

  it("refuses the restart after a crash when the files changed meanwhile: error with the reason, no worker", async () => {
    const pid = host.runtime.workers.diagnostics(plugin.id)!.pid!;
    tamper();
    process.kill(pid, "SIGKILL");
    const failed = await eventually(async () => {
      const record = await status();
      return record.status === "error" ? record : null;
    }, "the refused restart to put the plugin into error");
    expect(failed.lastError).toBe(
      "package files changed since install: worker.mjs (modified); reinstall or run `paperclip plugin verify adversary.raw`",
    );
    expect(host.runtime.workers.isRunning(plugin.id)).toBe(false);
    expect(processAlive(pid)).toBe(false);
    const activity = await pluginActivity(host.services, companyId, plugin.id);
    expect(activity.at(-1)).toMatchObject({ action: "plugin.error", details: { reason: failed.lastError } });
    // The other plugin never noticed.
    await expect(bridgeAction(host, victim.id, "ping", {}, companyId)).resolves.toMatchObject({
      pong: expect.any(Number),
    });
    restore();
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
  });

  it("`verify --accept` trusts the current files (an activity row says so); the next start uses them", async () => {
    await host.request("POST", `/api/plugins/${plugin.id}/disable`, {});
    fs.writeFileSync(path.join(folder, "worker.mjs"), `${original}\n// a deliberate local change\n`);
    const accepted = await cli(host, ["verify", KEY, "--accept"]);
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain(`Accepted the current files of ${KEY} as trusted`);
    expect(accepted.out).toContain("(1 change(s) since the previous record)");
    expect(await verify()).toMatchObject({ state: "intact", recordedReason: "accepted" });
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
    const activity = await pluginActivity(host.services, companyId, plugin.id);
    expect(activity.map((row) => row.action)).toContain("plugin.package.accepted");
    const row = activity.find((entry) => entry.action === "plugin.package.accepted")!;
    expect(row.details).toMatchObject({
      changeCount: 1,
      changes: [{ path: "worker.mjs", change: "modified" }],
    });
    // Back to the fixture's own file, accepted again, for the tests below.
    await host.request("POST", `/api/plugins/${plugin.id}/disable`, {});
    restore();
    expect((await verify({ accept: true })).state).toBe("intact");
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
  });

  it("records a plugin without a digest at its next start (trust on first use), then enforces it", async () => {
    await database.db.query("test_forget_digest", "DELETE FROM plugin_package_digests WHERE plugin_id = $1", [
      plugin.id,
    ]);
    expect(await verify()).toMatchObject({ state: "unrecorded", recordedDigest: null, changeCount: 0 });
    expect((await cli(host, ["verify", KEY])).out).toContain("no digest recorded yet");
    await host.request("POST", `/api/plugins/${plugin.id}/disable`, {});
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
    const [row] = await database.db.query<{ recorded_reason: string; file_count: number }>(
      "test_read_digest",
      "SELECT recorded_reason, file_count FROM plugin_package_digests WHERE plugin_id = $1",
      [plugin.id],
    );
    expect(row).toEqual({ recorded_reason: "first_use", file_count: 3 });
    await host.request("POST", `/api/plugins/${plugin.id}/disable`, {});
    tamper();
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.error).toBe(
      refusal("worker.mjs (modified)"),
    );
    restore();
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
  });

  it("at host start, marks a tampered plugin error and starts the others", async () => {
    await host.close();
    tamper();
    host = await startRuntimeHost(engine, { database, dataDir, start: true });
    expect(await status()).toMatchObject({ status: "error", lastError: refusal("worker.mjs (modified)") });
    expect(host.runtime.workers.isRunning(plugin.id)).toBe(false);
    expect((await host.request("GET", `/api/plugins/${victim.id}`)).body.status).toBe("ready");
    await expect(bridgeAction(host, victim.id, "ping", {}, companyId)).resolves.toMatchObject({ pong: 1 });
    restore();
    expect((await host.request("POST", `/api/plugins/${plugin.id}/enable`)).body.status).toBe("ready");
  });

  it("reports a package folder that is gone, and will not accept it", async () => {
    const gone = await installFolder(
      host,
      copyAdversary("adversary-raw", temp.make(`gone-${engine}`), { manifest: { id: "adversary.gone" } }),
    );
    const record = (await host.request("GET", `/api/plugins/${gone.id}`)).body;
    await host.request("POST", `/api/plugins/${gone.id}/disable`, {});
    fs.rmSync(record.packageDir, { recursive: true, force: true });
    const report = (await host.request("POST", `/api/plugins/${gone.id}/verify`, {})).body;
    expect(report).toMatchObject({
      state: "changed",
      digest: null,
      problem: `the package folder ${record.packageDir} is missing`,
    });
    const accepted = await host.request("POST", `/api/plugins/${gone.id}/verify`, { accept: true });
    expect(accepted).toMatchObject({
      status: 400,
      body: {
        error: `Cannot accept the files of adversary.gone: the package folder ${record.packageDir} is missing; reinstall the plugin instead`,
      },
    });
    const enabled = await host.request("POST", `/api/plugins/${gone.id}/enable`);
    expect(enabled.status).toBe(400);
    expect(enabled.body.error).toMatch(/^Activation failed: /);
    await host.request("DELETE", `/api/plugins/${gone.id}?purge=true`);
  });

  it("answers 404 and 400 for a bad verify request, never 500", async () => {
    const missing = await host.request("POST", "/api/plugins/no.such.plugin/verify", {});
    expect(missing).toMatchObject({ status: 404, body: { error: "Plugin not found" } });
    const bad = await host.request("POST", `/api/plugins/${plugin.id}/verify`, { accept: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/accept/);
    const extra = await host.request("POST", `/api/plugins/${plugin.id}/verify`, { force: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error).toMatch(/force/);
  });
});

describe("package integrity of an npm (tarball) install", () => {
  let host: RuntimeHost;
  let tarballs: string;

  beforeAll(async () => {
    tarballs = temp.make("tarballs");
    const sdkTarball = await npmPack(SDK_DIR, tarballs);
    host = await startRuntimeHost("pglite", {
      runtime: { installer: { preferOffline: true, dependencyTarballs: [sdkTarball] } },
    });
    await createCompany(host.services, "Tarball Co");
  }, 120_000);

  afterAll(async () => {
    await host?.close();
  });

  it("hashes the whole node_modules of the version folder: a changed dependency is caught too", async () => {
    const tarball = await npmPack(copyAdversary("adversary-raw", temp.make("raw-pack")), tarballs);
    const installed = await host.request("POST", "/api/plugins/install", { packageName: tarball });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    const id = installed.body.id as string;
    const versionDir = path.dirname(installed.body.tarballPath as string);
    const report = (await host.request("POST", `/api/plugins/${id}/verify`, {})).body;
    expect(report).toMatchObject({ state: "intact", rootDir: path.join(versionDir, "node_modules") });
    // The plugin and the SDK installed beside it (and the SDK's own dependencies).
    expect(report.fileCount).toBeGreaterThan(100);

    await host.request("POST", `/api/plugins/${id}/disable`, {});
    const sdkFile = path.join(versionDir, "node_modules", "@paperclipai", "plugin-sdk", "package.json");
    const sdkJson = fs.readFileSync(sdkFile);
    fs.appendFileSync(sdkFile, "\n");
    const refused = await host.request("POST", `/api/plugins/${id}/enable`);
    expect(refused.body.error).toBe(refusal("@paperclipai/plugin-sdk/package.json (modified)"));
    fs.writeFileSync(sdkFile, sdkJson);
    const ownWorker = path.join(versionDir, "node_modules", "paperclip-plugin-adversary-raw", "worker.mjs");
    const workerText = fs.readFileSync(ownWorker);
    fs.appendFileSync(ownWorker, "// planted\n");
    expect((await host.request("POST", `/api/plugins/${id}/enable`)).body.error).toBe(
      refusal("paperclip-plugin-adversary-raw/worker.mjs (modified)"),
    );
    fs.writeFileSync(ownWorker, workerText);
    expect((await host.request("POST", `/api/plugins/${id}/enable`)).body.status).toBe("ready");
  });

  it("re-reads no unchanged file at each start of the largest example (kitchen-sink, installed from its tarball)", async () => {
    const kitchenSink = path.join(REPO_ROOT, "examples", "kitchen-sink");
    const tarball = await npmPack(kitchenSink, tarballs);
    const installed = await host.request("POST", "/api/plugins/install", { packageName: tarball });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    const id = installed.body.id as string;
    const root = path.join(path.dirname(installed.body.tarballPath as string), "node_modules");
    // Past the racy window of the install's own hashing, as any plugin is a few seconds after its install.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const full: number[] = [];
    const stamped: number[] = [];
    const enables: number[] = [];
    let previous = await computePackageDigest(root);
    for (let round = 0; round < 5; round++) {
      // What an operator's verify does: read and hash every file.
      full.push((await host.request("POST", `/api/plugins/${id}/verify`, {})).body.checkedMs);
      // What a start does once this host has hashed the files: stamps, and only changed files are read.
      const started = performance.now();
      const again = await computePackageDigest(root, previous);
      stamped.push(performance.now() - started);
      expect(again.digest).toBe(previous.digest);
      expect(again.hashedCount).toBe(0);
      previous = again;
      await host.request("POST", `/api/plugins/${id}/disable`, {});
      const enabling = performance.now();
      expect((await host.request("POST", `/api/plugins/${id}/enable`)).body.status).toBe("ready");
      enables.push(performance.now() - enabling);
    }
    const report = (await host.request("POST", `/api/plugins/${id}/verify`, {})).body;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const figures = {
      files: report.fileCount,
      bytes: report.totalBytes,
      fullDigestMs: Math.round(median(full)),
      startCheckMs: Math.round(median(stamped)),
      enableToReadyMs: Math.round(median(enables)),
    };
    // Figures for docs/supply-chain.md, not assertions: timing belongs in bench/, not in a test.
    console.info(`kitchen-sink npm install: ${JSON.stringify(figures)}`);
    expect(report.state).toBe("intact");
  }, 120_000);

  it("hashes each bundled example in its folder (local installs) in milliseconds", async () => {
    for (const name of ["hello-world", "kitchen-sink", "agent-chat"]) {
      const started = performance.now();
      const digest = await computePackageDigest(path.join(REPO_ROOT, "examples", name));
      const ms = performance.now() - started;
      console.info(
        `examples/${name}: ${digest.fileCount} files, ${digest.totalBytes} bytes, ${ms.toFixed(1)} ms`,
      );
      expect(digest.fileCount).toBeGreaterThan(5);
      expect(ms).toBeLessThan(1_000);
    }
  });
});

describe("the stamp shortcut of a start's check", () => {
  it("re-reads a file whose content changed even when its size and mtime were put back", async () => {
    const folder = copyAdversary("adversary-raw", temp.make("stamps"));
    const file = path.join(folder, "worker.mjs");
    // A whole-second mtime, so it can be put back exactly.
    const mtime = new Date("2026-01-01T00:00:00Z");
    fs.utimesSync(file, mtime, mtime);
    const first = await computePackageDigest(folder);
    expect(first.hashedCount).toBe(3);
    // Files changed within the racy window before a hashing are read again next time; once a hashing started
    // past that window, they are not.
    expect((await computePackageDigest(folder, first)).hashedCount).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const later = await computePackageDigest(folder, first);
    expect(later.hashedCount).toBe(3);
    const settled = await computePackageDigest(folder, later);
    expect(settled.hashedCount).toBe(0);
    expect(settled.digest).toBe(first.digest);

    // Same length, same mtime: only ctime (which nobody can set) tells.
    const before = fs.statSync(file);
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, text.replace("adversary-", "ADVERSARY-"));
    fs.utimesSync(file, mtime, mtime);
    expect(fs.statSync(file, { bigint: true }).size).toBe(BigInt(before.size));
    expect(fs.statSync(file, { bigint: true }).mtimeNs).toBe(BigInt(mtime.getTime()) * 1_000_000n);
    const after = await computePackageDigest(folder, settled);
    // Re-read: its ctime moved on the write (and again on utimes).
    expect(after.hashedCount).toBe(1);
    expect(after.digest).not.toBe(first.digest);
    expect(after.files["worker.mjs"]).not.toBe(first.files["worker.mjs"]);
  });
});

describe.each(ENGINES)("npm scope allow-list (%s)", (engine) => {
  let host: RuntimeHost;
  let open: RuntimeHost;
  let parent: string;

  beforeAll(async () => {
    host = await startRuntimeHost(engine, { runtime: { installer: { allowedScopes: ["@acme"] } } });
    open = await startRuntimeHost(engine);
    await createCompany(host.services, "Acme");
    parent = temp.make(`scopes-${engine}`);
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    await open?.close();
  });

  const install = (packageName: string, extra: Record<string, unknown> = {}) =>
    host.request("POST", "/api/plugins/install", { packageName, ...extra });

  it("shows the policy to the board, and null when the operator set none", async () => {
    expect((await host.request("GET", "/api/plugins/install-policy")).body).toEqual({
      allowedScopes: ["@acme"],
      unscopedEntry: "unscoped",
      setting: "PAPERCLIP_PLUGIN_ALLOWED_SCOPES (pluginAllowedScopes in config.json)",
    });
    expect((await open.request("GET", "/api/plugins/install-policy")).body.allowedScopes).toBeNull();
  });

  it("refuses registry names outside the scopes with 403 naming the scope and the setting, before fetching", async () => {
    const started = performance.now();
    const unscoped = await install("left-pad");
    expect(unscoped.status).toBe(403);
    expect(unscoped.body.error).toBe(
      'Plugin install refused: npm package "left-pad" has no npm scope, and unscoped packages are not allowed. ' +
        "Allowed scopes: @acme (set by PAPERCLIP_PLUGIN_ALLOWED_SCOPES (pluginAllowedScopes in config.json))",
    );
    expect(unscoped.body.details).toMatchObject({ scope: null, allowedScopes: ["@acme"] });
    const foreign = await install("@evil/paperclip-plugin", { version: "1.0.0" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error).toContain(
      'npm package "@evil/paperclip-plugin" is in the scope @evil, which is not allowed',
    );
    // Refused from the name alone: nothing was fetched (no registry is reachable here, and no time went by).
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(fs.existsSync(path.join(host.pluginsDir, "@evil+paperclip-plugin"))).toBe(false);
  });

  it("checks local folders and tarballs by the name in their package.json", async () => {
    const unscopedFolder = copyAdversary("adversary-raw", parent);
    const refused = await install(unscopedFolder, { isLocalPath: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain(
      'package.json name "paperclip-plugin-adversary-raw" has no npm scope, and unscoped packages are not allowed',
    );
    const evil = copyAdversary("adversary-raw", parent, { packageName: "@evil/adversary-raw" });
    const tarball = await npmPack(evil, temp.make(`evil-pack-${engine}`));
    const fromTarball = await install(tarball);
    expect(fromTarball.status).toBe(403);
    expect(fromTarball.body.error).toContain('package.json name "@evil/adversary-raw" is in the scope @evil');
    // A refused tarball leaves no version folder behind.
    expect(fs.existsSync(path.join(host.pluginsDir, "@evil+adversary-raw"))).toBe(false);

    const allowed = copyAdversary("adversary-raw", parent, { packageName: "@acme/adversary-raw" });
    expect((await install(allowed, { isLocalPath: true })).body).toMatchObject({
      status: "ready",
      pluginKey: KEY,
    });
  });

  it("refuses an upgrade to a package outside the scopes and keeps the running version", async () => {
    const folder = copyAdversary("adversary-raw", parent, {
      packageName: "@acme/upgraded",
      manifest: { id: "adversary.upgrade-scope" },
    });
    const installed = (await install(folder, { isLocalPath: true })).body;
    expect(installed.status).toBe("ready");
    editPackage(folder, { packageName: "@evil/upgraded", manifest: { version: "2.0.0" } });
    const upgraded = await host.request("POST", `/api/plugins/${installed.id}/upgrade`, {});
    expect(upgraded.status).toBe(403);
    expect(upgraded.body.error).toContain('package.json name "@evil/upgraded" is in the scope @evil');
    expect((await host.request("GET", `/api/plugins/${installed.id}`)).body).toMatchObject({
      status: "ready",
      version: "1.0.0",
    });
    expect(host.runtime.workers.isRunning(installed.id)).toBe(true);
  });
});

describe("npm scope allow-list settings", () => {
  const dataDir = () => temp.make("config");

  it("reads PAPERCLIP_PLUGIN_ALLOWED_SCOPES and config.json, lower-cased and de-duplicated", () => {
    expect(loadConfig({ dataDir: dataDir() }, {}).pluginAllowedScopes).toBeNull();
    expect(
      loadConfig({ dataDir: dataDir() }, { PAPERCLIP_PLUGIN_ALLOWED_SCOPES: " @Acme, @paperclipai,@acme " })
        .pluginAllowedScopes,
    ).toEqual(["@acme", "@paperclipai"]);
    const dir = dataDir();
    fs.writeFileSync(
      path.join(dir, "config.json"),
      JSON.stringify({ pluginAllowedScopes: ["@acme", "unscoped"] }),
    );
    expect(loadConfig({ dataDir: dir }, {}).pluginAllowedScopes).toEqual(["@acme", "unscoped"]);
    // The environment wins over the file.
    expect(
      loadConfig({ dataDir: dir }, { PAPERCLIP_PLUGIN_ALLOWED_SCOPES: "@other" }).pluginAllowedScopes,
    ).toEqual(["@other"]);
  });

  it("refuses entries that are not scopes, naming the setting and the entry", () => {
    const attempt = (value: string) => () =>
      loadConfig({ dataDir: dataDir() }, { PAPERCLIP_PLUGIN_ALLOWED_SCOPES: value });
    expect(attempt("acme")).toThrow(ConfigError);
    expect(attempt("acme")).toThrow(
      'Invalid setting "pluginAllowedScopes": "acme" is not an npm scope: write each entry as @scope (for example ' +
        "@acme), or unscoped to allow package names without a scope",
    );
    expect(attempt(" , ")).toThrow('Invalid setting "pluginAllowedScopes": the list is empty');
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify({ pluginAllowedScopes: 42 }));
    expect(() => loadConfig({ dataDir: dir }, {})).toThrow(
      'Invalid setting "pluginAllowedScopes": must be a list of npm scopes, or a comma-separated string',
    );
  });

  it("is shown by `paperclip doctor`", async () => {
    const lines: string[] = [];
    const dir = dataDir();
    await runDoctor(loadConfig({ dataDir: dir }, { PAPERCLIP_PLUGIN_ALLOWED_SCOPES: "@acme" }), (line) =>
      lines.push(line),
    );
    expect(lines).toContain(
      "ok    plugin installs are limited to the npm scopes @acme (PAPERCLIP_PLUGIN_ALLOWED_SCOPES (pluginAllowedScopes in config.json))",
    );
    lines.length = 0;
    await runDoctor(loadConfig({ dataDir: dir }, {}), (line) => lines.push(line));
    expect(lines).toContain(
      "ok    plugin installs may come from any npm scope (set PAPERCLIP_PLUGIN_ALLOWED_SCOPES (pluginAllowedScopes in config.json) to allow only yours)",
    );
  });
});

describe("`paperclip doctor` and installed plugin files", () => {
  it("passes while the files match and fails naming the plugin and file once one changed", async () => {
    const dataDir = temp.make("doctor-instance");
    const db = await openDatabase({ kind: "pglite", dataDir: embeddedDatabaseDir(dataDir) });
    await runMigrations(db);
    const host = await startRuntimeHost("pglite", {
      database: { db, url: null, dispose: () => db.close() },
      dataDir,
    });
    const folder = copyAdversary("adversary-raw", temp.make("doctor-plugin"));
    try {
      await installFolder(host, folder);
    } finally {
      await host.close();
      await db.close();
    }
    const doctor = async () => {
      const lines: string[] = [];
      const ok = await runDoctor(loadConfig({ dataDir }, {}), (line) => lines.push(line));
      return { ok, lines };
    };
    const intact = await doctor();
    expect(intact.lines).toContain("ok    plugin package files match their install digests (1 checked)");
    expect(intact.ok).toBe(true);
    fs.appendFileSync(path.join(folder, "worker.mjs"), "// planted\n");
    const changed = await doctor();
    expect(changed.ok).toBe(false);
    expect(changed.lines).toContain(
      `FAIL  plugin package files changed since install: ${KEY} (worker.mjs modified; paperclip plugin verify ${KEY})`,
    );
    // An embedded database on disk migrates slowly on a busy machine.
  }, 180_000);
});

describe.each(ENGINES)("capability growth on upgrade (%s)", (engine) => {
  let host: RuntimeHost;
  let companyId: string;
  let folder: string;
  let plugin: { id: string };

  beforeAll(async () => {
    host = await startRuntimeHost(engine);
    companyId = (await createCompany(host.services, "Acme")).id;
    folder = copyAdversary("adversary-raw", temp.make(`growth-${engine}`), {
      manifest: { version: "1.0.0", capabilities: ["companies.read"] },
    });
    plugin = await installFolder(host, folder);
  }, 60_000);

  afterAll(async () => {
    await host?.close();
  });

  const capabilities = async () => (await host.request("GET", `/api/plugins/${plugin.id}/capabilities`)).body;
  const upgrade = async (version: string, caps: string[]) => {
    editPackage(folder, { manifest: { version, capabilities: caps } });
    return host.request("POST", `/api/plugins/${plugin.id}/upgrade`, {});
  };

  it("holds an upgrade that adds a capability, shows the diff, and does not start it", async () => {
    expect(await capabilities()).toMatchObject({
      status: "ready",
      approved: ["companies.read"],
      requested: ["companies.read"],
      added: [],
      removed: [],
      awaitingApproval: false,
    });
    const upgraded = await upgrade("2.0.0", ["companies.read", "issues.read"]);
    expect(upgraded.body).toMatchObject({
      status: "upgrade_pending",
      version: "2.0.0",
      lastError: "Upgrade to 2.0.0 adds capabilities: issues.read. Enable the plugin to approve them",
    });
    expect(host.runtime.workers.isRunning(plugin.id)).toBe(false);
    expect(await capabilities()).toMatchObject({
      status: "upgrade_pending",
      version: "2.0.0",
      approvedVersion: "1.0.0",
      approved: ["companies.read"],
      requested: ["companies.read", "issues.read"],
      added: ["issues.read"],
      removed: [],
      awaitingApproval: true,
    });
  });

  it("keeps it held when a second upgrade arrives before approval (no capability slips through)", async () => {
    // Compared with v2's manifest this adds nothing; compared with what was approved (v1) it still adds issues.read.
    const upgraded = await upgrade("3.0.0", ["issues.read"]);
    expect(upgraded.body).toMatchObject({
      status: "upgrade_pending",
      version: "3.0.0",
      lastError: "Upgrade to 3.0.0 adds capabilities: issues.read. Enable the plugin to approve them",
    });
    expect(host.runtime.workers.isRunning(plugin.id)).toBe(false);
    expect(await capabilities()).toMatchObject({
      approvedVersion: "1.0.0",
      approved: ["companies.read"],
      requested: ["issues.read"],
      added: ["issues.read"],
      removed: ["companies.read"],
    });
  });

  it("enable approves: the new version starts with the new capability; later upgrades compare with it", async () => {
    const enabled = await host.request("POST", `/api/plugins/${plugin.id}/enable`);
    expect(enabled.body).toMatchObject({ status: "ready", version: "3.0.0", lastError: null });
    expect(await capabilities()).toMatchObject({
      approvedVersion: "3.0.0",
      approved: ["issues.read"],
      added: [],
      removed: [],
      awaitingApproval: false,
    });
    // Running v3 with its approved capability (and without the one it gave up).
    const [issues, companies] = await bridgeAction<Array<{ result?: unknown; error?: { code: number } }>>(
      host,
      plugin.id,
      "raw",
      {
        calls: [
          { method: "issues.list", params: { companyId } },
          { method: "companies.get", params: { companyId } },
        ],
      },
      companyId,
    );
    expect(issues).toEqual({ result: [] });
    expect(companies!.error?.code).toBe(-32001);
    const activity = await pluginActivity(host.services, companyId, plugin.id);
    expect(activity.at(-1)).toMatchObject({ action: "plugin.enabled", details: { approvedUpgrade: true } });
    // Giving a capability up needs no approval.
    expect((await upgrade("4.0.0", ["issues.read"])).body).toMatchObject({
      status: "ready",
      version: "4.0.0",
    });
  });

  it("answers 404 for the capabilities of an unknown plugin", async () => {
    expect((await host.request("GET", "/api/plugins/no.such.plugin/capabilities")).status).toBe(404);
  });
});
