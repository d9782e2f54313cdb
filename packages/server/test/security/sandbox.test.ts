// The worker sandbox on a real host (issue 14, part 1): a plugin that tries to leave it — read /etc/passwd, list and
// read the host's database folder and secrets key, write outside its data folder, spawn `id`, load a native addon,
// start a worker thread or WASI, open a socket to the host's own HTTP port, exhaust its memory, block its event loop —
// fails each time with an error naming the refusal, while a second plugin on the same host keeps answering. Writing
// inside its data folder works, and an operator grant (child processes) lifts exactly that limit. Real workers, real
// PGlite (on disk, inside the host's data folder) or PostgreSQL, real HTTP on 127.0.0.1. Needs `npx tsc -b` first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoctor } from "../../src/cli/doctor.js";
import { ConfigError, type ConfigInput, loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/database.js";
import { runMigrations } from "../../src/db/migrate.js";
import { describeHostSandbox, probeNetworkIsolation } from "../../src/plugins/sandbox/index.js";
import { SECRETS_KEY_FILE } from "../../src/plugins/secrets/crypto.js";
import {
  eventually,
  pluginActivity,
  processAlive,
  type RuntimeHost,
  startRuntimeHost,
} from "../plugins/fixtures/runtime/support.js";
import { ENGINES, type Engine, openTestDatabase, type TestDatabase } from "../support/database.js";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
const ESCAPE_DIR = path.join(FIXTURES, "sandbox-escape");
const BYSTANDER_DIR = path.join(FIXTURES, "sandbox-bystander");

/** Pings every 300 ms; three misses of 1.5 s each mark a worker hung (generous: the test machine is shared). */
const WORKERS = {
  timeouts: { shutdownMs: 2_000, sigtermGraceMs: 1_000, healthIntervalMs: 300, healthTimeoutMs: 1_500 },
  crashPolicy: {
    backoffBaseMs: 50,
    backoffMaxMs: 200,
    backoffJitter: 0,
    maxConsecutiveCrashes: 5,
    healthFailureThreshold: 3,
  },
};

interface Attempt {
  ok: boolean;
  value?: unknown;
  error?: { code: string | null; message: string; permission: string | null; resource: string | null };
}

const REPO_MODULES = path.resolve(FIXTURES, "../../../../../node_modules");

/** A native addon (`.node`) installed in the repository, e.g. lightningcss's binding. */
function nativeAddon(): string {
  for (const name of fs.readdirSync(REPO_MODULES)) {
    const folder = path.join(REPO_MODULES, name);
    if (!fs.statSync(folder).isDirectory()) continue;
    const file = fs.readdirSync(folder).find((entry) => entry.endsWith(".node"));
    if (file) return path.join(folder, file);
  }
  throw new Error(`no native addon (*.node) in ${REPO_MODULES}`);
}

/** A test database whose files (PGlite) live in `<dataDir>/db`, as `paperclip start` keeps them. */
async function hostDatabase(engine: Engine, dataDir: string): Promise<{ db: TestDatabase; folder: string }> {
  if (engine === "postgres") {
    const db = await openTestDatabase("postgres");
    const [row] = await db.db.query<{ data_directory: string }>("t_data_dir", "SHOW data_directory", []);
    return { db, folder: row!.data_directory };
  }
  const folder = path.join(dataDir, "db");
  const pglite = await openDatabase({ kind: "pglite", dataDir: folder });
  await runMigrations(pglite);
  return { db: { db: pglite, url: null, dispose: () => pglite.close() }, folder };
}

describe.each(ENGINES)("the worker sandbox on a real host (%s)", (engine) => {
  let host: RuntimeHost;
  let database: TestDatabase;
  let databaseFolder: string;
  let dataDir: string;
  let escapeId: string;
  let bystanderId: string;
  let companyId: string;

  const attempt = async (key: string, params: Record<string, unknown> = {}): Promise<Attempt> => {
    const response = await host.request("POST", `/api/plugins/sandbox.escape/actions/${key}`, { params });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.data as Attempt;
  };
  const refused = async (key: string, params: Record<string, unknown> = {}) => {
    const result = await attempt(key, params);
    expect(result.ok, `${key} ${JSON.stringify(params)} was allowed: ${JSON.stringify(result.value)}`).toBe(
      false,
    );
    return result.error!;
  };
  /** The plugin next door answers, over HTTP, with its own worker. */
  const bystanderAnswers = async (value: string) => {
    const response = await host.request("POST", "/api/plugins/sandbox.bystander/actions/echo", {
      params: { value },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.data.echo).toBe(value);
  };
  const worker = async (pluginId: string) =>
    (await host.request("GET", `/api/plugins/${pluginId}/dashboard`)).body.worker;
  const install = async (folder: string) => {
    const response = await host.request("POST", "/api/plugins/install", {
      packageName: folder,
      isLocalPath: true,
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.status, response.body.lastError).toBe("ready");
    return response.body.id as string;
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-sandbox-host-"));
    ({ db: database, folder: databaseFolder } = await hostDatabase(engine, dataDir));
    host = await startRuntimeHost(engine, {
      database,
      dataDir,
      start: true,
      runtime: { workerDefaults: WORKERS },
    });
    companyId = (await host.request("POST", "/api/companies", { name: "Sandbox Co" })).body.id;
    escapeId = await install(ESCAPE_DIR);
    bystanderId = await install(BYSTANDER_DIR);
  }, 180_000);

  afterAll(async () => {
    await host?.close();
    await database?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("runs the worker sandboxed, in its own network namespace, with its data folder in the host's", async () => {
    const view = (await host.request("GET", `/api/plugins/${escapeId}/sandbox`)).body;
    const expectedData = path.join(dataDir, "plugin-data", "sandbox.escape");
    expect(view).toMatchObject({
      pluginKey: "sandbox.escape",
      host: { enabled: true, network: { isolated: true } },
      grants: {
        childProcess: false,
        workerThreads: false,
        nativeAddons: false,
        wasi: false,
        unsandboxed: false,
      },
      dataDir: expectedData,
      memory: { limitMb: 512, residentLimitMb: 1152, source: "host" },
      worker: { sandboxed: true, network: { isolated: true }, writePaths: [expectedData] },
    });
    expect(view.worker.permissionFlag).toMatch(/^--(experimental-)?permission$/);
    // Its package, the node_modules it resolves from, the SDK behind the workspace symlink, its data folder: no more.
    expect(view.worker.readPaths).toEqual(
      [
        ESCAPE_DIR,
        REPO_MODULES,
        path.join(REPO_MODULES, "..", "packages", "plugin-sdk"),
        expectedData,
      ].sort(),
    );
    // Nothing it may read covers the host's data folder or the database's.
    for (const readable of view.worker.readPaths as string[]) {
      expect(dataDir.startsWith(readable), `${readable} covers the data folder`).toBe(false);
      expect(databaseFolder.startsWith(readable), `${readable} covers the database`).toBe(false);
    }

    const me = (await host.request("POST", "/api/plugins/sandbox.escape/actions/whoami", { params: {} })).body
      .data;
    expect(me).toMatchObject({
      dataDir: expectedData,
      tmpDir: path.join(expectedData, "tmp"),
      permissionModel: true,
    });
    // unshare execs node: the pid the supervisor tracks (and kills) is the worker itself, in another namespace.
    const pid = (await worker(escapeId)).pid;
    expect(me.pid).toBe(pid);
    expect(fs.realpathSync(`/proc/${pid}/exe`)).toBe(fs.realpathSync(process.execPath));
    expect(fs.readlinkSync(`/proc/${pid}/ns/net`)).not.toBe(fs.readlinkSync("/proc/self/ns/net"));
  });

  it("refuses to read /etc/passwd", async () => {
    const error = await refused("try-read", { path: "/etc/passwd" });
    expect(error).toMatchObject({
      code: "ERR_ACCESS_DENIED",
      permission: "FileSystemRead",
      resource: "/etc/passwd",
    });
    await bystanderAnswers("after /etc/passwd");
  });

  it("refuses to list or read the host's data folder, its database files and its secrets key", async () => {
    expect(fs.existsSync(path.join(dataDir, SECRETS_KEY_FILE))).toBe(true);
    for (const folder of [dataDir, databaseFolder, path.join(dataDir, "plugin-data")]) {
      const error = await refused("try-list", { path: folder });
      expect(error).toMatchObject({ code: "ERR_ACCESS_DENIED", permission: "FileSystemRead" });
    }
    const databaseFile = path.join(databaseFolder, "PG_VERSION");
    expect(fs.existsSync(databaseFile)).toBe(true);
    for (const file of [databaseFile, path.join(dataDir, SECRETS_KEY_FILE)]) {
      const error = await refused("try-read", { path: file });
      expect(error).toMatchObject({
        code: "ERR_ACCESS_DENIED",
        permission: "FileSystemRead",
        resource: file,
      });
    }
    await bystanderAnswers("after the database");
  });

  it("refuses writes outside its data folder, allows them inside it (and in TMPDIR there)", async () => {
    const outside = [
      path.join(os.tmpdir(), `pc-sandbox-escape-${process.pid}.txt`),
      path.join(ESCAPE_DIR, "planted.js"),
      path.join(dataDir, "planted.txt"),
      path.join(dataDir, "plugin-data", "sandbox.bystander", "planted.txt"),
    ];
    for (const file of outside) {
      const error = await refused("try-write", { path: file });
      expect(error).toMatchObject({ code: "ERR_ACCESS_DENIED", permission: "FileSystemWrite" });
      expect(fs.existsSync(file), file).toBe(false);
    }
    const inside = path.join(dataDir, "plugin-data", "sandbox.escape", "notes", "kept.txt");
    expect(await attempt("try-write", { path: inside, text: "mine\n" })).toEqual({
      ok: true,
      value: "mine\n",
    });
    expect(fs.readFileSync(inside, "utf8")).toBe("mine\n");
    const scratch = await attempt("try-write-tmp");
    expect(scratch).toEqual({
      ok: true,
      value: path.join(dataDir, "plugin-data", "sandbox.escape", "tmp", "scratch.txt"),
    });
    await bystanderAnswers("after the writes");
  });

  it("refuses child processes, native addons, worker threads and WASI", async () => {
    expect(await refused("try-spawn", { command: "id" })).toMatchObject({
      code: "ERR_ACCESS_DENIED",
      permission: "ChildProcess",
    });
    // A real native addon from the repository's node_modules (readable by the worker): loading it is what is refused.
    const addon = nativeAddon();
    const dlopen = await refused("try-dlopen", { path: addon });
    expect(dlopen.code).toBe("ERR_DLOPEN_DISABLED");
    expect(dlopen.message).toContain("loading addons is disabled");
    expect(await refused("try-worker-thread")).toMatchObject({
      code: "ERR_ACCESS_DENIED",
      permission: "WorkerThreads",
    });
    expect(await refused("try-wasi")).toMatchObject({ code: "ERR_ACCESS_DENIED", permission: "WASI" });
    await bystanderAnswers("after the process attempts");
  });

  it("has no network of its own: a socket to the host's HTTP port on 127.0.0.1 fails", async () => {
    const port = Number(new URL(host.baseUrl).port);
    // The port answers the test (outside the namespace)…
    expect((await host.request("GET", "/api/health")).status).toBe(200);
    // …but not the worker.
    const error = await refused("try-connect", { host: "127.0.0.1", port });
    expect(["ENETUNREACH", "ECONNREFUSED"]).toContain(error.code);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    await bystanderAnswers("after the socket");
  });

  it("cannot reach local UNIX sockets either: PostgreSQL's socket folder is masked in its mount namespace", async () => {
    // The socket is there for the host (PostgreSQL runs on this machine, local connections trusted)…
    const socket = "/var/run/postgresql/.s.PGSQL.5432";
    expect(fs.existsSync(socket), `${socket} (the local PostgreSQL's socket) is missing`).toBe(true);
    const view = (await host.request("GET", `/api/plugins/${escapeId}/sandbox`)).body;
    expect(view.worker.network.maskedFolders).toContain("/run");
    // …but not in the worker's file system (a network namespace alone would not hide it).
    const error = await refused("try-connect-unix", { path: socket });
    expect(error.code).toBe("ENOENT");
    await bystanderAnswers("after the UNIX socket");
  });

  it("kills a worker at its memory cap, tells the operator, restarts it; the host and the other plugin are fine", async () => {
    const capped = await host.request("PATCH", `/api/plugins/${escapeId}/settings`, {
      limits: { memoryLimitMb: 64 },
    });
    expect(capped.status, JSON.stringify(capped.body)).toBe(200);
    for (const [kind, reason] of [
      ["heap", "exceeded the 64 MB heap limit"],
      ["buffers", "over its 256 MB cap"],
    ] as const) {
      const before = await worker(escapeId);
      const response = await host.request("POST", "/api/plugins/sandbox.escape/actions/allocate", {
        params: { kind },
      });
      expect(response.status).toBe(502);
      expect(response.body.code).toBe("WORKER_UNAVAILABLE");
      await bystanderAnswers(`while ${kind} ran out`);
      const after = await eventually(async () => {
        const current = await worker(escapeId);
        return current?.status === "running" && current.totalCrashes === before.totalCrashes + 1
          ? current
          : null;
      }, `the worker restarted after running out of ${kind}`);
      expect(after.lastError).toContain(reason);
      expect(after.pid).not.toBe(before.pid);
      expect(processAlive(before.pid)).toBe(false);
      const crashes = (await pluginActivity(host.services, companyId, escapeId)).filter(
        (row) => row.action === "plugin.worker.crashed",
      );
      expect(crashes.at(-1)?.details).toMatchObject({ cause: "out_of_memory", willRestart: true });
      expect(String(crashes.at(-1)?.details.reason)).toContain(reason);
    }
    const reset = await host.request("PATCH", `/api/plugins/${escapeId}/settings`, { limits: {} });
    expect(reset.body.status).toBe("ready");
  }, 120_000);

  it("marks a worker with a blocked event loop degraded, kills and restarts it, and records why", async () => {
    const before = await worker(escapeId);
    const blocked = host.request("POST", "/api/plugins/sandbox.escape/actions/block", {
      params: { ms: 120_000 },
    });
    const listed = async () =>
      (await host.request("GET", "/api/plugins")).body.find(
        (plugin: { id: string }) => plugin.id === escapeId,
      );
    const degraded = await eventually(async () => ((await listed()).degraded ? listed() : null), "degraded");
    expect(degraded).toMatchObject({ status: "ready", healthy: false, degraded: true });
    expect(degraded.warnings.join("\n")).toMatch(/missed its last \d+ health ping|is hung/);
    await bystanderAnswers("while the other worker is blocked");

    const answer = await blocked;
    expect(answer.status).toBe(502);
    expect(answer.body.code).toBe("WORKER_UNAVAILABLE");
    const after = await eventually(
      async () => {
        const current = await worker(escapeId);
        return current?.status === "running" && current.totalCrashes > before.totalCrashes ? current : null;
      },
      "the hung worker restarted",
      60_000,
    );
    expect(after.lastError).toMatch(/is hung: 3 health pings in a row got no answer within 1500ms/);
    expect(after.pid).not.toBe(before.pid);
    const crash = (await pluginActivity(host.services, companyId, escapeId))
      .filter((row) => row.action === "plugin.worker.crashed")
      .at(-1);
    expect(crash?.details).toMatchObject({ cause: "hung", willRestart: true });
    expect(String(crash?.details.advice)).toContain("event loop was blocked");
    await eventually(async () => (await listed()).healthy === true, "healthy again");
    await bystanderAnswers("after the hang");
  }, 120_000);

  it("grants child processes on request (a risk to acknowledge), then spawning works until revoked", async () => {
    const put = (body: unknown) => host.request("PUT", `/api/plugins/${escapeId}/sandbox`, body);
    const unacknowledged = await put({ grants: { childProcess: true } });
    expect(unacknowledged.status).toBe(400);
    expect(unacknowledged.body.error).toMatch(/^acknowledgeRisks must be true to grant childProcess: /);
    const notBoolean = await put({ grants: { childProcess: "yes" }, acknowledgeRisks: true });
    expect(notBoolean.status).toBe(400);
    expect(notBoolean.body.error).toContain("grants.childProcess");
    const unknown = await put({ grants: { network: true }, acknowledgeRisks: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain("network");
    expect((await put({})).status).toBe(400);
    expect((await host.request("GET", "/api/plugins/no.such.plugin/sandbox")).status).toBe(404);
    expect((await put({ grants: {} })).body).toMatchObject({ restarted: false, restartError: null });

    const pidBefore = (await worker(escapeId)).pid;
    const granted = await put({ grants: { childProcess: true }, acknowledgeRisks: true });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    expect(granted.body).toMatchObject({
      restarted: true,
      restartError: null,
      grants: { childProcess: true },
      worker: { sandboxed: true, grants: { childProcess: true } },
    });
    expect(granted.body.worker.warnings.join("\n")).toContain("Granted childProcess");
    expect((await worker(escapeId)).pid).not.toBe(pidBefore);
    const spawned = await attempt("try-spawn", { command: "id" });
    expect(spawned.ok, JSON.stringify(spawned.error)).toBe(true);
    expect(String(spawned.value)).toMatch(/^uid=/);
    // Only that grant: the file-system limits stay.
    expect((await refused("try-read", { path: "/etc/passwd" })).code).toBe("ERR_ACCESS_DENIED");
    const activity = (await pluginActivity(host.services, companyId, escapeId)).filter(
      (row) => row.action === "plugin.sandbox.updated",
    );
    expect(activity.at(-1)?.details).toMatchObject({ granted: ["childProcess"], revoked: [] });

    const revoked = await put({ grants: { childProcess: false } });
    expect(revoked.body).toMatchObject({ restarted: true, grants: { childProcess: false } });
    expect((await refused("try-spawn", { command: "id" })).code).toBe("ERR_ACCESS_DENIED");
    await bystanderAnswers("after the grant");
  }, 60_000);

  it("puts a plugin that cannot start without a revoked grant into error, with the reason", async () => {
    const put = (body: unknown) => host.request("PUT", `/api/plugins/${escapeId}/sandbox`, body);
    expect((await put({ grants: { childProcess: true }, acknowledgeRisks: true })).body.restarted).toBe(true);
    const marker = path.join(dataDir, "plugin-data", "sandbox.escape", "spawn-at-start");
    fs.writeFileSync(marker, "setup() spawns a process\n");
    try {
      const revoked = await put({ grants: { childProcess: false } });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        restarted: false,
        pluginStatus: "error",
        grants: { childProcess: false },
      });
      expect(revoked.body.restartError).toMatch(/^Restart with the changed sandbox failed: /);
      expect(revoked.body.restartError).toContain("Access to this API has been restricted");
      const record = (await host.request("GET", `/api/plugins/${escapeId}`)).body;
      expect(record).toMatchObject({ status: "error", lastError: revoked.body.restartError });
      await bystanderAnswers("while the other plugin is in error");
      // Granted again, an enable brings it back.
      expect((await put({ grants: { childProcess: true }, acknowledgeRisks: true })).status).toBe(200);
      expect((await host.request("POST", `/api/plugins/${escapeId}/enable`)).body.status).toBe("ready");
    } finally {
      fs.rmSync(marker, { force: true });
    }
    expect((await put({ grants: { childProcess: false } })).body).toMatchObject({
      restarted: true,
      restartError: null,
    });
  }, 90_000);

  it("runs a plugin granted `unsandboxed` without any limit, shown as a warning", async () => {
    const granted = await host.request("PUT", `/api/plugins/${escapeId}/sandbox`, {
      grants: { unsandboxed: true },
      acknowledgeRisks: true,
    });
    expect(granted.body).toMatchObject({
      restarted: true,
      worker: { sandboxed: false, network: { isolated: false } },
    });
    expect(granted.body.worker.warnings[0]).toMatch(/^Not sandboxed: the operator granted "unsandboxed"/);
    expect((await attempt("try-read", { path: "/etc/passwd" })).ok).toBe(true);
    const back = await host.request("PUT", `/api/plugins/${escapeId}/sandbox`, {
      grants: { unsandboxed: false },
    });
    expect(back.body).toMatchObject({ restarted: true, worker: { sandboxed: true } });
    expect((await refused("try-read", { path: "/etc/passwd" })).code).toBe("ERR_ACCESS_DENIED");
    expect((await worker(bystanderId)).totalCrashes).toBe(0);
  }, 60_000);
});

describe("the sandbox switched off for the whole host, and where isolation is missing", () => {
  let host: RuntimeHost;

  beforeAll(async () => {
    host = await startRuntimeHost(ENGINES[0]!, {
      start: true,
      runtime: { sandbox: { enabled: false, disabledBy: "PAPERCLIP_PLUGIN_SANDBOX=off" } },
    });
  });
  afterAll(async () => {
    await host?.close();
  });

  it("runs workers unconfined and says so in the sandbox view", async () => {
    const response = await host.request("POST", "/api/plugins/install", {
      packageName: ESCAPE_DIR,
      isLocalPath: true,
    });
    expect(response.body.status, response.body.lastError).toBe("ready");
    const view = (await host.request("GET", `/api/plugins/${response.body.id}/sandbox`)).body;
    expect(view).toMatchObject({
      host: { enabled: false, disabledBy: "PAPERCLIP_PLUGIN_SANDBOX=off" },
      worker: { sandboxed: false, readPaths: [], writePaths: [] },
    });
    expect(view.worker.warnings[0]).toContain("switched off for every plugin on this host");
    const read = await host.request("POST", "/api/plugins/sandbox.escape/actions/try-read", {
      params: { path: "/etc/passwd" },
    });
    expect(read.body.data.ok).toBe(true);
    expect(describeHostSandbox(view.host)[0]).toMatchObject({ level: "warn" });
    expect(describeHostSandbox(view.host)[0]!.message).toMatch(/^plugin sandbox is OFF/);
  });

  it("reads PAPERCLIP_PLUGIN_SANDBOX, refusing values other than on/off", () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-sandbox-config-"));
    try {
      const flags: ConfigInput = { dataDir };
      expect(loadConfig(flags, {}).pluginSandbox).toBe(true);
      expect(loadConfig(flags, { PAPERCLIP_PLUGIN_SANDBOX: "off" }).pluginSandbox).toBe(false);
      expect(loadConfig(flags, { PAPERCLIP_PLUGIN_SANDBOX: "on" }).pluginSandbox).toBe(true);
      expect(() => loadConfig(flags, { PAPERCLIP_PLUGIN_SANDBOX: "maybe" })).toThrow(ConfigError);
      expect(() => loadConfig(flags, { PAPERCLIP_PLUGIN_SANDBOX: "maybe" })).toThrow(/pluginSandbox/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("reports no network namespace where unshare is missing or the OS has none, at start and in doctor", async () => {
    const missing = await probeNetworkIsolation({ searchPath: "/nonexistent-folder" });
    expect(missing).toMatchObject({ mode: "none", unshare: [], canMask: false });
    expect(missing.description).toMatch(/^unshare \(util-linux\) is not installed/);
    const mac = await probeNetworkIsolation({ platform: "darwin" });
    expect(mac.description).toMatch(/^network namespaces are a Linux feature; on darwin/);
    const here = await probeNetworkIsolation();
    expect(here).toMatchObject({ mode: process.getuid?.() === 0 ? "netns" : "userns-netns", canMask: true });
    // unshare without a shell to mount the masks: still a network namespace, said to leave UNIX sockets reachable.
    const onlyUnshare = fs.mkdtempSync(path.join(os.tmpdir(), "pc-sandbox-path-"));
    try {
      fs.symlinkSync(here.unshare[0]!, path.join(onlyUnshare, "unshare"));
      const noShell = await probeNetworkIsolation({ searchPath: onlyUnshare });
      expect(noShell).toMatchObject({ mode: here.mode, canMask: false, shell: null });
      expect(noShell.description).toContain("UNIX sockets in the file system stay reachable");
    } finally {
      fs.rmSync(onlyUnshare, { recursive: true, force: true });
    }

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pc-sandbox-doctor-"));
    try {
      const lines: string[] = [];
      await runDoctor(loadConfig({ dataDir }, {}), (line) => lines.push(line));
      expect(lines.join("\n")).toMatch(/^ok {4}plugin sandbox: Node v\d+\.\d+\.\d+ permission model/m);
      expect(lines.join("\n")).toMatch(
        /^ok {4}plugin network isolation: each worker runs in its own empty network/m,
      );
      const off: string[] = [];
      await runDoctor(loadConfig({ dataDir }, { PAPERCLIP_PLUGIN_SANDBOX: "off" }), (line) => off.push(line));
      expect(off.join("\n")).toMatch(/^warn {2}plugin sandbox is OFF/m);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
