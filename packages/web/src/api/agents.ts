import { queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type {
  Agent,
  AgentKey,
  AgentStatus,
  CreateAgentInput,
  CreatedAgentKey,
  HeartbeatRun,
  LiveRun,
  RunEvent,
  RunLogPage,
  UpdateAgentInput,
  WakeupInput,
  WakeupResult,
} from "./types";

/** A company's agents; terminated agents are left out unless `status: "terminated"` asks for them. */
export const agentsQuery = (companyId: string, filters: { status?: AgentStatus } = {}) =>
  queryOptions({
    queryKey: queryKeys.agents.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<Agent[]>(`/companies/${seg(companyId)}/agents`, { limit: 1000, ...filters }, signal),
  });

/** `ref` is the agent's id or urlKey (`ada`). */
export const agentQuery = (companyId: string, ref: string) =>
  queryOptions({
    queryKey: queryKeys.agents.detail(companyId, ref),
    queryFn: ({ signal }) => api.get<Agent>(`/agents/${seg(ref)}`, { companyId }, signal),
  });

export function useAgents(companyId: string, filters?: { status?: AgentStatus }) {
  return useQuery(agentsQuery(companyId, filters));
}

export function useAgent(companyId: string, ref: string) {
  return useQuery(agentQuery(companyId, ref));
}

/** Id → agent of the company, for showing names next to ids (assignees, actors). */
export function useAgentsById(companyId: string): Map<string, Agent> {
  const { data } = useQuery({
    ...agentsQuery(companyId),
    select: (agents) => new Map(agents.map((agent) => [agent.id, agent])),
  });
  return data ?? EMPTY;
}
const EMPTY = new Map<string, Agent>();

export function useAgentRuns(companyId: string, filters: { agentId?: string; status?: string } = {}) {
  return useQuery({
    queryKey: queryKeys.runs.list(companyId, filters),
    queryFn: ({ signal }) =>
      api.get<HeartbeatRun[]>(
        `/companies/${seg(companyId)}/heartbeat-runs`,
        { limit: 100, ...filters },
        signal,
      ),
  });
}

function invalidateAgents(queryClient: ReturnType<typeof useQueryClient>) {
  void queryClient.invalidateQueries({ queryKey: queryKeys.agents.all });
  void queryClient.invalidateQueries({ queryKey: queryKeys.dashboard.all });
}

export function useCreateAgent(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: CreateAgentInput) => api.post<Agent>(`/companies/${seg(companyId)}/agents`, input),
    onSuccess: () => invalidateAgents(queryClient),
  });
}

export function useUpdateAgent(agentId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: UpdateAgentInput) => api.patch<Agent>(`/agents/${seg(agentId)}`, input),
    onSuccess: () => invalidateAgents(queryClient),
  });
}

export type AgentLifecycleAction = "pause" | "resume" | "terminate" | "clear-error";

/** pause / resume / terminate / clear-error: `mutate({ agentId, action: "pause" })`. */
export function useAgentLifecycle(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ agentId, action }: { agentId: string; action: AgentLifecycleAction }) =>
      api.post<Agent>(`/agents/${seg(agentId)}/${action}`),
    onSuccess: () => invalidateAgents(queryClient),
  });
}

/** A wakeup that queued nothing (the host answers 202 `{status: "skipped"}`). */
export function isSkippedWakeup(result: WakeupResult): result is Exclude<WakeupResult, HeartbeatRun> {
  return result.status === "skipped" && !("id" in result);
}

/**
 * Wakes an agent (a heartbeat run on demand): `mutate({ agentId, reason })`, or with a prompt for the adapter:
 * `mutate({ agentId, payload: { prompt } })`. Resolves to the queued run (or `{status: "skipped"}`).
 */
export function useWakeAgent(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ agentId, ...input }: WakeupInput & { agentId: string }) =>
      api.post<WakeupResult>(`/agents/${seg(agentId)}/wakeup`, { source: "on_demand", ...input }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
      invalidateAgents(queryClient);
    },
  });
}

/** One heartbeat run (GET /api/heartbeat-runs/:runId). */
export const runQuery = (runId: string) =>
  queryOptions({
    queryKey: queryKeys.runs.detail(runId),
    queryFn: ({ signal }) => api.get<HeartbeatRun>(`/heartbeat-runs/${seg(runId)}`, undefined, signal),
  });

export function useRun(runId: string) {
  return useQuery(runQuery(runId));
}

/** Cancels a queued or running run (a finished run comes back unchanged). */
export function useCancelRun(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (runId: string) => api.post<HeartbeatRun>(`/heartbeat-runs/${seg(runId)}/cancel`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
      invalidateAgents(queryClient);
    },
  });
}

/** The company's queued and running runs, with agent names (GET /companies/:id/live-runs; at most 50). */
export const LIVE_RUNS_LIMIT = 50;
export function useLiveRuns(companyId: string) {
  return useQuery({
    queryKey: queryKeys.runs.live(companyId),
    queryFn: ({ signal }) =>
      api.get<LiveRun[]>(`/companies/${seg(companyId)}/live-runs`, { limit: LIVE_RUNS_LIMIT }, signal),
  });
}

/** One page of a run's events after `afterSeq`, ascending (GET /heartbeat-runs/:runId/events). */
export function fetchRunEvents(
  runId: string,
  afterSeq: number,
  options: { limit?: number; signal?: AbortSignal } = {},
): Promise<RunEvent[]> {
  return api.get<RunEvent[]>(
    `/heartbeat-runs/${seg(runId)}/events`,
    { afterSeq, limit: options.limit ?? 1000 },
    options.signal,
  );
}

/** The run's stdout/stderr as plain text, page by page (`fetchNextPage` while `hasNextPage`). */
export function useRunLog(runId: string, options: { enabled?: boolean } = {}) {
  return useInfiniteQuery({
    queryKey: queryKeys.runs.log(runId),
    enabled: options.enabled ?? true,
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) =>
      api.get<RunLogPage>(`/heartbeat-runs/${seg(runId)}/log`, { offset: pageParam }, signal),
    getNextPageParam: (page) => page.nextOffset,
  });
}

// ── agent API keys ──────────────────────────────────────────────────────────────────────────────────

export function useAgentKeys(agentId: string) {
  return useQuery({
    queryKey: queryKeys.agents.keys(agentId),
    queryFn: ({ signal }) => api.get<AgentKey[]>(`/agents/${seg(agentId)}/keys`, undefined, signal),
  });
}

/** Creates a key; the answer carries the token, which the host never shows again. */
export function useCreateAgentKey(agentId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { name?: string }) =>
      api.post<CreatedAgentKey>(`/agents/${seg(agentId)}/keys`, input),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agents.keys(agentId) }),
  });
}

export function useRevokeAgentKey(agentId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (keyId: string) => api.delete(`/agents/${seg(agentId)}/keys/${seg(keyId)}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.agents.keys(agentId) }),
  });
}
