// GET /api/plugins/:pluginId/logs?limit=1..500 (default 25)&level&since=ISO — newest first. Entries still in
// the write buffer are flushed first, so what a plugin just logged is there.
import type { FastifyInstance } from "fastify";
import { requireBoardUser } from "../../domain/authorization.js";
import { badRequest } from "../../errors.js";
import type { RunningPluginAccess } from "../../plugins/config/running-access.js";
import { PLUGIN_LOG_LEVELS, type PluginLogService } from "../../plugins/logs/log-service.js";
import { nonEmpty, obj } from "../../schema/schema-helpers.js";
import { findPluginOr404 } from "./plugin-request.js";

export interface PluginLogRouteDeps {
  logs: PluginLogService;
  access: RunningPluginAccess;
}

export const DEFAULT_LOG_LIMIT = 25;
export const MAX_LOG_LIMIT = 500;

const query = obj({
  limit: { type: "string", maxLength: 20 },
  level: { type: "string", maxLength: 40 },
  since: { type: "string", maxLength: 100 },
});

export function parseLogQuery(raw: { limit?: string; level?: string; since?: string }) {
  let limit = DEFAULT_LOG_LIMIT;
  if (raw.limit !== undefined && raw.limit !== "") {
    limit = Number(raw.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_LIMIT) {
      throw badRequest(`limit must be an integer from 1 to ${MAX_LOG_LIMIT} (got "${raw.limit}")`, {
        field: "limit",
      });
    }
  }
  const level = raw.level ? raw.level : null;
  if (level !== null && !PLUGIN_LOG_LEVELS.includes(level as never)) {
    throw badRequest(`level must be one of: ${PLUGIN_LOG_LEVELS.join(", ")} (got "${level}")`, {
      field: "level",
    });
  }
  let since: Date | null = null;
  if (raw.since) {
    since = new Date(raw.since);
    if (Number.isNaN(since.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(raw.since)) {
      throw badRequest(
        `since must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z (got "${raw.since}")`,
        {
          field: "since",
        },
      );
    }
  }
  return { limit, level, since };
}

export function registerPluginLogRoutes(app: FastifyInstance, deps: PluginLogRouteDeps): void {
  app.get(
    "/api/plugins/:pluginId/logs",
    {
      schema: {
        tags: ["plugins"],
        params: obj({ pluginId: nonEmpty(500) }, ["pluginId"]),
        querystring: query,
      },
    },
    async (request) => {
      requireBoardUser(request.actor);
      const plugin = await findPluginOr404(deps.access, request);
      const filters = parseLogQuery(request.query as Record<string, string | undefined>);
      await deps.logs.flush();
      return deps.logs.query(plugin.id, filters);
    },
  );
}
