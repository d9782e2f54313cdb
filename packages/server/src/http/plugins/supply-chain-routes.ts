// Supply-chain routes (docs/supply-chain.md): the install policy the board's install dialog shows (the operator's
// npm scope allow-list), a plugin's capabilities against the approved ones (what enabling an upgrade approves),
// and the package integrity check (`paperclip plugin verify`, with `accept` to trust the current files).
import type { FastifyInstance } from "fastify";
import { requireBoardUser, requireInstanceAdmin } from "../../domain/authorization.js";
import { ALLOWED_SCOPES_SETTING, UNSCOPED_ENTRY } from "../../plugins/installer/index.js";
import type { PluginRuntime } from "../../plugins/runtime/index.js";
import { bool, nonEmpty, nullable, obj } from "../../schema/schema-helpers.js";

const tags = ["plugins"];
const pluginParams = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const verifyBody = obj({ accept: nullable(bool) });

type PluginParams = { pluginId: string };

export function registerSupplyChainRoutes(
  app: FastifyInstance,
  runtime: Pick<PluginRuntime, "lifecycle">,
): void {
  const { lifecycle } = runtime;

  app.get("/api/plugins/install-policy", { schema: { tags } }, async (request) => {
    requireBoardUser(request.actor);
    return {
      allowedScopes: lifecycle.allowedScopes ? [...lifecycle.allowedScopes] : null,
      unscopedEntry: UNSCOPED_ENTRY,
      setting: ALLOWED_SCOPES_SETTING,
    };
  });

  app.get(
    "/api/plugins/:pluginId/capabilities",
    { schema: { tags, params: pluginParams } },
    async (request) => {
      requireBoardUser(request.actor);
      return lifecycle.capabilityChange((request.params as PluginParams).pluginId);
    },
  );

  app.post(
    "/api/plugins/:pluginId/verify",
    { schema: { tags, params: pluginParams, body: verifyBody } },
    async (request) => {
      const accept = (request.body as { accept?: boolean | null } | undefined)?.accept === true;
      if (accept) requireInstanceAdmin(request.actor, "accepting a plugin's changed files");
      else requireBoardUser(request.actor);
      return lifecycle.verifyPackage((request.params as PluginParams).pluginId, accept, {
        actor: request.actor,
      });
    },
  );
}
