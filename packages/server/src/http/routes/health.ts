// GET /api/health: version, database kind, status. 503 when the database does not answer.
import type { FastifyInstance } from "fastify";
import type { Database } from "../../db/database.js";
import { HOST_VERSION } from "../../version.js";
import { ANONYMOUS_ACTOR } from "../auth/route-access.js";

export function registerHealthRoutes(app: FastifyInstance, db: Database): void {
  app.get("/api/health", { schema: { tags: ["health"], summary: "Host health" } }, async (request, reply) => {
    const base = {
      version: HOST_VERSION,
      serverVersion: HOST_VERSION,
      deploymentMode: app.paperclip.config.deploymentMode,
      deploymentExposure: "private",
      authReady: true,
      bootstrapStatus: "ready",
      features: { companyDeletionEnabled: true },
      // Where the data lives is nobody's business before signing in (authenticated mode).
      database:
        request.actor === ANONYMOUS_ACTOR ? { kind: db.kind } : { kind: db.kind, location: db.location },
    };
    try {
      await db.query("health_ping", "SELECT 1 AS ok", []);
      return { status: "ok", ...base };
    } catch (error) {
      return reply.status(503).send({
        status: "unhealthy",
        error: "database_unreachable",
        details: (error as Error).message,
        ...base,
      });
    }
  });
}
