// Plugin management routes of reference §11 (the config and logs routes live beside these, in config-routes.ts
// and log-routes.ts). `:pluginId` is a UUID or a plugin key. Errors are `{error}`; reads need a board user,
// changes need the instance admin. The work is the lifecycle's; records are shown as plugin-views.ts builds them.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { PLUGIN_LIMIT_NAMES, PLUGIN_LIMIT_RANGES } from "../../plugins/lifecycle/limits.js";
import type { PluginStatus } from "../../plugins/registry/index.js";
import { PLUGIN_STATUSES } from "../../plugins/registry/index.js";
import type { PluginRuntime } from "../../plugins/runtime/index.js";
import {
  listPluginViews,
  type PluginView,
  pluginView,
  supportsConfigTest,
} from "../../plugins/runtime/plugin-views.js";
import { bool, enumOf, nonEmpty, nullable, obj, str } from "../../schema/schema-helpers.js";
import { withProgress } from "./progress-stream.js";

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const installBody = obj(
  {
    packageName: nonEmpty(4_096, {
      description: "npm name (with @version or @tag), tarball path or local folder",
    }),
    version: nullable(str(256)),
    isLocalPath: nullable(bool),
  },
  ["packageName"],
);
const disableBody = obj({ reason: nullable(str(2_000)) });
const upgradeBody = obj({ version: nullable(str(256)) });
const settingsBody = {
  ...obj({
    methodTimeouts: {
      type: "object",
      additionalProperties: { type: "integer", minimum: 1, maximum: 2_147_483_647 },
      maxProperties: 100,
      description: 'host→worker call deadline per method, in ms (e.g. {"runJob": 600000})',
    },
    limits: {
      type: "object",
      properties: Object.fromEntries(
        PLUGIN_LIMIT_NAMES.map((name) => [
          name,
          { type: "integer", minimum: PLUGIN_LIMIT_RANGES[name][0], maximum: PLUGIN_LIMIT_RANGES[name][1] },
        ]),
      ),
      additionalProperties: false,
      description:
        'overrides of the host\'s resource limits for this plugin (e.g. {"memoryLimitMb": 1024, "eventMaxInFlight": 1}); {} restores the defaults',
    },
  }),
  minProperties: 1,
};

type PluginParams = { pluginId: string };

export function registerPluginManagementRoutes(app: FastifyInstance, runtime: PluginRuntime): void {
  const { registry, lifecycle } = runtime;
  const find = (request: FastifyRequest) => registry.require((request.params as PluginParams).pluginId);

  app.get(
    "/api/plugins",
    { schema: { tags, querystring: obj({ status: enumOf(PLUGIN_STATUSES) }) } },
    async (request): Promise<PluginView[]> => {
      requireBoardUser(request.actor);
      return listPluginViews(runtime, (request.query as { status?: PluginStatus }).status);
    },
  );

  app.get("/api/plugins/examples", { schema: { tags } }, async (request) => {
    requireBoardUser(request.actor);
    return runtime.examples();
  });

  app.post("/api/plugins/install", { schema: { tags, body: installBody } }, async (request, reply) => {
    requireInstanceAdmin(request.actor);
    const body = request.body as {
      packageName: string;
      version?: string | null;
      isLocalPath?: boolean | null;
    };
    return withProgress(request, reply, async (onProgress) => {
      const record = await lifecycle.install(
        {
          packageName: body.packageName,
          ...(body.version ? { version: body.version } : {}),
          ...(body.isLocalPath ? { isLocalPath: true } : {}),
        },
        { actor: request.actor, onProgress },
      );
      // As in GET …/:pluginId and the list.
      return { ...record, supportsConfigTest: supportsConfigTest(runtime, record.id) };
    });
  });

  app.get("/api/plugins/:pluginId", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoardUser(request.actor);
    return pluginView(runtime, await find(request));
  });

  app.delete(
    "/api/plugins/:pluginId",
    { schema: { tags, params: pluginParams, querystring: obj({ purge: bool }) } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const { purge } = request.query as { purge?: boolean };
      return lifecycle.uninstall((request.params as PluginParams).pluginId, purge === true, {
        actor: request.actor,
      });
    },
  );

  app.post("/api/plugins/:pluginId/enable", { schema: { tags, params: pluginParams } }, async (request) => {
    requireInstanceAdmin(request.actor);
    return lifecycle.enable((request.params as PluginParams).pluginId, { actor: request.actor });
  });

  app.post(
    "/api/plugins/:pluginId/disable",
    { schema: { tags, params: pluginParams, body: disableBody } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const reason = (request.body as { reason?: string | null }).reason?.trim() || null;
      return lifecycle.disable((request.params as PluginParams).pluginId, reason, { actor: request.actor });
    },
  );

  app.post(
    "/api/plugins/:pluginId/upgrade",
    { schema: { tags, params: pluginParams, body: upgradeBody } },
    async (request, reply) => {
      requireInstanceAdmin(request.actor);
      const version = (request.body as { version?: string | null }).version?.trim() || undefined;
      return withProgress(request, reply, (onProgress) =>
        lifecycle.upgrade((request.params as PluginParams).pluginId, version, {
          actor: request.actor,
          onProgress,
        }),
      );
    },
  );

  app.patch(
    "/api/plugins/:pluginId/settings",
    { schema: { tags, params: pluginParams, body: settingsBody } },
    async (request) => {
      requireInstanceAdmin(request.actor);
      const { methodTimeouts, limits } = request.body as { methodTimeouts?: unknown; limits?: unknown };
      return lifecycle.updateSettings(
        (request.params as PluginParams).pluginId,
        { methodTimeouts, limits },
        { actor: request.actor },
      );
    },
  );

  app.get("/api/plugins/:pluginId/health", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoardUser(request.actor);
    return runtime.health(await find(request));
  });

  app.get("/api/plugins/:pluginId/dashboard", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoardUser(request.actor);
    return runtime.dashboard(await find(request));
  });
}
