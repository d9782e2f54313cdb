/**
 * Supervisor lifecycle against real worker processes built with our SDK: handshake, clean env,
 * host↔worker routing, graceful stop, serialised start/stop, and no duplicate registrations.
 */
import fs from "node:fs";
import path from "node:path";
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { afterEach, describe, expect, it } from "vitest";
import {
  HostMethodNotFoundError,
  measureSpawnToReady,
  WORKER_ENV_KEYS,
  type WorkerStatus,
} from "../../src/plugins/supervisor/index.js";
import {
  eventually,
  fixture,
  recordingLogger,
  rejection,
  SupervisorTestBed,
} from "./fixtures/supervisor/harness.js";

const bed = new SupervisorTestBed();
afterEach(() => bed.cleanup());

describe("start and initialize", () => {
  it("spawns the worker, sends initialize with the documented params and records supportedMethods", async () => {
    const seen: { method: string; params: unknown }[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      databaseNamespace: "plugin_fixture",
      handleWorkerRequest: (method, params) => {
        seen.push({ method, params });
        return null;
      },
    });
    const statuses: WorkerStatus[] = [];
    supervisor.on("statusChange", (change) => statuses.push(change.to));

    await supervisor.start();

    expect(supervisor.status).toBe("running");
    expect(statuses).toEqual(["starting", "running"]);
    const diagnostics = supervisor.diagnostics();
    expect(diagnostics.pid).toBeGreaterThan(0);
    expect(diagnostics.readyAt).not.toBeNull();
    expect(diagnostics.spawnToReadyMs).toBeGreaterThan(0);
    // Our SDK lists the optional hooks the plugin defines.
    expect(diagnostics.supportedMethods).toEqual(expect.arrayContaining(["health", "shutdown"]));
    expect(supervisor.supports("shutdown")).toBe(true);
    expect(supervisor.supports("validateConfig")).toBe(false);
    // setup() subscribed during the handshake: the host saw it before initialize was answered.
    expect(seen.filter((call) => call.method === "events.subscribe")).toHaveLength(1);
  });

  it("gives the worker only the allow-listed environment, never the host's secrets", async () => {
    process.env.PAPERCLIP_TEST_HOST_SECRET = "must-not-leak";
    try {
      const supervisor = bed.create("sdk-worker.mjs", {
        environment: { hostEnv: { ...process.env, NODE_ENV: undefined, TZ: undefined } },
      });
      await supervisor.start();
      const report = await supervisor.call<{ env: Record<string, string>; cwd: string }>("performAction", {
        key: "env",
        params: {},
      });
      const keys = Object.keys(report.env);
      for (const key of keys) expect(WORKER_ENV_KEYS).toContain(key);
      expect(report.env.PAPERCLIP_TEST_HOST_SECRET).toBeUndefined();
      expect(report.env.PAPERCLIP_PLUGIN_ID).toBe("00000000-0000-4000-8000-000000000001");
      expect(report.env.NODE_ENV).toBe("production");
      expect(report.env.TZ).toBe("UTC");
      expect(report.env.PAPERCLIP_DEPLOYMENT_MODE).toBe("local_trusted");
      expect(report.env.PAPERCLIP_DEPLOYMENT_EXPOSURE).toBe("private");
      expect(report.env.PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.PAPERCLIP_TEST_HOST_SECRET;
    }
  });

  it("runs the worker in its package folder with the memory cap as a node flag", async () => {
    const packageDir = bed.packageDir();
    const supervisor = bed.create("sdk-worker.mjs", { packageDir, memoryLimitMb: 96 });
    await supervisor.start();
    const report = await supervisor.call<{ execArgv: string[]; cwd: string }>("performAction", {
      key: "env",
      params: {},
    });
    expect(report.execArgv).toContain("--max-old-space-size=96");
    expect(fs.realpathSync(report.cwd)).toBe(fs.realpathSync(packageDir));
  });

  it("signals workerStarted before initialize, so a restart does not duplicate subscriptions", async () => {
    const subscriptions = new Set<string>();
    const order: string[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      onWorkerStarted: () => {
        order.push("workerStarted");
        subscriptions.clear();
      },
      handleWorkerRequest: (method, params) => {
        if (method === "events.subscribe") {
          order.push("events.subscribe");
          const pattern = (params as { eventPattern: string }).eventPattern;
          if (subscriptions.has(pattern)) throw new Error(`Duplicate subscription to ${pattern}`);
          subscriptions.add(pattern);
        }
        return null;
      },
    });
    await supervisor.start();
    const firstPid = supervisor.diagnostics().pid;
    // Crash it: the supervisor restarts it and setup() subscribes again.
    await rejection(supervisor.call("performAction", { key: "exit-now", params: {} }));
    await eventually(
      () => supervisor.status === "running" && supervisor.diagnostics().pid !== firstPid,
      "the worker to be restarted",
    );
    expect(order).toEqual(["workerStarted", "events.subscribe", "workerStarted", "events.subscribe"]);
    expect([...subscriptions]).toEqual(["issue.created"]);
  });

  it("treats start() while starting or running as the same start (one process)", async () => {
    const supervisor = bed.create("sdk-worker.mjs");
    let spawns = 0;
    supervisor.on("workerStarted", () => spawns++);
    await Promise.all([supervisor.start(), supervisor.start(), supervisor.start()]);
    await supervisor.start();
    expect(spawns).toBe(1);
    expect(supervisor.status).toBe("running");
  });
});

