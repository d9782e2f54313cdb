// Query-key conventions (TanStack Query).
//
// Every key starts with its ENTITY ROOT — one of the names in `EntityRoot` — followed by the kind of query
// and its parameters: `["issues", "list", companyId, filters]`, `["issues", "detail", ref]`.
// Invalidating a root (`queryClient.invalidateQueries({ queryKey: ["issues"] })`) therefore refreshes every
// issue query on screen; that is what live updates (live.ts) and mutations do. Never build keys inline in a
// component: add a factory here so the root stays right.

import type { ActivityFilters, CostWindow, IssueFilters } from "./types";

export const ENTITY_ROOTS = [
  "companies",
  "projects",
  "issues",
  "agents",
  "runs",
  "goals",
  "approvals",
  "activity",
  "costs",
  "dashboard",
  "plugins",
  "nodes",
  "secrets",
  "account",
] as const;
export type EntityRoot = (typeof ENTITY_ROOTS)[number];

type Filters = object | undefined;
/** Filters are part of the key; undefined fields are dropped so `{}` and `{q: undefined}` share a cache entry. */
const clean = (filters: Filters): Record<string, unknown> =>
  Object.fromEntries(Object.entries(filters ?? {}).filter(([, value]) => value !== undefined));

export const queryKeys = {
  companies: {
    all: ["companies"] as const,
    list: () => ["companies", "list"] as const,
    detail: (companyId: string) => ["companies", "detail", companyId] as const,
  },
  projects: {
    all: ["projects"] as const,
    list: (companyId: string, filters?: { includeArchived?: boolean }) =>
      ["projects", "list", companyId, clean(filters)] as const,
    /** `ref` is the project's id or urlKey. */
    detail: (companyId: string, ref: string) => ["projects", "detail", companyId, ref] as const,
    workspaces: (projectId: string) => ["projects", "workspaces", projectId] as const,
  },
  issues: {
    all: ["issues"] as const,
    list: (companyId: string, filters?: IssueFilters) =>
      ["issues", "list", companyId, clean(filters)] as const,
    /** `ref` is the issue's id or identifier (ACM-12). */
    detail: (ref: string) => ["issues", "detail", ref] as const,
    comments: (issueId: string) => ["issues", "comments", issueId] as const,
    documents: (issueId: string) => ["issues", "documents", issueId] as const,
    document: (issueId: string, key: string) => ["issues", "document", issueId, key] as const,
    revisions: (issueId: string, key: string) => ["issues", "revisions", issueId, key] as const,
    /** One page of the list with its total (`includeTotal`). */
    page: (companyId: string, filters?: IssueFilters) =>
      ["issues", "page", companyId, clean(filters)] as const,
    activity: (issueId: string) => ["issues", "activity", issueId] as const,
    runs: (issueId: string) => ["issues", "runs", issueId] as const,
  },
  agents: {
    all: ["agents"] as const,
    list: (companyId: string, filters?: { status?: string }) =>
      ["agents", "list", companyId, clean(filters)] as const,
    /** `ref` is the agent's id or urlKey. */
    detail: (companyId: string, ref: string) => ["agents", "detail", companyId, ref] as const,
    keys: (agentId: string) => ["agents", "keys", agentId] as const,
  },
  runs: {
    all: ["runs"] as const,
    list: (companyId: string, filters?: { agentId?: string; status?: string }) =>
      ["runs", "list", companyId, clean(filters)] as const,
    detail: (runId: string) => ["runs", "detail", runId] as const,
    /** Queued and running runs of the company (GET /companies/:id/live-runs). */
    live: (companyId: string) => ["runs", "live", companyId] as const,
    log: (runId: string) => ["runs", "log", runId] as const,
  },
  goals: {
    all: ["goals"] as const,
    list: (companyId: string, filters?: { level?: string; status?: string }) =>
      ["goals", "list", companyId, clean(filters)] as const,
    detail: (goalId: string) => ["goals", "detail", goalId] as const,
  },
  approvals: {
    all: ["approvals"] as const,
    list: (companyId: string, filters?: { status?: string }) =>
      ["approvals", "list", companyId, clean(filters)] as const,
    detail: (approvalId: string) => ["approvals", "detail", approvalId] as const,
    issues: (approvalId: string) => ["approvals", "issues", approvalId] as const,
  },
  activity: {
    all: ["activity"] as const,
    list: (companyId: string, filters?: ActivityFilters) =>
      ["activity", "list", companyId, clean(filters)] as const,
  },
  costs: {
    all: ["costs"] as const,
    summary: (companyId: string, window?: CostWindow) =>
      ["costs", "summary", companyId, clean(window)] as const,
    byAgent: (companyId: string, window?: CostWindow) =>
      ["costs", "by-agent", companyId, clean(window)] as const,
    byProject: (companyId: string, window?: CostWindow) =>
      ["costs", "by-project", companyId, clean(window)] as const,
    events: (companyId: string, filters?: { agentId?: string; limit?: number }) =>
      ["costs", "events", companyId, clean(filters)] as const,
    budgets: (companyId: string) => ["costs", "budgets", companyId] as const,
    incidents: (companyId: string, filters?: { status?: string }) =>
      ["costs", "incidents", companyId, clean(filters)] as const,
  },
  dashboard: {
    all: ["dashboard"] as const,
    summary: (companyId: string) => ["dashboard", "summary", companyId] as const,
  },
  nodes: {
    all: ["nodes"] as const,
    list: () => ["nodes", "list"] as const,
  },
  plugins: {
    all: ["plugins"] as const,
    list: (filters?: { status?: string }) => ["plugins", "list", clean(filters)] as const,
    /** `ref` is the plugin's id or key. */
    detail: (ref: string) => ["plugins", "detail", ref] as const,
    health: (ref: string) => ["plugins", "health", ref] as const,
    dashboard: (ref: string) => ["plugins", "dashboard", ref] as const,
    examples: () => ["plugins", "examples"] as const,
    installPolicy: () => ["plugins", "installPolicy"] as const,
    capabilities: (ref: string) => ["plugins", "capabilities", ref] as const,
    config: (ref: string, companyId: string) => ["plugins", "config", ref, companyId] as const,
    logs: (ref: string, filters?: { level?: string; limit?: number }) =>
      ["plugins", "logs", ref, clean(filters)] as const,
    jobs: (ref: string) => ["plugins", "jobs", ref] as const,
    jobRuns: (ref: string, jobId: string) => ["plugins", "jobRuns", ref, jobId] as const,
    deliveries: (ref: string, filters?: { status?: string }) =>
      ["plugins", "deliveries", ref, clean(filters)] as const,
    delivery: (ref: string, deliveryId: string) => ["plugins", "delivery", ref, deliveryId] as const,
    eventStatus: (ref: string) => ["plugins", "eventStatus", ref] as const,
    deadLetters: (ref: string, filters?: { status?: string }) =>
      ["plugins", "deadLetters", ref, clean(filters)] as const,
  },
  secrets: {
    all: ["secrets"] as const,
    list: (companyId: string) => ["secrets", "list", companyId] as const,
  },
  /** Sign-in state and the signed-in person's things (authenticated mode, api/account.ts). */
  account: {
    all: ["account"] as const,
    health: () => ["account", "health"] as const,
    me: () => ["account", "me"] as const,
    apiKeys: () => ["account", "apiKeys"] as const,
    members: (companyId: string) => ["account", "members", companyId] as const,
  },
} as const;

/**
 * `placeholderData` for company lists whose filters change (search, status, page size): keeps showing the
 * previous result while the new one loads, but never another company's data.
 */
export function keepSameCompany(companyId: string) {
  return <T>(
    previous: T | undefined,
    previousQuery: { queryKey: readonly unknown[] } | undefined,
  ): T | undefined => (previousQuery?.queryKey[2] === companyId ? previous : undefined);
}
