// Where a plugin's workers run (docs/scale-out.md): each host node's worker for the plugin, as that node last
// recorded it (plugin_node_workers), with the node's liveness. Any board user may look, as at the plugin itself.
import type { FastifyInstance } from "fastify";
import { requireBoardUser } from "../../domain/authorization.js";
import type { PluginRuntime } from "../../plugins/runtime/index.js";
import { nonEmpty, obj } from "../../schema/schema-helpers.js";

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);

export function registerPluginNodeRoutes(
  app: FastifyInstance,
  runtime: Pick<PluginRuntime, "registry" | "nodeWorkers">,
): void {
  app.get("/api/plugins/:pluginId/nodes", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoardUser(request.actor);
    const record = await runtime.registry.require((request.params as { pluginId: string }).pluginId);
    return {
      pluginId: record.id,
      pluginKey: record.pluginKey,
      status: record.status,
      version: record.version,
      nodeId: runtime.nodeWorkers.nodeId,
      nodes: await runtime.nodeWorkers.list(record.id),
    };
  });
}
