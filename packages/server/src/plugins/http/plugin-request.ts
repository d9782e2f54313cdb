// Shared by the config and log routes: who may call them, and which plugin `:pluginId` names.
import type { FastifyRequest } from "fastify";
import { forbidden, notFound } from "../../errors.js";
import type { RunningPluginAccess } from "../config/running-access.js";

export type FoundPlugin = NonNullable<Awaited<ReturnType<RunningPluginAccess["findPlugin"]>>>;

export function requireBoardUser(request: FastifyRequest): void {
  if (request.actor.type !== "user") throw forbidden("Board access required");
}

export function requireInstanceAdmin(request: FastifyRequest): void {
  if (!request.actor.isInstanceAdmin) throw forbidden("Instance admin access required");
}

export async function findPluginOr404(
  access: RunningPluginAccess,
  request: FastifyRequest,
): Promise<FoundPlugin> {
  const plugin = await access.findPlugin((request.params as { pluginId: string }).pluginId);
  if (!plugin) throw notFound("Plugin not found");
  return plugin;
}
