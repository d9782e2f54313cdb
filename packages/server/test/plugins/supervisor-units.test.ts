/**
 * The supervisor's pure parts: backoff, environment, node flags, stderr lines, rate windows,
 * error mapping and option checking.
 */
import { JSONRPC_ERROR_CODES, PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { describe, expect, it } from "vitest";
import { toRpc as toHostRpcError } from "../../src/errors.js";
import {
  buildExecArgv,
  buildWorkerEnv,
  DEFAULT_CRASH_POLICY,
  HostMethodNotFoundError,
  restartDelayMs,
  WorkerSupervisor,
  type WorkerSupervisorOptions,
} from "../../src/plugins/supervisor/index.js";
import { RateWindow } from "../../src/plugins/supervisor/rate-window.js";
import { LineTail, StderrSplitter } from "../../src/plugins/supervisor/stderr.js";

describe("restartDelayMs", () => {
  const policy = { backoffBaseMs: 1_000, backoffMaxMs: 300_000, backoffJitter: 0.25 };

  it("doubles from the base: 1000 × 2^(n−1) without jitter", () => {
    const noJitter = { ...policy, backoffJitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => restartDelayMs(n, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it("spreads by ±25% and still grows: the largest delay n is below the smallest delay n+1", () => {
    for (let n = 1; n < 8; n++) {
      const highest = restartDelayMs(n, policy, () => 0.999_999);
      const lowest = restartDelayMs(n + 1, policy, () => 0);
      expect(highest).toBeLessThan(lowest);
    }
    expect(restartDelayMs(1, policy, () => 0)).toBe(750);
    expect(restartDelayMs(1, policy, () => 0.5)).toBe(1_000);
  });

  it("is capped at backoffMaxMs, even for huge crash counts", () => {
    expect(restartDelayMs(30, policy, () => 0.999)).toBe(300_000);
    expect(restartDelayMs(10_000, policy, () => 0.5)).toBe(300_000);
  });

  it("defaults to the documented policy", () => {
    expect(DEFAULT_CRASH_POLICY).toMatchObject({
      maxConsecutiveCrashes: 5,
      backoffBaseMs: 1_000,
      backoffMaxMs: 300_000,
      backoffJitter: 0.25,
    });
  });
});

describe("buildWorkerEnv", () => {
  const instanceInfo = { deploymentMode: "authenticated", deploymentExposure: "public" };

  it("copies only PATH and NODE_PATH from the host and sets the plugin's own variables", () => {
    const env = buildWorkerEnv({
      pluginId: "p-1",
      instanceInfo,
      hostEnv: {
        PATH: "/usr/bin",
        NODE_PATH: "/opt/node",
        DATABASE_URL: "postgres://secret",
        PAPERCLIP_SECRETS_KEY: "k",
        HOME: "/root",
        NODE_ENV: "development",
        TZ: "Europe/Berlin",
      },
    });
    expect(env).toEqual({
      PATH: "/usr/bin",
      NODE_PATH: "/opt/node",
      PAPERCLIP_PLUGIN_ID: "p-1",
      NODE_ENV: "development",
      TZ: "Europe/Berlin",
      PAPERCLIP_DEPLOYMENT_MODE: "authenticated",
      PAPERCLIP_DEPLOYMENT_EXPOSURE: "public",
    });
  });

  it("defaults NODE_ENV to production and TZ to UTC; explicit values win over the host's", () => {
    expect(buildWorkerEnv({ pluginId: "p", instanceInfo, hostEnv: {} })).toEqual({
      PAPERCLIP_PLUGIN_ID: "p",
      NODE_ENV: "production",
      TZ: "UTC",
      PAPERCLIP_DEPLOYMENT_MODE: "authenticated",
      PAPERCLIP_DEPLOYMENT_EXPOSURE: "public",
    });
    const env = buildWorkerEnv({
      pluginId: "p",
      instanceInfo,
      hostEnv: { NODE_ENV: "test", TZ: "Asia/Tokyo" },
      nodeEnv: "production",
      tz: "UTC",
    });
    expect([env.NODE_ENV, env.TZ]).toEqual(["production", "UTC"]);
  });
});

describe("buildExecArgv", () => {
  it("adds the heap cap after the caller's flags", () => {
    expect(buildExecArgv(["--enable-source-maps"], 256)).toEqual([
      "--enable-source-maps",
      "--max-old-space-size=256",
    ]);
    expect(buildExecArgv(undefined, undefined)).toEqual([]);
  });

  it("rejects a cap that is not a whole number >= 0, naming the option; 0 means no cap", () => {
    expect(buildExecArgv([], 0)).toEqual([]);
    expect(() => buildExecArgv([], -1)).toThrow(
      "memoryLimitMb must be a whole number >= 0 (got -1; 0 = no cap)",
    );
    expect(() => buildExecArgv([], 12.5)).toThrow("memoryLimitMb must be a whole number >= 0 (got 12.5");
  });

  it("keeps a heap cap the caller's flags already set", () => {
    expect(buildExecArgv(["--max-old-space-size=64"], 512)).toEqual(["--max-old-space-size=64"]);
  });
});

describe("stderr lines", () => {
  it("splits chunks into lines, strips CR, keeps multi-byte characters split across chunks", () => {
    const lines: string[] = [];
    const splitter = new StderrSplitter({ maxLineChars: 100, onLine: (line) => lines.push(line) });
    const euro = Buffer.from("price: €5\r\nsecond", "utf8");
    splitter.push(euro.subarray(0, 9)); // ends inside the 3-byte "€"
    splitter.push(euro.subarray(9));
    splitter.push(Buffer.from(" line\nthird"));
    splitter.flush();
    expect(lines).toEqual(["price: €5", "second line", "third"]);
  });

  it("cuts a very long line instead of buffering it whole", () => {
    const lines: string[] = [];
    const splitter = new StderrSplitter({ maxLineChars: 10, onLine: (line) => lines.push(line) });
    for (let i = 0; i < 1_000; i++) splitter.push("x".repeat(1_000));
    splitter.push("\nnext\n");
    expect(lines).toEqual(["xxxxxxxxxx …[truncated]", "next"]);
  });

  it("keeps only the last N lines", () => {
    const tail = new LineTail(3);
    for (const line of ["a", "b", "c", "d", "e"]) tail.push(line);
    expect(tail.lines()).toEqual(["c", "d", "e"]);
  });
});

describe("RateWindow", () => {
  it("admits up to the limit per second and reports what it refused when the window closes", () => {
    let now = 10_000;
    const window = new RateWindow(3, () => now);
    const refusedReports: number[] = [];
    const admitted = Array.from({ length: 5 }, () => window.admit((n) => refusedReports.push(n)));
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(window.refusedInWindow).toBe(2);
    now += 999;
    expect(window.admit()).toBe(false);
    now += 1;
    expect(window.admit((n) => refusedReports.push(n))).toBe(true);
    expect(refusedReports).toEqual([3]);
  });
});

describe("toHostRpcError", () => {
  it("maps unknown host methods to -32601 with the documented message", () => {
    expect(toHostRpcError(new HostMethodNotFoundError("agents.invoke"))).toEqual({
      code: JSONRPC_ERROR_CODES.METHOD_NOT_FOUND,
      message: 'Host does not handle method "agents.invoke"',
    });
  });

  it("keeps plugin and standard JSON-RPC codes with their data and turns every other error into -32603", () => {
    const scoped = Object.assign(new Error("company-b is outside this invocation"), {
      code: PLUGIN_RPC_ERROR_CODES.INVOCATION_SCOPE_DENIED,
      data: { companyId: "company-b" },
    });
    expect(toHostRpcError(scoped)).toEqual({
      code: -32005,
      message: "company-b is outside this invocation",
      data: { companyId: "company-b" },
    });
    expect(toHostRpcError(Object.assign(new Error("bad params"), { code: -32602 }))).toEqual({
      code: -32602,
      message: "bad params",
    });
    expect(toHostRpcError(Object.assign(new Error("db said no"), { code: 23505 }))).toEqual({
      code: -32603,
      message: "db said no",
    });
    expect(toHostRpcError("plain string")).toEqual({ code: -32603, message: "plain string" });
  });
});

describe("options", () => {
  const valid: WorkerSupervisorOptions = {
    pluginId: "p-1",
    manifest: { id: "acme.plugin", apiVersion: 1 },
    entrypoint: "/plugins/acme/dist/worker.js",
    packageDir: "/plugins/acme",
    instanceInfo: {
      instanceId: "i",
      hostVersion: "0.1.0",
      deploymentMode: "local_trusted",
      deploymentExposure: "private",
    },
  };

  it("starts stopped with empty diagnostics", () => {
    const supervisor = new WorkerSupervisor(valid);
    expect(supervisor.status).toBe("stopped");
    expect(supervisor.diagnostics()).toMatchObject({
      status: "stopped",
      pid: null,
      consecutiveCrashes: 0,
      totalCrashes: 0,
      pendingRequests: 0,
      stderrTail: [],
      supportedMethods: [],
    });
  });

  it.each([
    [{ pluginId: "" }, 'pluginId must be a non-empty string (got "")'],
    [
      { manifest: { id: "x", apiVersion: "1" as unknown as number } },
      'manifest.apiVersion must be a number (got "1")',
    ],
    [{ entrypoint: "dist/worker.js" }, 'entrypoint must be an absolute path (got "dist/worker.js")'],
    [{ timeouts: { initializeMs: -1 } }, "timeouts.initializeMs must be a finite number >= 0 (got -1)"],
    [
      { crashPolicy: { maxConsecutiveCrashes: 0 } },
      "crashPolicy.maxConsecutiveCrashes must be at least 1 (got 0)",
    ],
    [{ crashPolicy: { backoffJitter: 1.5 } }, "crashPolicy.backoffJitter must be below 1 (got 1.5)"],
    [{ limits: { maxMessagesPerSecond: 0 } }, "limits.maxMessagesPerSecond must be at least 1 (got 0)"],
    [
      { methodTimeouts: { runJob: Number.NaN } },
      "methodTimeouts.runJob must be a finite number >= 0 (got NaN)",
    ],
  ] as [Partial<WorkerSupervisorOptions>, string][])("rejects %j naming the field", (override, message) => {
    expect(() => new WorkerSupervisor({ ...valid, ...override })).toThrow(message);
  });
});
