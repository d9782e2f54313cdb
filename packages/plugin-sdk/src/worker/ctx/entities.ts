// ctx.entities → entities.upsert | entities.list
import type { PluginEntitiesClient } from "../../types/index.js";
import type { HostLink } from "../host-link.js";

export function buildEntitiesClient(host: HostLink): PluginEntitiesClient {
  return {
    upsert: (input) =>
      host.call("entities.upsert", {
        entityType: input.entityType,
        scopeKind: input.scopeKind,
        scopeId: input.scopeId,
        externalId: input.externalId,
        title: input.title,
        status: input.status,
        data: input.data,
      }),
    list: (query) =>
      host.call("entities.list", {
        entityType: query.entityType,
        scopeKind: query.scopeKind,
        scopeId: query.scopeId,
        externalId: query.externalId,
        limit: query.limit,
        offset: query.offset,
      }),
  };
}
