/**
 * Crash handling with real processes: crash on start, crash later, exit during a call, a hung
 * worker, a deaf worker (EPIPE), failed handshakes, backoff and giving up on a crash loop.
 */
import fs from "node:fs";
import path from "node:path";
import { PLUGIN_RPC_ERROR_CODES } from "@paperclipai/plugin-sdk/protocol";
import { afterEach, describe, expect, it } from "vitest";
import type { WorkerCrashInfo, WorkerGaveUpInfo, WorkerStatus } from "../../src/plugins/supervisor/index.js";
import { eventually, rejection, SupervisorTestBed } from "./fixtures/supervisor/harness.js";

const bed = new SupervisorTestBed();
afterEach(() => bed.cleanup());

describe("a worker that crashes on start", () => {
  it("is retried with growing delays, then given up with the reason and its last stderr lines", async () => {
    const packageDir = bed.packageDir();
    fs.writeFileSync(path.join(packageDir, "crash-on-start"), "");
    const crashes: WorkerCrashInfo[] = [];
    const gaveUp: WorkerGaveUpInfo[] = [];
    const supervisor = bed.create("sdk-crash-on-start.mjs", {
      packageDir,
      crashPolicy: { maxConsecutiveCrashes: 4, backoffBaseMs: 20, backoffMaxMs: 10_000, backoffJitter: 0.25 },
      onCrash: (info) => crashes.push(info),
      onGaveUp: (info) => gaveUp.push(info),
    });

    const error = await rejection(supervisor.start());

    expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    expect(error.message).toContain(
      'Worker for plugin "fixture-plugin" crashed 4 times in a row; not restarting.',
    );
    expect(error.message).toContain("Last failure: exited unexpectedly (code 2)");
    expect(error.message).toContain("fatal: the plugin could not read its settings file");
    expect(supervisor.status).toBe("crashed");

    expect(crashes.map((crash) => crash.consecutiveCrashes)).toEqual([1, 2, 3, 4]);
    expect(crashes.map((crash) => crash.willRestart)).toEqual([true, true, true, false]);
    expect(crashes.every((crash) => crash.exitCode === 2)).toBe(true);
    // Exponential backoff with ±25% jitter still grows strictly from one restart to the next.
    const delays = crashes.slice(0, 3).map((crash) => crash.restartDelayMs ?? Number.NaN);
    expect(delays[0]).toBeLessThan(delays[1] ?? 0);
    expect(delays[1]).toBeLessThan(delays[2] ?? 0);

    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]?.reason).toBe("exited unexpectedly (code 2)");
    expect(gaveUp[0]?.stderrTail).toContain("fatal: the plugin could not read its settings file");
    const diagnostics = supervisor.diagnostics();
    expect(diagnostics.gaveUp).toBe(true);
    expect(diagnostics.consecutiveCrashes).toBe(4);
    expect(diagnostics.totalCrashes).toBe(4);
    expect(diagnostics.lastExitCode).toBe(2);
    expect(diagnostics.lastError).toBe(gaveUp[0]?.message);
    expect(diagnostics.nextRestartAt).toBeNull();
    expect(diagnostics.pid).toBeNull();
    const callError = await rejection(supervisor.call("getData", {}));
    expect(callError.message).toBe('Worker for plugin "fixture-plugin" is not running (status: crashed)');
  });

  it("leaves no zombie handle: start() after giving up works once the cause is fixed", async () => {
    const packageDir = bed.packageDir();
    const marker = path.join(packageDir, "crash-on-start");
    fs.writeFileSync(marker, "");
    const supervisor = bed.create("sdk-crash-on-start.mjs", {
      packageDir,
      crashPolicy: { maxConsecutiveCrashes: 2 },
    });
    await rejection(supervisor.start());
    expect(supervisor.status).toBe("crashed");

    fs.rmSync(marker);
    await supervisor.start();
    expect(supervisor.status).toBe("running");
    const diagnostics = supervisor.diagnostics();
    expect(diagnostics.gaveUp).toBe(false);
    expect(diagnostics.consecutiveCrashes).toBe(0);
    expect(diagnostics.totalCrashes).toBe(2);
  });

  it("recovers when a later attempt succeeds: start() resolves after the retries", async () => {
    const packageDir = bed.packageDir();
    const marker = path.join(packageDir, "crash-on-start");
    fs.writeFileSync(marker, "");
    const statuses: WorkerStatus[] = [];
    const supervisor = bed.create("sdk-crash-on-start.mjs", {
      packageDir,
      crashPolicy: { maxConsecutiveCrashes: 5 },
      onStatusChange: (change) => statuses.push(change.to),
      // Fix the cause after the first crash, as an operator would.
      onCrash: () => fs.rmSync(marker, { force: true }),
    });
    await supervisor.start();
    expect(supervisor.status).toBe("running");
    expect(statuses).toEqual(["starting", "crashed", "backoff", "starting", "running"]);
  });
});

