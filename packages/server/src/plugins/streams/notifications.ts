// Worker stream notifications (`streams.open|emit|close`, reference §9) into the bus. The host services check each
// one (company scope, then shape: methods/streams.ts) and hand it to the sink built here; their sinks also tell the
// bus when a worker is gone, so its channels get a synthetic `close`.
import type { Logger } from "pino";
import {
  MAX_CHANNEL_LENGTH,
  type PluginHostSinks,
  readStreamNotification,
  type StreamMethod,
  type StreamNotification,
  streamParamsProblem,
} from "../host-services/index.js";
import type { StreamBus, StreamEventType } from "./stream-bus.js";

export { MAX_CHANNEL_LENGTH, type StreamMethod, streamParamsProblem };

const TYPE_OF: Readonly<Record<StreamMethod, StreamEventType>> = {
  "streams.open": "open",
  "streams.emit": "message",
  "streams.close": "close",
};

function publish(bus: StreamBus, pluginId: string, notification: StreamNotification): void {
  const { channel, companyId } = notification.params;
  bus.publish(
    { pluginId, channel, companyId },
    TYPE_OF[notification.method],
    notification.method === "streams.emit" ? notification.params.event : {},
  );
}

/**
 * The host services' sink into the bus: checked stream notifications are published, and a worker's channels are
 * closed (synthetic `close`) when its process dies, is stopped, or a new process replaces it.
 */
export function streamBusSinks(bus: StreamBus): PluginHostSinks {
  return {
    onStream: (plugin, notification) => publish(bus, plugin.pluginId, notification),
    onWorkerExit: (plugin, reason) => bus.workerExited(plugin.pluginId, reason),
  };
}

/**
 * One plugin's unchecked stream notifications into the bus: a malformed one is dropped with a warning that names
 * the field (there is no reply to carry an error).
 */
export function streamNotificationHandler(
  bus: StreamBus,
  pluginId: string,
  logger: Pick<Logger, "warn">,
): (method: StreamMethod, params: unknown) => void {
  return (method, params) => {
    if (!Object.hasOwn(TYPE_OF, method)) {
      logger.warn(
        { pluginId, method },
        `Dropped ${method} from plugin ${pluginId}: unknown stream method "${method}"`,
      );
      return;
    }
    const notification = readStreamNotification(method, params, pluginId, logger);
    if (notification) publish(bus, pluginId, notification);
  };
}
