// Plugin management routes of reference §11 (the config and logs routes live beside these, in config-routes.ts
// and log-routes.ts). `:pluginId` is a UUID or a plugin key. Errors are `{error}`; reads need a board user,
// changes need the instance admin.
import type { FastifyInstance, FastifyRequest } from "fastify";
import { forbidden } from "../../errors.js";
import { bool, enumOf, nonEmpty, nullable, obj, str } from "../../http/schema-helpers.js";
import type { PluginRecord, PluginStatus } from "../registry/index.js";
import { PLUGIN_STATUSES } from "../registry/index.js";
import type { PluginRuntime } from "../runtime/index.js";
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
const settingsBody = obj(
  {
    methodTimeouts: {
      type: "object",
      additionalProperties: { type: "integer", minimum: 1, maximum: 2_147_483_647 },
      maxProperties: 100,
      description: 'host→worker call deadline per method, in ms (e.g. {"runJob": 600000})',
    },
  },
  ["methodTimeouts"],
);

type PluginParams = { pluginId: string };

function requireBoard(request: FastifyRequest): void {
  if (request.actor.type !== "user") throw forbidden("Board access required");
}

function requireInstanceAdmin(request: FastifyRequest): void {
  if (!request.actor.isInstanceAdmin) throw forbidden("Instance admin access required");
}

export function registerPluginRoutes(app: FastifyInstance, runtime: PluginRuntime): void {
  const { registry, lifecycle } = runtime;
  const find = (request: FastifyRequest) => registry.require((request.params as PluginParams).pluginId);

  app.get(
    "/api/plugins",
    { schema: { tags, querystring: obj({ status: enumOf(PLUGIN_STATUSES) }) } },
    async (request): Promise<PluginRecord[]> => {
      requireBoard(request);
      return registry.list({ status: (request.query as { status?: PluginStatus }).status });
    },
  );

  app.get("/api/plugins/examples", { schema: { tags } }, async (request) => {
    requireBoard(request);
    return runtime.examples();
  });

  app.post("/api/plugins/install", { schema: { tags, body: installBody } }, async (request, reply) => {
    requireInstanceAdmin(request);
    const body = request.body as {
      packageName: string;
      version?: string | null;
      isLocalPath?: boolean | null;
    };
    return withProgress(request, reply, (onProgress) =>
      lifecycle.install(
        {
          packageName: body.packageName,
          ...(body.version ? { version: body.version } : {}),
          ...(body.isLocalPath ? { isLocalPath: true } : {}),
        },
        { actor: request.actor, onProgress },
      ),
    );
  });

  app.get("/api/plugins/:pluginId", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoard(request);
    const record = await find(request);
    return { ...record, supportsConfigTest: runtime.workers.supports(record.id, "validateConfig") };
  });

  app.delete(
    "/api/plugins/:pluginId",
    { schema: { tags, params: pluginParams, querystring: obj({ purge: bool }) } },
    async (request) => {
      requireInstanceAdmin(request);
      const { purge } = request.query as { purge?: boolean };
      return lifecycle.uninstall((request.params as PluginParams).pluginId, purge === true, {
        actor: request.actor,
      });
    },
  );

  app.post("/api/plugins/:pluginId/enable", { schema: { tags, params: pluginParams } }, async (request) => {
    requireInstanceAdmin(request);
    return lifecycle.enable((request.params as PluginParams).pluginId, { actor: request.actor });
  });

  app.post(
    "/api/plugins/:pluginId/disable",
    { schema: { tags, params: pluginParams, body: disableBody } },
    async (request) => {
      requireInstanceAdmin(request);
      const reason = (request.body as { reason?: string | null }).reason?.trim() || null;
      return lifecycle.disable((request.params as PluginParams).pluginId, reason, { actor: request.actor });
    },
  );

  app.post(
    "/api/plugins/:pluginId/upgrade",
    { schema: { tags, params: pluginParams, body: upgradeBody } },
    async (request, reply) => {
      requireInstanceAdmin(request);
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
      requireInstanceAdmin(request);
      const { methodTimeouts } = request.body as { methodTimeouts: Record<string, number> };
      return lifecycle.setMethodTimeouts((request.params as PluginParams).pluginId, methodTimeouts, {
        actor: request.actor,
      });
    },
  );

  app.get("/api/plugins/:pluginId/health", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoard(request);
    return runtime.health(await find(request));
  });

  app.get("/api/plugins/:pluginId/dashboard", { schema: { tags, params: pluginParams } }, async (request) => {
    requireBoard(request);
    return runtime.dashboard(await find(request));
  });
}
