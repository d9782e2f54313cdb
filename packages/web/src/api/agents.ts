import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Agent, AgentStatus, CreateAgentInput, HeartbeatRun, UpdateAgentInput } from "./types";

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

/** Wakes an agent (a heartbeat run on demand). */
export function useWakeAgent(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ agentId, reason }: { agentId: string; reason?: string }) =>
      api.post<HeartbeatRun>(`/agents/${seg(agentId)}/wakeup`, { source: "on_demand", reason }),
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
