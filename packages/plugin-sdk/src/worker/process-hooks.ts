/**
 * Last-resort handlers for a worker that owns its process: report crashes to the host as `log`
 * notifications (stdout is the only channel the host reads as structured data).
 */
import type { HostLink } from "./host-link.js";

/** Time for the crash report to reach the host before the process exits. */
const CRASH_EXIT_DELAY_MS = 100;

export function installProcessHooks(host: HostLink, flush: () => void): void {
  process.on("uncaughtException", (error: Error) => {
    host.notify("log", {
      level: "error",
      message: `Uncaught exception: ${error.message}`,
      meta: { stack: error.stack },
    });
    flush();
    setTimeout(() => process.exit(1), CRASH_EXIT_DELAY_MS);
  });
  process.on("unhandledRejection", (reason: unknown) => {
    host.notify("log", {
      level: "error",
      message: `Unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`,
      meta: { stack: reason instanceof Error ? reason.stack : undefined },
    });
  });
}
