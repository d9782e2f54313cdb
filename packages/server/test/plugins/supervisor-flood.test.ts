/**
 * Misbehaving output with real processes: stdout noise and oversize lines are logged and survived,
 * notification floods are cut to the configured rate, request floods are delayed with bounded memory.
 */
import { afterEach, describe, expect, it } from "vitest";
import { recordingLogger, SupervisorTestBed } from "./fixtures/supervisor/harness.js";

const bed = new SupervisorTestBed();
afterEach(() => bed.cleanup());

describe("stdout that is not JSON-RPC", () => {
  it("is logged and counted, never fatal, and the worker keeps answering", async () => {
    const { logger, entries } = recordingLogger();
    const supervisor = bed.create("noisy-stdout.mjs", { logger });
    await supervisor.start();

    const result = await supervisor.call("getData", { key: "k" });

    expect(result).toEqual({ echoed: { key: "k" } });
    expect(supervisor.status).toBe("running");
    expect(supervisor.diagnostics().ignoredStdoutLines).toBe(5);
    const noise = entries
      .filter((entry) => entry.message.includes("that is not JSON-RPC"))
      .map((e) => e.message);
    expect(noise).toContain(
      'Ignored a line on the stdout of plugin "fixture-plugin" that is not JSON-RPC: ' +
        "Invalid JSON: hello from a console.log left in the plugin",
    );
    expect(noise.some((message) => message.endsWith("Invalid JSON: {not json at all"))).toBe(true);
    expect(
      noise.some((message) => message.includes('Invalid or missing jsonrpc version (expected "2.0"')),
    ).toBe(true);
    expect(supervisor.diagnostics().totalCrashes).toBe(0);
  });

  it("drops a line longer than maxLineBytes with a log line naming the limit", async () => {
    const { logger, entries } = recordingLogger();
    const supervisor = bed.create("noisy-stdout.mjs", { logger, limits: { maxLineBytes: 1_024 } });
    await supervisor.start();

    const result = await supervisor.call("getData", { oversize: 5_000 });

    expect(result).toEqual({ echoed: { oversize: 5_000 } });
    expect(
      entries.some((entry) => entry.message.endsWith("Line of 5000 bytes exceeds the 1024-byte limit")),
    ).toBe(true);
  });
});

describe("a worker that floods notifications", () => {
  it("gets at most maxMessagesPerSecond delivered per second; the excess is dropped and counted", async () => {
    const { logger, entries } = recordingLogger();
    let delivered = 0;
    const supervisor = bed.create("notification-flood.mjs", {
      logger,
      limits: { maxMessagesPerSecond: 1_000 },
      handleWorkerNotification: () => {
        delivered++;
      },
    });
    await supervisor.start();

    // The answer follows the notifications on the same pipe, so all of them were seen when it arrives.
    const result = await supervisor.call<{ sent: number }>("performAction", { count: 20_000 });

    expect(result.sent).toBe(20_000);
    const dropped = supervisor.diagnostics().droppedNotifications;
    expect(delivered + dropped).toBe(20_000);
    expect(dropped).toBeGreaterThan(0);
    expect(delivered).toBeGreaterThanOrEqual(1_000);
    expect(
      entries.some((entry) =>
        entry.message.includes("sent more than 1000 notifications in one second; dropping the excess"),
      ),
    ).toBe(true);
    // Throttled, not killed: it still answers.
    expect(await supervisor.call("health", {})).toEqual({ status: "ok" });
    expect(supervisor.diagnostics().totalCrashes).toBe(0);
  });
});

describe("a worker that floods requests", () => {
  it("is delayed, not refused: the host stops reading while too many requests are in progress", async () => {
    const { logger, entries } = recordingLogger();
    let inProgress = 0;
    let mostInProgress = 0;
    const supervisor = bed.create("request-flood.mjs", {
      logger,
      limits: { maxPendingWorkerRequests: 50 },
      handleWorkerRequest: async () => {
        inProgress++;
        mostInProgress = Math.max(mostInProgress, inProgress);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inProgress--;
        return "value";
      },
    });
    await supervisor.start();

    const result = await supervisor.call("performAction", { count: 5_000 });

    expect(result).toEqual({ fulfilled: 5_000, rejected: 0 });
    // Never more host handlers at once than the limit; the rest waited (in the worker's own pipe).
    expect(mostInProgress).toBe(50);
    expect(
      entries.some((entry) => entry.message.includes("pausing its input until the host catches up")),
    ).toBe(true);
    expect(supervisor.diagnostics().pendingWorkerRequests).toBe(0);
  });
});
