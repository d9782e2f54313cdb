// Worker stream notifications (`streams.open|emit|close`, reference §9) into the bus. The host services have
// already dropped those outside the call's company; here each is checked for shape, and a malformed one is
// dropped with a warning that names the field (a notification has no reply to carry an error).
import type { Logger } from "pino";
import type { StreamBus, StreamEventType } from "./stream-bus.js";

export type StreamMethod = "streams.open" | "streams.emit" | "streams.close";

const TYPE_OF: Readonly<Record<StreamMethod, StreamEventType>> = {
  "streams.open": "open",
  "streams.emit": "message",
  "streams.close": "close",
};

/** Longest channel name accepted (it appears in URLs and in every frame of an open/close). */
export const MAX_CHANNEL_LENGTH = 200;

/** Why a stream notification's params are unusable, or null when they are fine. */
export function streamParamsProblem(params: unknown): string | null {
  if (typeof params !== "object" || params === null || Array.isArray(params))
    return "params must be an object";
  const { channel, companyId } = params as Record<string, unknown>;
  if (typeof channel !== "string" || channel.length === 0) return '"channel" must be a non-empty string';
  if (channel.length > MAX_CHANNEL_LENGTH)
    return `"channel" must be at most ${MAX_CHANNEL_LENGTH} characters`;
  if (typeof companyId !== "string" || companyId.length === 0)
    return '"companyId" must be a non-empty string';
  return null;
}

/** The hook host services call for one plugin's stream notifications. */
export function streamNotificationHandler(
  bus: StreamBus,
  pluginId: string,
  logger: Pick<Logger, "warn">,
): (method: StreamMethod, params: unknown) => void {
  return (method, params) => {
    const type = TYPE_OF[method];
    const problem = type ? streamParamsProblem(params) : `unknown stream method "${method}"`;
    if (problem) {
      logger.warn({ pluginId, method }, `Dropped ${method} from plugin ${pluginId}: ${problem}`);
      return;
    }
    const p = params as { channel: string; companyId: string; event?: unknown };
    bus.publish(
      { pluginId, channel: p.channel, companyId: p.companyId },
      type,
      type === "message" ? p.event : {},
    );
  };
}

/** The slice of a host services factory this module decorates. */
interface HostServicesFactoryLike<S extends PluginServicesLike> {
  forPlugin(
    plugin: { pluginId: string },
    hooks: { onStreamNotification?(method: StreamMethod, params: unknown): void },
  ): S;
}

interface PluginServicesLike {
  resetWorkerRegistrations(): void | Promise<void>;
  dispose(): Promise<void>;
  workerExited?(reason: string): void;
}

/**
 * A host services factory whose plugins' stream notifications go to `bus`, and whose workers' channels are
 * closed (synthetic `close`) when the worker process dies (the runtime reports crashes through
 * `workerExited`), when it is stopped (dispose), and, as a backstop, when a new process starts.
 */
export function withStreamBus<S extends PluginServicesLike, F extends HostServicesFactoryLike<S>>(
  factory: F,
  bus: StreamBus,
  logger: Pick<Logger, "warn">,
): F {
  const decorated = Object.create(factory) as F;
  decorated.forPlugin = (plugin, hooks) => {
    const toBus = streamNotificationHandler(bus, plugin.pluginId, logger);
    const services = factory.forPlugin(plugin, {
      ...hooks,
      onStreamNotification(method, params) {
        hooks.onStreamNotification?.(method, params);
        toBus(method, params);
      },
    });
    const reset = services.resetWorkerRegistrations.bind(services);
    const dispose = services.dispose.bind(services);
    const exited = services.workerExited?.bind(services);
    services.workerExited = (reason) => {
      exited?.(reason);
      bus.workerExited(plugin.pluginId, reason);
    };
    services.resetWorkerRegistrations = () => {
      bus.workerExited(plugin.pluginId, "a new worker process started");
      return reset();
    };
    services.dispose = async () => {
      await dispose();
      bus.workerExited(plugin.pluginId, "the worker stopped");
    };
    return services;
  };
  return decorated;
}