describe("a worker that crashes later", () => {
  it("reports the crash with its exit code, restarts the worker and keeps serving", async () => {
    const crashes: WorkerCrashInfo[] = [];
    const logged: string[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      onCrash: (info) => crashes.push(info),
      handleWorkerNotification: (method, params) => {
        if (method === "log") logged.push((params as { message: string }).message);
      },
    });
    await supervisor.start();
    const firstPid = supervisor.diagnostics().pid;
    await supervisor.call("performAction", { key: "crash-soon", params: {} });
    await eventually(() => crashes.length === 1, "the crash to be reported");
    expect(crashes[0]).toMatchObject({
      reason: "exited unexpectedly (code 1)",
      exitCode: 1,
      willRestart: true,
      consecutiveCrashes: 1,
    });
    // Our SDK reports the uncaught exception over the protocol before it exits.
    expect(logged).toContain("Uncaught exception: boom: a timer threw after the call returned");

    await eventually(() => supervisor.status === "running", "the restart");
    const second = await supervisor.call<{ pid: number }>("performAction", { key: "pid", params: {} });
    expect(second.pid).not.toBe(firstPid);
    expect(supervisor.diagnostics().totalCrashes).toBe(1);
  });

  it("counts crashes of a worker that dies soon after each start, and gives up", async () => {
    const gaveUp: WorkerGaveUpInfo[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      crashPolicy: { maxConsecutiveCrashes: 3, stableAfterMs: 60_000 },
      onGaveUp: (info) => gaveUp.push(info),
    });
    supervisor.on("statusChange", (change) => {
      // Each fresh process crashes right after it is ready: initialize alone must not reset the count.
      if (change.to === "running") void supervisor.call("performAction", { key: "crash-soon", params: {} });
    });
    await supervisor.start();
    await eventually(() => gaveUp.length === 1, "the supervisor to give up");
    expect(gaveUp[0]?.consecutiveCrashes).toBe(3);
    expect(supervisor.status).toBe("crashed");
  });

  it("resets the consecutive count once a restarted worker stayed up for stableAfterMs", async () => {
    const supervisor = bed.create("sdk-worker.mjs", { crashPolicy: { stableAfterMs: 50 } });
    await supervisor.start();
    await supervisor.call("performAction", { key: "crash-soon", params: {} });
    await eventually(() => supervisor.diagnostics().totalCrashes === 1, "the crash");
    await eventually(() => supervisor.status === "running", "the restart");
    await eventually(() => supervisor.diagnostics().consecutiveCrashes === 0, "the stable reset");
    expect(supervisor.diagnostics().totalCrashes).toBe(1);
  });
});

describe("a worker that exits during a call", () => {
  it("fails the call in flight at once with WORKER_UNAVAILABLE, not at its timeout", async () => {
    const supervisor = bed.create("sdk-worker.mjs", { timeouts: { defaultCallMs: 600_000 } });
    await supervisor.start();
    const slow = rejection(supervisor.call("performAction", { key: "slow", params: { ms: 600_000 } }));
    const exiting = rejection(supervisor.call("performAction", { key: "exit-now", params: {} }));
    const [slowError, exitError] = await Promise.all([slow, exiting]);
    for (const error of [slowError, exitError]) {
      expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
      expect(error.message).toMatch(
        /^Worker for plugin "fixture-plugin" (exited unexpectedly|is unavailable)/,
      );
    }
    await eventually(() => supervisor.diagnostics().lastExitCode === 3, "the exit code to be recorded");
  });
});

describe("a worker that hangs", () => {
  it("is declared hung after missed health pings, killed with SIGKILL, counted as a crash and restarted", async () => {
    const crashes: WorkerCrashInfo[] = [];
    const supervisor = bed.create("sdk-worker.mjs", {
      timeouts: { healthIntervalMs: 50, healthTimeoutMs: 300 },
      crashPolicy: { healthFailureThreshold: 2 },
      onCrash: (info) => crashes.push(info),
    });
    await supervisor.start();
    await eventually(() => supervisor.diagnostics().lastHealthAt !== null, "a first answered health ping");
    expect(supervisor.diagnostics().lastHealth).toMatchObject({ status: "ok" });
    const firstPid = supervisor.diagnostics().pid;

    // A call that is in flight when the worker freezes never gets its answer.
    const inFlight = rejection(
      supervisor.call("performAction", { key: "slow", params: { ms: 60_000 } }, { timeoutMs: 600_000 }),
    );
    await supervisor.call("performAction", { key: "freeze", params: {} });
    await eventually(() => crashes.length === 1, "the hung worker to be detected");

    expect(crashes[0]?.reason).toBe("is hung: 2 health pings in a row got no answer within 300ms");
    expect(crashes[0]?.signal).toBe("SIGKILL");
    const error = await inFlight;
    expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    expect(error.message).toContain("is hung");
    await eventually(() => supervisor.status === "running", "the restart");
    expect(supervisor.diagnostics().pid).not.toBe(firstPid);
  });
});

