// Plugin UI isolation (docs/plugin-ui-sandbox.md):
//   GET /api/plugins/:pluginId/ui-isolation   the effective mode, where it comes from, the admin's choice, the hint
//   PUT /api/plugins/:pluginId/ui-isolation   {mode: "same-origin" | "sandboxed" | null} (null
//                                             forgets the choice), written to the activity log; open boards hear
//                                             plugin.ui.updated and remount the plugin's UI the new way
//   (both for the instance admin: an instance setting; the board learns each plugin's mode from ui-contributions)
//   GET /_plugins/:pluginId/ui-frame          the sandboxed frame's document with its CSP (ui-frame.ts)
import type { FastifyInstance, FastifyRequest } from "fastify";
import { requireInstanceAdmin } from "../../domain/authorization.js";
import type { DomainServices } from "../../domain/services.js";
import { forbidden, notFound } from "../../errors.js";
import type { PluginRecord } from "../../plugins/registry/index.js";
import {
  UI_ISOLATION_MODES,
  type UiIsolationMode,
  UiIsolationService,
  type UiIsolationState,
} from "../../plugins/ui/isolation.js";
import { nonEmpty, nullable, obj } from "../../schema/schema-helpers.js";
import { frameContentSecurityPolicy, frameDocument, isFrameOrigin } from "./ui-frame.js";

export interface UiIsolationRouteDeps {
  registry: { find(idOrKey: string): Promise<PluginRecord | null> };
  services: DomainServices;
}

const tags = ["plugin ui"];
const params = obj({ pluginId: nonEmpty(500) }, ["pluginId"]);
const body = obj(
  {
    mode: nullable({
      type: "string",
      enum: [...UI_ISOLATION_MODES],
      description:
        "same-origin | sandboxed; null forgets the admin's choice (the plugin's hint or same-origin applies)",
    }),
  },
  ["mode"],
);

async function pluginOr404(deps: UiIsolationRouteDeps, request: FastifyRequest): Promise<PluginRecord> {
  const plugin = await deps.registry.find((request.params as { pluginId: string }).pluginId);
  if (!plugin || plugin.status === "uninstalled") throw notFound("Plugin not found");
  return plugin;
}

export function registerUiIsolationRoutes(app: FastifyInstance, deps: UiIsolationRouteDeps): void {
  const isolation = new UiIsolationService(deps.services);

  app.get(
    "/api/plugins/:pluginId/ui-isolation",
    { schema: { tags, summary: "How the board mounts the plugin's UI: same-origin or sandboxed", params } },
    async (request): Promise<UiIsolationState> => {
      requireInstanceAdmin(request.actor, "plugin UI isolation is an instance setting");
      return isolation.stateOf(await pluginOr404(deps, request));
    },
  );

  app.put(
    "/api/plugins/:pluginId/ui-isolation",
    {
      schema: { tags, summary: "Choose how the board mounts the plugin's UI (instance admin)", params, body },
    },
    async (request): Promise<UiIsolationState> => {
      requireInstanceAdmin(request.actor, "plugin UI isolation is an instance setting");
      const plugin = await pluginOr404(deps, request);
      const { mode } = request.body as { mode: UiIsolationMode | null };
      const state = await isolation.set(request.actor, plugin, mode);
      // Open boards refetch the contributions and remount this plugin's UI in its new mode.
      if (app.hasDecorator("companyEvents")) {
        app.companyEvents.broadcast(
          "plugin.ui.updated",
          { pluginId: plugin.id, action: "ui_isolation_changed" },
          { entityType: "plugin", entityId: plugin.id },
        );
      }
      return state;
    },
  );

  app.get("/_plugins/:pluginId/ui-frame", { schema: { hide: true, params } }, async (request, reply) => {
    const plugin = await pluginOr404(deps, request);
    if (plugin.status !== "ready") throw forbidden(`Plugin is not ready (current status: ${plugin.status})`);
    const ui = plugin.manifestJson.entrypoints?.ui;
    if (typeof ui !== "string" || ui.trim() === "") {
      throw notFound(`Plugin ${plugin.pluginKey} declares no UI (entrypoints.ui)`);
    }
    // The host guard let this Host through, so it is a name of this instance.
    const origin = `${request.protocol}://${request.host}`;
    if (!isFrameOrigin(origin)) throw forbidden(`Host "${request.host}" cannot serve a plugin frame`);
    reply.headers({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": frameContentSecurityPolicy(origin, plugin.id),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-content-type-options": "nosniff",
    });
    return frameDocument(`${plugin.manifestJson.displayName ?? plugin.pluginKey} (sandboxed)`);
  });
}
