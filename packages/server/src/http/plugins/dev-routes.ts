// Dev mode routes (docs/authoring/dev-loop.md): whether a plugin is in dev mode (every board user may see it: the
// board shows a "Dev mode" badge), turning it on or off, and reloading a dev-mode plugin from its folder — what
// `paperclip plugin dev <folder>` calls after each rebuild. Changes are the instance admin's. The work is
// lifecycle/dev-mode.ts's.
import type { FastifyInstance } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import type { PluginRuntime } from "../../plugins/runtime/index.js";
import { bool, nonEmpty, obj } from "../../schema/schema-helpers.js";

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const devModeBody = obj({ enabled: bool }, ["enabled"]);

type PluginParams = { pluginId: string };

export function registerPluginDevRoutes(app: FastifyInstance, runtime: Pick<PluginRuntime, "devMode">): void {
  const { devMode } = runtime;

  app.get("/api/plugins/:pluginId/dev", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoardUser(request.actor);
    return devMode.status((request.params as PluginParams).pluginId);
  });

  app.post(
    "/api/plugins/:pluginId/dev",
    { schema: { tags, params: pluginParams, body: devModeBody } },
    async (request) => {
      requireInstanceAdmin(request.actor, "changing a plugin's dev mode");
      const { pluginId } = request.params as PluginParams;
      const context = { actor: request.actor };
      return (request.body as { enabled: boolean }).enabled
        ? devMode.enable(pluginId, context)
        : devMode.disable(pluginId, context);
    },
  );

  app.post(
    "/api/plugins/:pluginId/dev/reload",
    { schema: { tags, params: pluginParams } },
    async (request) => {
      requireInstanceAdmin(request.actor, "reloading a dev-mode plugin");
      return devMode.reload((request.params as PluginParams).pluginId, { actor: request.actor });
    },
  );
}
