// ctx.loginPty → the loginPty.output | loginPty.exit notifications
import { LOGIN_PTY_EXIT_NOTIFICATION, LOGIN_PTY_OUTPUT_NOTIFICATION } from "../../protocol/index.js";
import type { PluginLoginPtyClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

// Plain JS callers can pass anything; the host drops these anyway, so they are never sent.
function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

export function buildLoginPtyClient(host: HostLink): PluginLoginPtyClient {
  return {
    output(hostRouteId, workerSessionId, chunk) {
      if (!nonEmptyString(hostRouteId) || !nonEmptyString(workerSessionId) || !nonEmptyString(chunk)) return;
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
  };
}