describe("a worker that stops reading its stdin", () => {
  it("is noticed on the next write (EPIPE): the call fails at once, the deaf worker is killed and restarted", async () => {
    const crashes: WorkerCrashInfo[] = [];
    const stderr: string[] = [];
    const supervisor = bed.create("deaf-stdin.mjs", {
      onCrash: (info) => crashes.push(info),
      onStderrLine: (line) => stderr.push(line),
    });
    await supervisor.start();
    const firstPid = supervisor.diagnostics().pid;
    await eventually(() => stderr.includes("stdin closed"), "the fixture to close its stdin");

    const error = await rejection(supervisor.call("getData", {}, { timeoutMs: 600_000 }));

    expect(error.code).toBe(PLUGIN_RPC_ERROR_CODES.WORKER_UNAVAILABLE);
    await eventually(() => crashes.length === 1, "the crash report");
    expect(crashes[0]?.reason).toMatch(/^stopped reading its stdin \(.*EPIPE.*\)$/);
    expect(crashes[0]?.signal).toBe("SIGKILL");
    await eventually(() => supervisor.status === "running", "the restart");
    expect(supervisor.diagnostics().pid).not.toBe(firstPid);
  });
});

describe("failed handshakes", () => {
  it("kills a worker that does not answer initialize within the timeout", async () => {
    const crashes: WorkerCrashInfo[] = [];
    const supervisor = bed.create("sdk-slow-setup.mjs", {
      timeouts: { initializeMs: 150 },
      crashPolicy: { maxConsecutiveCrashes: 1 },
      onCrash: (info) => crashes.push(info),
    });
    const error = await rejection(supervisor.start());
    expect(error.message).toContain(
      'Last failure: failed to initialize: RPC call "initialize" timed out after 150ms',
    );
    expect(crashes[0]?.signal).toBe("SIGKILL");
    expect(supervisor.diagnostics().pid).toBeNull();
  });

  it("treats an initialize error answer as a failed start", async () => {
    const supervisor = bed.create("sdk-setup-fails.mjs", { crashPolicy: { maxConsecutiveCrashes: 1 } });
    const error = await rejection(supervisor.start());
    expect(error.message).toContain("Last failure: failed to initialize: setup failed: API token missing");
    expect(supervisor.status).toBe("crashed");
  });

  it("treats an initialize result other than {ok: true} as a failed start", async () => {
    const supervisor = bed.create("init-not-ok.mjs", { crashPolicy: { maxConsecutiveCrashes: 1 } });
    const error = await rejection(supervisor.start());
    expect(error.message).toContain(
      'Last failure: failed to initialize: initialize answered {"ok":false,"reason":"refusing to start"} instead of {"ok":true}',
    );
  });

  it("reports a package folder that does not exist as a failed start", async () => {
    const supervisor = bed.create("sdk-worker.mjs", {
      packageDir: path.join(bed.packageDir(), "missing"),
      crashPolicy: { maxConsecutiveCrashes: 1 },
    });
    const error = await rejection(supervisor.start());
    expect(error.message).toMatch(/Last failure: could not be started: spawn .* ENOENT/);
  });

  it("stops retrying when stop() is called during backoff", async () => {
    const packageDir = bed.packageDir();
    fs.writeFileSync(path.join(packageDir, "crash-on-start"), "");
    const supervisor = bed.create("sdk-crash-on-start.mjs", {
      packageDir,
      crashPolicy: { backoffBaseMs: 60_000, backoffMaxMs: 60_000 },
    });
    const starting = rejection(supervisor.start());
    await eventually(() => supervisor.status === "backoff", "the first backoff");
    expect(supervisor.diagnostics().nextRestartAt).not.toBeNull();
    await supervisor.stop();
    const error = await starting;
    expect(error.message).toBe('Worker for plugin "fixture-plugin" was stopped before it became ready');
    expect(supervisor.status).toBe("stopped");
    expect(supervisor.diagnostics().nextRestartAt).toBeNull();
  });
});
