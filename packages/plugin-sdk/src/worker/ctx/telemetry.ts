// ctx.telemetry → telemetry.track
import type { PluginTelemetryClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildTelemetryClient(host: HostLink): PluginTelemetryClient {
  return {
    track: async (eventName, dimensions) => {
      await host.call("telemetry.track", { eventName, dimensions });
    },
  };
}
