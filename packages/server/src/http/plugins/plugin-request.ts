// Shared by the config and log routes: which plugin `:pluginId` (uuid or plugin key) names.
import type { FastifyRequest } from "fastify";
import { notFound } from "../../errors.js";
import type { ConfigurablePlugin } from "../../plugins/config/config-service.js";
import type { RunningPluginAccess } from "../../plugins/config/running-access.js";

export async function findPluginOr404(
  access: RunningPluginAccess,
  request: FastifyRequest,
): Promise<ConfigurablePlugin> {
  const plugin = await access.findPlugin((request.params as { pluginId: string }).pluginId);
  if (!plugin) throw notFound("Plugin not found");
  return plugin;
}
