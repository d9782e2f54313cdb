// ctx.execution → the execute.log notification
import type { PluginExecutionClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildExecutionClient(host: HostLink): PluginExecutionClient {
  return {
    log(stream, chunk) {
      // The host binds the chunk to its execute route through the invocation id the link stamps.
      if (typeof chunk !== "string" || chunk.length === 0) return;
      host.notify("execute.log", { stream, chunk });
    },
  };
}
