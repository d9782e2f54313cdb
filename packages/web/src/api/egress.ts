// A plugin's outbound HTTP: its egress policy (GET/PUT /api/plugins/:id/egress) and its outbound call log
// (GET /api/plugins/:id/outbound, newest first, paged with `before`). Host side: packages/server/src/http/plugins/
// egress-routes.ts; what the policy means: docs/egress.md. Keys live under ["plugins", …] so invalidating a
// plugin's queries covers them.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Iso } from "./types";

export const EGRESS_MODES = ["any-public", "allow-list"] as const;
export type EgressMode = (typeof EGRESS_MODES)[number];

/** What an operator sends (PUT): the whole policy. */
export interface EgressPolicyInput {
  mode: EgressMode;
  allow: string[];
  privateGrants: string[];
  /** null: the host's default. */
  timeoutMs: number | null;
  maxResponseBytes: number | null;
}

/** GET/PUT answer: the stored policy (normalized) with what else applies. */
export interface EgressPolicy extends EgressPolicyInput {
  pluginId: string;
  pluginKey: string;
  /** null: never set, the default policy applies. */
  updatedAt: Iso | null;
  updatedBy: string | null;
  /** Private grants from the host's environment (PAPERCLIP_PLUGIN_ALLOWED_HOSTS) for this plugin. */
  instanceGrants: string[];
  defaults: { timeoutMs: number; maxResponseBytes: number };
  log: { maxRowsPerPlugin: number; retentionDays: number };
}

export const OUTBOUND_OUTCOMES = ["completed", "refused", "failed"] as const;
export type OutboundOutcome = (typeof OUTBOUND_OUTCOMES)[number];

export interface OutboundCall {
  id: number;
  pluginId: string;
  companyId: string | null;
  method: string;
  scheme: string;
  /** hostname[:port]; "" when the URL could not be parsed */
  host: string;
  /** never the query string */
  path: string;
  address: string | null;
  outcome: OutboundOutcome;
  status: number | null;
  reason: string | null;
  requestBytes: number;
  responseBytes: number;
  durationMs: number;
  createdAt: Iso;
}

export interface OutboundCallPage {
  items: OutboundCall[];
  nextBefore: number | null;
}

const egressKey = (ref: string) => ["plugins", "egress", ref] as const;
const outboundKey = (ref: string, outcome: OutboundOutcome | undefined, limit: number) =>
  ["plugins", "outbound", ref, outcome ?? "all", limit] as const;

export function useEgressPolicy(ref: string) {
  return useQuery({
    queryKey: egressKey(ref),
    queryFn: ({ signal }) => api.get<EgressPolicy>(`/plugins/${seg(ref)}/egress`, undefined, signal),
  });
}

export function useSaveEgressPolicy(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (policy: EgressPolicyInput) => api.put<EgressPolicy>(`/plugins/${seg(ref)}/egress`, policy),
    onSuccess: (saved) => queryClient.setQueryData(egressKey(ref), saved),
  });
}

/** The newest `limit` calls (1..500); "Show older" asks for more. API clients can page with `before` instead. */
export function useOutboundCalls(ref: string, filters: { outcome?: OutboundOutcome; limit: number }) {
  return useQuery({
    queryKey: outboundKey(ref, filters.outcome, filters.limit),
    queryFn: ({ signal }) =>
      api.get<OutboundCallPage>(
        `/plugins/${seg(ref)}/outbound`,
        { limit: filters.limit, outcome: filters.outcome },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
