// GET/PUT /api/plugins/:pluginId/sandbox: a plugin's worker sandbox (docs/sandbox.md). GET shows the host's isolation,
// the grants, what the running worker has (read and write folders, network, memory cap); PUT changes grants, which
// widen the sandbox and must be acknowledged as risks. Both are for the instance admin only: the view names host
// folders, and a grant hands a plugin powers the host's own OS user has.
import type { FastifyInstance } from "fastify";
import { requireInstanceAdmin } from "../../domain/authorization.js";
import { SANDBOX_GRANTS, type SandboxUpdate } from "../../plugins/sandbox/index.js";
import type { PluginSandboxService } from "../../plugins/sandbox/sandbox-service.js";
import { bool, nonEmpty, obj } from "../../schema/schema-helpers.js";

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const putBody = obj(
  {
    grants: {
      ...obj(Object.fromEntries(SANDBOX_GRANTS.map((grant) => [grant, bool]))),
      description:
        "grants to change (others keep their value): childProcess, workerThreads, nativeAddons, wasi, unsandboxed",
    },
    acknowledgeRisks: { ...bool, description: "must be true when the change turns a grant on" },
  },
  ["grants"],
);

export function registerPluginSandboxRoutes(
  app: FastifyInstance,
  deps: { sandbox: Pick<PluginSandboxService, "view" | "update"> },
): void {
  app.get("/api/plugins/:pluginId/sandbox", { schema: { tags, params: pluginParams } }, async (request) => {
    requireInstanceAdmin(request.actor, "the sandbox view names host folders");
    return deps.sandbox.view((request.params as { pluginId: string }).pluginId);
  });

  app.put(
    "/api/plugins/:pluginId/sandbox",
    { schema: { tags, params: pluginParams, body: putBody } },
    async (request) => {
      requireInstanceAdmin(request.actor, "sandbox grants");
      return deps.sandbox.update(
        (request.params as { pluginId: string }).pluginId,
        request.body as SandboxUpdate,
        request.actor,
      );
    },
  );
}