describe("host→worker calls", () => {
  it("fails at once with WORKER_UNAVAILABLE naming the status when the worker is not running", async () => {
    const supervisor = bed.create("sdk-worker.mjs");
    const error = await rejection(supervisor.call("getData", { key: "x", params: {} }));
    expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    expect(error.message).toBe('Worker for plugin "fixture-plugin" is not running (status: stopped)');
    expect(() => supervisor.notify("onEvent", {})).toThrow(/is not running \(status: stopped\)/);
  });

  it("applies per-method timeouts, and a per-call timeout over both", async () => {
    const supervisor = bed.create("sdk-worker.mjs", { methodTimeouts: { performAction: 50 } });
    await supervisor.start();
    const timedOut = await rejection(
      supervisor.call("performAction", { key: "slow", params: { ms: 1_000 } }),
    );
    expect(timedOut.code).toBe(PLUGIN_RPC_ERROR_CODES.TIMEOUT);
    expect(timedOut.message).toBe('RPC call "performAction" timed out after 50ms');
    const result = await supervisor.call(
      "performAction",
      { key: "slow", params: { ms: 80 } },
      { timeoutMs: 5_000 },
    );
    expect(result).toEqual({ waited: 80 });
  });
});

describe("worker→host requests", () => {
  it("routes them to the injected handler with the invocation id the worker echoes", async () => {
    const received: { method: string; params: unknown; invocationId: unknown }[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      handleWorkerRequest: (method, params, message) => {
        received.push({ method, params, invocationId: message.paperclipInvocationId });
        return method === "state.get" ? "stored-value" : null;
      },
    });
    await supervisor.start();
    const invocation = { id: "3f1c2d4e-0000-4000-8000-00000000abcd", scope: { companyId: "company-a" } };
    const result = await supervisor.call(
      "performAction",
      { key: "state-get", params: { key: "k1" } },
      { invocation },
    );
    expect(result).toEqual({ value: "stored-value" });
    const stateCall = received.find((call) => call.method === "state.get");
    expect(stateCall).toEqual({
      method: "state.get",
      params: { scopeKind: "instance", stateKey: "k1" },
      invocationId: invocation.id,
    });
  });

  it("answers -32601 'Host does not handle method' for methods the host does not serve", async () => {
    const supervisor = bed.create("sdk-worker.mjs", {
      handleWorkerRequest: (method) => {
        if (method === "telemetry.track") throw new HostMethodNotFoundError(method);
        return null;
      },
    });
    await supervisor.start();
    const result = await supervisor.call("performAction", { key: "telemetry", params: {} });
    expect(result).toEqual({
      caught: {
        code: JSONRPC_ERROR_CODES.METHOD_NOT_FOUND,
        message: 'Host does not handle method "telemetry.track"',
      },
    });
  });

  it("answers -32601 for every method when no host handler is injected", async () => {
    const supervisor = bed.create("sdk-worker.mjs");
    await supervisor.start();
    const result = await supervisor.call("performAction", { key: "host-call", params: { key: "a" } });
    expect(result).toEqual({
      caught: {
        code: JSONRPC_ERROR_CODES.METHOD_NOT_FOUND,
        message: 'Host does not handle method "state.get"',
      },
    });
  });

  it("keeps a plugin error code from the host handler and turns anything else into -32603", async () => {
    let mode: "denied" | "plain" = "denied";
    const supervisor = bed.create("sdk-worker.mjs", {
      handleWorkerRequest: (method) => {
        if (method !== "state.get") return null;
        if (mode === "denied") {
          throw Object.assign(new Error('Plugin "fixture-plugin" lacks capability "plugin.state.read"'), {
            code: PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED,
          });
        }
        throw Object.assign(new Error("database connection lost"), { code: 1234 });
      },
    });
    await supervisor.start();
    expect(await supervisor.call("performAction", { key: "host-call", params: { key: "a" } })).toEqual({
      caught: {
        code: PLUGIN_RPC_ERROR_CODES.CAPABILITY_DENIED,
        message: 'Plugin "fixture-plugin" lacks capability "plugin.state.read"',
      },
    });
    mode = "plain";
    expect(await supervisor.call("performAction", { key: "host-call", params: { key: "a" } })).toEqual({
      caught: { code: JSONRPC_ERROR_CODES.INTERNAL_ERROR, message: "database connection lost" },
    });
  });

  it("delivers worker notifications to the injected handler", async () => {
    const notifications: { method: string; params: unknown }[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      handleWorkerNotification: (method, params) => notifications.push({ method, params }),
    });
    await supervisor.start();
    await eventually(() => notifications.length > 0, "the setup log notification");
    expect(notifications[0]).toMatchObject({
      method: "log",
      params: { level: "info", message: "setup finished" },
    });
  });
});

