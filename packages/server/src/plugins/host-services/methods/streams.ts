// ctx.streams: streams.open|emit|close notifications go to the sinks (the stream bus) for the call's company only,
// in arrival order. A notification has no reply: one outside the scope is dropped (debug), a malformed one is
// dropped with a warning that names the field.
import type { Logger } from "pino";
import type { HostNotification, NamespaceNotifications } from "../call.js";
import type { HostServiceDeps } from "../deps.js";
import type { StreamMethod, StreamNotification } from "../sinks.js";

/** Longest channel name accepted (it appears in URLs and in every frame of an open/close). */
export const MAX_CHANNEL_LENGTH = 200;

interface StreamParams {
  channel: string;
  companyId: string;
  event?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The params of a stream notification, or why they are unusable. */
function readStreamParams(params: unknown): StreamParams | string {
  if (!isRecord(params)) return "params must be an object";
  const { channel, companyId, event } = params;
  if (typeof channel !== "string" || channel.length === 0) return '"channel" must be a non-empty string';
  if (channel.length > MAX_CHANNEL_LENGTH)
    return `"channel" must be at most ${MAX_CHANNEL_LENGTH} characters`;
  if (typeof companyId !== "string" || companyId.length === 0)
    return '"companyId" must be a non-empty string';
  return { channel, companyId, event };
}

/** Why a stream notification's params are unusable, or null when they are fine. */
export function streamParamsProblem(params: unknown): string | null {
  const read = readStreamParams(params);
  return typeof read === "string" ? read : null;
}

/** The checked notification, or why it is unusable (already logged as a warning naming the field). */
export function readStreamNotification(
  method: StreamMethod,
  params: unknown,
  pluginId: string,
  logger: Pick<Logger, "warn">,
): StreamNotification | null {
  const read = readStreamParams(params);
  if (typeof read === "string") {
    logger.warn({ pluginId, method }, `Dropped ${method} from plugin ${pluginId}: ${read}`);
    return null;
  }
  const { channel, companyId } = read;
  switch (method) {
    case "streams.open":
      return { method, params: { channel, companyId } };
    case "streams.emit":
      return { method, params: { channel, companyId, event: read.event } };
    case "streams.close":
      return { method, params: { channel, companyId } };
  }
}

function streamNotification(deps: HostServiceDeps): HostNotification<StreamMethod> {
  return {
    handle(params, call) {
      const { method, plugin } = call;
      if (!call.sinks.receivesStreams) return;
      const companyId = isRecord(params) && typeof params.companyId === "string" ? params.companyId : null;
      const drop = (reason: string) =>
        deps.logger.debug({ pluginKey: plugin.pluginKey, method, companyId }, `Dropped ${method}: ${reason}`);
      if (call.scope.kind === "invalid") {
        drop("unknown invocation id");
        return;
      }
      if (!companyId) {
        drop("no companyId");
        return;
      }
      call.inCompanyScope(companyId, (allowed) => {
        if (!allowed) {
          drop(`company "${companyId}" is outside the call's scope`);
          return;
        }
        const notification = readStreamNotification(method, params, plugin.pluginId, deps.logger);
        if (notification) call.sinks.stream(notification);
      });
    },
  };
}

export function streamNotifications(deps: HostServiceDeps) {
  const handler = streamNotification(deps);
  return {
    "streams.open": handler,
    "streams.emit": handler,
    "streams.close": handler,
  } satisfies NamespaceNotifications<"streams">;
}
