// ctx.logger → the `log` notification (fire-and-forget; never the `log` request)
import type { PluginLogger } from "../../types/index.js";
import type { HostLink } from "../host-link.js";
import { serialisableLogMeta } from "../log-meta.js";

type Level = "info" | "warn" | "error" | "debug";

export function buildLogger(host: HostLink): PluginLogger {
  const log = (level: Level) => (message: string, meta?: Record<string, unknown>) =>
    host.notify("log", { level, message, meta: serialisableLogMeta(meta) });
  return { info: log("info"), warn: log("warn"), error: log("error"), debug: log("debug") };
}