describe("graceful stop", () => {
  it("sends shutdown (the plugin's onShutdown runs), waits for the exit and does not restart", async () => {
    const packageDir = bed.packageDir();
    const { logger, entries } = recordingLogger();
    const supervisor = bed.create("sdk-worker.mjs", { packageDir, logger });
    let crashes = 0;
    supervisor.on("crash", () => crashes++);
    await supervisor.start();
    const pid = supervisor.diagnostics().pid;

    await supervisor.stop();

    expect(supervisor.status).toBe("stopped");
    expect(fs.readFileSync(path.join(packageDir, "shutdown-marker"), "utf8")).toBe(`shutdown by ${pid}\n`);
    const diagnostics = supervisor.diagnostics();
    expect(diagnostics.lastExitCode).toBe(0);
    expect(diagnostics.lastSignal).toBeNull();
    expect(diagnostics.pid).toBeNull();
    expect(crashes).toBe(0);
    expect(entries.some((entry) => entry.message.includes("SIGKILL"))).toBe(false);
    const error = await rejection(supervisor.call("getData", {}));
    expect(error.message).toContain("(status: stopped)");
  });

  it("fails calls still in flight when the stopped worker exits", async () => {
    const supervisor = bed.create("sdk-worker.mjs", { timeouts: { shutdownMs: 100, exitGraceMs: 50 } });
    await supervisor.start();
    const inFlight = rejection(supervisor.call("performAction", { key: "slow", params: { ms: 20_000 } }));
    await supervisor.stop();
    const error = await inFlight;
    expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    expect(error.message).toBe('Worker for plugin "fixture-plugin" was stopped');
  });

  it("falls back to SIGTERM then SIGKILL for a worker that ignores shutdown and SIGTERM", async () => {
    const { logger, entries } = recordingLogger();
    const stderr: string[] = [];
    const supervisor = bed.create("ignores-shutdown.mjs", {
      logger,
      onStderrLine: (line) => stderr.push(line),
      timeouts: { shutdownMs: 100, exitGraceMs: 50, sigtermGraceMs: 200 },
    });
    await supervisor.start();
    await supervisor.stop();
    expect(supervisor.status).toBe("stopped");
    expect(supervisor.diagnostics().lastSignal).toBe("SIGKILL");
    expect(stderr).toContain("got SIGTERM, ignoring it");
    expect(
      entries.some((entry) => entry.message.includes("ignored shutdown and SIGTERM; sending SIGKILL")),
    ).toBe(true);
  });

  it("serialises start and stop in call order", async () => {
    const supervisor = bed.create("sdk-worker.mjs");
    const starting = supervisor.start();
    const stopping = supervisor.stop();
    const startError = await rejection(starting);
    await stopping;
    expect(startError.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    expect(startError.message).toBe('Worker for plugin "fixture-plugin" was stopped before it became ready');
    expect(supervisor.status).toBe("stopped");

    await supervisor.start();
    const pid = supervisor.diagnostics().pid;
    const stopAgain = supervisor.stop();
    const startAgain = supervisor.start();
    await stopAgain;
    await startAgain;
    expect(supervisor.status).toBe("running");
    expect(supervisor.diagnostics().pid).not.toBe(pid);
  });

  it("restart() replaces the process with a new one", async () => {
    const supervisor = bed.create("sdk-worker.mjs");
    await supervisor.start();
    const before = await supervisor.call<{ pid: number }>("performAction", { key: "pid", params: {} });
    await supervisor.restart();
    const after = await supervisor.call<{ pid: number }>("performAction", { key: "pid", params: {} });
    expect(after.pid).not.toBe(before.pid);
    expect(supervisor.diagnostics().totalCrashes).toBe(0);
  });
});

describe("a worker built with the published SDK", () => {
  it("starts, routes host calls with the invocation id, answers health and stops through onShutdown", async () => {
    const packageDir = bed.packageDir();
    const received: { method: string; invocationId: unknown }[] = [];
    const supervisor = bed.create("published-sdk-worker.mjs", {
      packageDir,
      handleWorkerRequest: (method, _params, message) => {
        received.push({ method, invocationId: message.paperclipInvocationId });
        return method === "state.get" ? 42 : null;
      },
    });
    await supervisor.start();
    expect(supervisor.supports("shutdown")).toBe(true);

    const invocation = { id: "7d0c55aa-0000-4000-8000-000000000042", scope: { companyId: "company-a" } };
    const result = await supervisor.call(
      "performAction",
      { key: "state-get", params: { key: "n" } },
      { invocation },
    );
    expect(result).toEqual({ value: 42 });
    expect(received).toContainEqual({ method: "state.get", invocationId: invocation.id });
    expect(received).toContainEqual({ method: "events.subscribe", invocationId: undefined });
    expect(await supervisor.call("health", {})).toMatchObject({ status: "ok" });

    const pid = supervisor.diagnostics().pid;
    await supervisor.stop();
    expect(fs.readFileSync(path.join(packageDir, "shutdown-marker"), "utf8")).toBe(`shutdown by ${pid}\n`);
    expect(supervisor.diagnostics().lastExitCode).toBe(0);
  });
});

describe("measureSpawnToReady", () => {
  it("reports the spawn→ready time of a real start and leaves no process behind", async () => {
    const packageDir = bed.packageDir();
    const measured = await measureSpawnToReady({
      pluginId: "00000000-0000-4000-8000-000000000002",
      manifest: { id: "fixture-plugin", apiVersion: 1 },
      entrypoint: fixture("sdk-worker.mjs"),
      packageDir,
      // The fixture writes its shutdown marker into its folder: sandboxed, with that folder as its data folder.
      sandbox: { dataDir: packageDir },
      instanceInfo: {
        instanceId: "instance-1",
        hostVersion: "0.1.0",
        deploymentMode: "local_trusted",
        deploymentExposure: "private",
      },
    });
    expect(measured).toBeGreaterThan(0);
    // The measured worker was stopped gracefully: its onShutdown ran.
    expect(fs.existsSync(path.join(packageDir, "shutdown-marker"))).toBe(true);
  });
});
