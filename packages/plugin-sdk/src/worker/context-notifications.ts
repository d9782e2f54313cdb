/**
 * The ctx namespaces that only send notifications: streams (live events to the browser), and the
 * environment-provider channels (execute log, login pseudo-terminals, duplex channels).
 * Notifications are fire-and-forget and carry the current invocation id like every other message.
 */
import {
  DUPLEX_CHANNEL_DATA_NOTIFICATION,
  DUPLEX_CHANNEL_EXIT_NOTIFICATION,
  encodeChannelBytes,
  LOGIN_PTY_EXIT_NOTIFICATION,
  LOGIN_PTY_OUTPUT_NOTIFICATION,
} from "../protocol/index.js";
import type { PluginContext } from "../types/index.js";
import type { HostLink } from "./host-link.js";

type NotificationClients = Pick<PluginContext, "streams" | "execution" | "loginPty" | "duplexChannel">;

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

export function buildNotificationClients(host: HostLink): NotificationClients {
  // emit/close name only the channel; the company comes from the matching open().
  const channelCompanies = new Map<string, string>();
  return {
    streams: {
      open(channel, companyId) {
        channelCompanies.set(channel, companyId);
        host.notify("streams.open", { channel, companyId });
      },
      emit(channel, event) {
        host.notify("streams.emit", { channel, companyId: channelCompanies.get(channel) ?? "", event });
      },
      close(channel) {
        const companyId = channelCompanies.get(channel) ?? "";
        channelCompanies.delete(channel);
        host.notify("streams.close", { channel, companyId });
      },
    },
    execution: {
      log(stream, chunk) {
        if (!nonEmptyString(chunk)) return;
        host.notify("execute.log", { stream, chunk });
      },
    },
    loginPty: {
      output(hostRouteId, workerSessionId, chunk) {
        if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId) || !nonEmptyString(chunk))
          return;
        host.notify(LOGIN_PTY_OUTPUT_NOTIFICATION, { hostRouteId, workerSessionId, chunk });
      },
      exit(hostRouteId, workerSessionId, exitCode) {
        if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId)) return;
        host.notify(LOGIN_PTY_EXIT_NOTIFICATION, {
          hostRouteId,
          workerSessionId,
          exitCode: typeof exitCode === "number" ? exitCode : null,
        });
      },
    },
    duplexChannel: {
      data(hostRouteId, workerSessionId, chunk) {
        if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId)) return;
        if (!(chunk instanceof Uint8Array) || chunk.byteLength === 0) return;
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
    },
  };
}
