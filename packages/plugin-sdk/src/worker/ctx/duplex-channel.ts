// ctx.duplexChannel → the duplexChannel.data | duplexChannel.exit notifications
import {
  DUPLEX_CHANNEL_DATA_NOTIFICATION,
  DUPLEX_CHANNEL_EXIT_NOTIFICATION,
  encodeChannelBytes,
} from "../../protocol/index.js";
import type { PluginDuplexChannelClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

// Plain JS callers can pass anything; the host drops these anyway, so they are never sent.
function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

export function buildDuplexChannelClient(host: HostLink): PluginDuplexChannelClient {
  return {
    data(hostRouteId, workerSessionId, chunk) {
      if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId)) return;
      if (!(chunk instanceof Uint8Array) || chunk.byteLength === 0) return;
      // JSON carries no bytes: the chunk crosses to base64 here.
      host.notify(DUPLEX_CHANNEL_DATA_NOTIFICATION, {
        hostRouteId,
        workerSessionId,
        chunk: encodeChannelBytes(chunk),
      });
    },
    exit(hostRouteId, workerSessionId, exitCode, transportClosed) {
      if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId)) return;
      host.notify(DUPLEX_CHANNEL_EXIT_NOTIFICATION, {
        hostRouteId,
        workerSessionId,
        exitCode: typeof exitCode === "number" ? exitCode : null,
        transportClosed: transportClosed === true,
      });
    },
  };
}
