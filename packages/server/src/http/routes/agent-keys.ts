// Agent API keys (domain reference §6.2), board only: list (never a token), create (the token is shown once),
// revoke. Run tokens live in the same table but are the executor's: they are neither listed nor revocable here.
import type { FastifyInstance } from "fastify";
import { requireBoardUser } from "../../domain/authorization.js";
import { idParam, LIMITS, nonEmpty, obj } from "../../schema/schema-helpers.js";

const tags = ["agents"];
type P = { id: string; keyId: string };

export function registerAgentKeyRoutes(app: FastifyInstance): void {
  const { keys } = app.agentRuntime;
  app.get("/api/agents/:id/keys", { schema: { tags, params: idParam("id") } }, async (request) => {
    requireBoardUser(request.actor);
    return keys.listKeys((request.params as P).id);
  });
  app.post(
    "/api/agents/:id/keys",
    { schema: { tags, params: idParam("id"), body: obj({ name: nonEmpty(LIMITS.name) }) } },
    async (request, reply) => {
      requireBoardUser(request.actor);
      const { name } = (request.body ?? {}) as { name?: string };
      return reply.status(201).send(await keys.createKey((request.params as P).id, name, request.actor));
    },
  );
  app.delete(
    "/api/agents/:id/keys/:keyId",
    { schema: { tags, params: idParam("id", "keyId") } },
    async (request) => {
      requireBoardUser(request.actor);
      const { id, keyId } = request.params as P;
      await keys.revokeKey(id, keyId, request.actor);
      return { ok: true };
    },
  );
}
