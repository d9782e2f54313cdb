// Supply-chain data (docs/supply-chain.md): the operator's npm scope allow-list the install dialog shows, and a
// plugin's requested capabilities against the approved ones, which an upgrade waiting for approval shows before
// the operator enables it. Routes: packages/server/src/http/plugins/supply-chain-routes.ts.
import { useQuery } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";

/** GET /api/plugins/install-policy */
export interface InstallPolicy {
  /** Allowed npm scopes (`@acme`, or `unscoped` for names without a scope); null: any package. */
  allowedScopes: string[] | null;
  unscopedEntry: string;
  /** Where the operator sets it. */
  setting: string;
}

/** GET /api/plugins/:id/capabilities */
export interface PluginCapabilities {
  pluginId: string;
  pluginKey: string;
  status: string;
  version: string;
  approvedVersion: string | null;
  approved: string[];
  requested: string[];
  /** Requested, not yet approved: what enabling approves. */
  added: string[];
  /** Approved before, no longer requested. */
  removed: string[];
  awaitingApproval: boolean;
}

export function useInstallPolicy() {
  return useQuery({
    queryKey: queryKeys.plugins.installPolicy(),
    queryFn: ({ signal }) => api.get<InstallPolicy>("/plugins/install-policy", undefined, signal),
    staleTime: 60_000,
  });
}

export function usePluginCapabilities(ref: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.plugins.capabilities(ref),
    queryFn: ({ signal }) =>
      api.get<PluginCapabilities>(`/plugins/${seg(ref)}/capabilities`, undefined, signal),
    enabled: options.enabled ?? true,
  });
}
