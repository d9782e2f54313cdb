// Plugin UI plumbing (reference §10.2): the contributions list under /api, and the static files of each ready
// plugin's UI folder at the root (`/_plugins/:pluginId/ui/*`, not under /api — the board imports from there).
import { createReadStream } from "node:fs";
import { inArray } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { pluginPackageDigests } from "../../db/schema.js";
import { requireBoardUser } from "../../domain/authorization.js";
import { forbidden, notFound } from "../../errors.js";
import { type PluginUiContribution, uiContributionOf } from "../../plugins/ui/contributions.js";
import { UiIsolationService } from "../../plugins/ui/isolation.js";
import type { PluginHttpContext } from "./context.js";
import { type DevUiConfigSource, devUiTarget, fetchDevUiFile } from "./ui-dev-proxy.js";
import { headersFor, matchesEtag, resolveUiFile } from "./ui-files.js";

/** The recorded package digest of each plugin: what names its UI build (contributions.ts). */
async function packageDigestsOf(ctx: PluginHttpContext, pluginIds: string[]): Promise<Map<string, string>> {
  if (pluginIds.length === 0) return new Map();
  const table = pluginPackageDigests;
  const rows = await ctx.services.db.orm
    .select({ pluginId: table.pluginId, digest: table.digest })
    .from(table)
    .where(inArray(table.pluginId, pluginIds));
  return new Map(rows.map((row) => [row.pluginId, row.digest]));
}

export function registerUiRoutes(
  app: FastifyInstance,
  ctx: PluginHttpContext,
  /** The company configs, for the `devUiUrl` dev proxy (ui-dev-proxy.ts); without it there is no proxy. */
  devUiConfig?: DevUiConfigSource,
): void {
  // Each contribution says how the board mounts it (same-origin or the sandboxed iframe: ui-isolation-routes.ts).
  const isolation = new UiIsolationService(ctx.services);
  app.get(
    "/api/plugins/ui-contributions",
    { schema: { tags: ["plugin ui"], summary: "UI slots and launchers of every ready plugin" } },
    async (request): Promise<PluginUiContribution[]> => {
      requireBoardUser(request.actor);
      const contributions: PluginUiContribution[] = [];
      const ready = await ctx.catalog.readyPlugins();
      const modes = await isolation.modesOf(ready);
      const digests = await packageDigestsOf(
        ctx,
        ready.map((record) => record.id),
      );
      for (const record of ready) {
        const contribution = uiContributionOf(record, modes.get(record.id), digests.get(record.id));
        if (contribution) contributions.push(contribution);
      }
      return contributions;
    },
  );

  app.get("/_plugins/:pluginId/ui/*", { schema: { hide: true } }, async (request, reply) => {
    const params = request.params as { pluginId: string; "*": string };
    const plugin = await ctx.catalog.find(params.pluginId);
    if (!plugin) throw notFound("Plugin not found");
    // No login for bundles (a browser imports them), except that naming a company checks access to it.
    const { companyId } = request.query as { companyId?: unknown };
    if (typeof companyId === "string" && companyId !== "")
      await ctx.companies.assert(request.actor, companyId);
    if (plugin.status !== "ready") throw forbidden(`Plugin is not ready (current status: ${plugin.status})`);
    const requested = params["*"] ?? "";
    if (devUiConfig && typeof companyId === "string" && companyId !== "") {
      const config = await devUiConfig(plugin.id, companyId);
      const target = devUiTarget(config?.devUiUrl, requested);
      if (target) {
        const answer = await fetchDevUiFile(target);
        reply.headers({
          "content-type": answer.contentType,
          "cache-control": "no-cache",
          "access-control-allow-origin": "*",
        });
        return reply.code(answer.status).send(answer.body);
      }
    }
    const resolved = await resolveUiFile(plugin, requested);
    if (resolved.kind === "denied") {
      throw resolved.status === 403 ? forbidden(resolved.message) : notFound(resolved.message);
    }
    const headers = headersFor(requested, resolved.filePath, resolved.stats);
    reply.headers(headers);
    if (matchesEtag(request.headers["if-none-match"], headers.etag!)) return reply.code(304).send();
    reply.header("content-length", resolved.stats.size);
    return reply.send(createReadStream(resolved.filePath));
  });
}
