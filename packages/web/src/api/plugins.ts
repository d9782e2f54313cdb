// Plugin administration data: the plugin list and record, install/upgrade with the host's NDJSON progress stream,
// lifecycle (enable, disable, uninstall), per-company config (with the server's fieldErrors), logs, jobs and
// runs, webhook deliveries, event delivery status and dead letters, and the company secrets the config picks.
// Routes: packages/server/src/plugins/http/*.ts, jobs/job-routes.ts, webhooks/webhook-routes.ts,
// events/routes.ts, secrets/routes.ts (reference §11).
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { API_BASE, ApiError, api, apiUrl, errorMessage, seg } from "./client";
import { queryKeys } from "./keys";
import { type MutationHookOptions, mutationMeta } from "./mutations";
import type { Iso, PluginHealth, PluginRecord, PluginStatus } from "./types";

// ── shapes the host sends (only what the board reads; new fields are tolerated) ─────────────────────────

/** Worker statuses of reference §12.2. */
export type WorkerStatus =
  | "stopped"
  | "starting"
  | "running"
  | "stopping"
  | "crashed"
  | "backoff"
  | (string & {});

/** What the list and the record add to the stored status: the worker as this host sees it. */
export interface PluginLiveStatus {
  workerStatus?: WorkerStatus | null;
  /** `ready` with its worker running and answering its health pings. */
  healthy?: boolean;
  /** `ready` but not healthy (restarting, hung, reporting itself unhealthy). */
  degraded?: boolean;
  warnings?: string[];
}

export interface PluginInstallSpec {
  packageName: string;
  version?: string;
  isLocalPath?: boolean;
}

/** GET /api/plugins items and GET /api/plugins/:id. */
export type PluginDetail = PluginRecord &
  PluginLiveStatus & {
    installSpec?: PluginInstallSpec;
    packageDir?: string;
    integrity?: string | null;
    supportsConfigTest?: boolean;
  };

export interface WorkerSummary {
  status: WorkerStatus;
  pid: number | null;
  /** ms since the worker answered initialize */
  uptime: number | null;
  consecutiveCrashes: number;
  totalCrashes: number;
  pendingRequests: number;
  /** epoch ms */
  lastCrashAt: number | null;
  nextRestartAt: number | null;
  startedAt: number | null;
  lastExitCode: number | null;
  lastSignal: string | null;
  lastError: string | null;
  missedHealthPings?: number;
  heapLimitMb?: number | null;
  supportedMethods?: string[];
  stderrTail?: string[];
}

export interface PluginHealthReport extends PluginHealth {
  workerStatus?: WorkerStatus | null;
  degraded?: boolean;
  warnings?: string[];
  lastError?: string;
}

/** GET /api/plugins/:id/dashboard */
export interface PluginDashboard {
  pluginId: string;
  worker: WorkerSummary | null;
  recentJobRuns: unknown[];
  recentWebhookDeliveries: unknown[];
  health: PluginHealthReport;
  checkedAt: Iso;
}

/** GET /api/plugins/examples */
export interface PluginExample {
  packageName: string;
  pluginKey: string;
  displayName: string;
  description?: string;
  localPath: string;
  tag?: string;
  hasBuiltEntrypoints: boolean;
}

export interface PluginConfig {
  id: string;
  pluginId: string;
  companyId: string;
  configJson: Record<string, unknown>;
  /** Set when the saved config made the worker fail (it is then held back). */
  lastError: string | null;
  createdAt: Iso;
  updatedAt: Iso;
}

/** One entry of a 400 `{error, fieldErrors}`: `field` is a JSON pointer ("/apiKey"; "/" for the whole config). */
export interface ConfigFieldError {
  field: string;
  message: string;
}

export interface ConfigTestResult {
  valid: boolean;
  /** false: the plugin does not implement validateConfig. */
  supported?: boolean;
  message?: string;
}

export const PLUGIN_LOG_LEVELS = ["debug", "info", "warn", "error", "metric", "telemetry"] as const;
export type PluginLogLevel = (typeof PLUGIN_LOG_LEVELS)[number];

export interface PluginLogEntry {
  id: string;
  pluginId: string;
  companyId: string | null;
  level: PluginLogLevel | (string & {});
  message: string;
  meta: Record<string, unknown> | null;
  createdAt: Iso;
}

export interface PluginJob {
  id: string;
  pluginId: string;
  jobKey: string;
  displayName: string;
  description: string | null;
  /** 5-field cron; "" when manual only. */
  schedule: string;
  status: "active" | "paused" | "failed" | (string & {});
  pausedBy?: "operator" | "manifest" | null;
  timeZone?: string;
  lastError: string | null;
  lastRunAt: Iso | null;
  nextRunAt: Iso | null;
}

export type JobRunStatus = "pending" | "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface PluginJobRun {
  id: string;
  jobId: string;
  jobKey: string;
  trigger: "schedule" | "manual" | "retry" | (string & {});
  status: JobRunStatus | (string & {});
  scheduledAt: Iso;
  attempt: number;
  retryOf: string | null;
  durationMs: number | null;
  error: string | null;
  /** "<ISO time> [<level>] <message>" */
  logs: string[];
  startedAt: Iso | null;
  finishedAt: Iso | null;
  createdAt: Iso;
}

export type WebhookDeliveryStatus = "pending" | "queued" | "success" | "failed";

export interface WebhookDelivery {
  id: string;
  pluginId: string;
  companyId: string | null;
  webhookKey: string;
  externalId: string | null;
  status: WebhookDeliveryStatus | (string & {});
  durationMs: number | null;
  error: string | null;
  payload: unknown;
  headers: Record<string, string>;
  contentType: string | null;
  bodyBytes: number;
  requestId: string;
  replayOf: string | null;
  attempts: number;
  nextAttemptAt: Iso | null;
  startedAt: Iso | null;
  finishedAt: Iso | null;
  createdAt: Iso;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  rawBody: string;
}

export interface PluginEventStatus {
  pluginId: string;
  pluginKey: string;
  outboxHead: number;
  cursor: number | null;
  /** Events not yet delivered to the plugin (the backlog). */
  lag: number | null;
  lease: { owner: string | null; expiresAt: Iso | null; heldByThisNode: boolean } | null;
  retry: { seq: number; attempts: number; lastError: string | null } | null;
  subscriptions: { eventPattern: string; filter: unknown }[];
  deadLetters: { dead: number; replayPending: number; replayed: number };
  thisNode: {
    inFlight: number;
    maxInFlight: number;
    delivered: number;
    failedAttempts: number;
    deadLettered: number;
    replayed: number;
    lastDeliveredAt: Iso | null;
  } | null;
}

export const DEAD_LETTER_STATUSES = ["dead", "replay_pending", "replayed"] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

export interface DeadLetter {
  id: string;
  pluginId: string;
  seq: number;
  eventId: string;
  eventType: string;
  companyId: string;
  event: unknown;
  status: DeadLetterStatus | (string & {});
  attempts: number;
  error: string;
  errorCode: number | null;
  replayCount: number;
  createdAt: Iso;
  updatedAt: Iso;
  replayedAt: Iso | null;
}

/** Company secret metadata (values never come back). */
export interface CompanySecret {
  id: string;
  companyId: string;
  name: string;
  version: number;
  createdAt: Iso;
  updatedAt: Iso;
}

// ── plugins ───────────────────────────────────────────────────────────────────────────────────────────

export const pluginsQuery = (filters: { status?: PluginStatus } = {}) =>
  queryOptions({
    queryKey: queryKeys.plugins.list(filters),
    queryFn: ({ signal }) => api.get<PluginDetail[]>("/plugins", { ...filters }, signal),
  });

/** `ref` is the plugin's id or key. */
export const pluginQuery = (ref: string) =>
  queryOptions({
    queryKey: queryKeys.plugins.detail(ref),
    queryFn: ({ signal }) => api.get<PluginDetail>(`/plugins/${seg(ref)}`, undefined, signal),
  });

/** A plugin whose worker is between states: watch it until it settles (install → ready, restart, backoff). */
export function isSettling(plugin: PluginLiveStatus & { status: string }): boolean {
  if (plugin.status === "installed") return true;
  const worker = plugin.workerStatus;
  return (
    plugin.status === "ready" &&
    (worker === "starting" || worker === "stopping" || worker === "backoff" || worker === "crashed")
  );
}

const SETTLING_REFETCH_MS = 2_000;

export function usePlugins(filters?: { status?: PluginStatus }) {
  return useQuery({
    ...pluginsQuery(filters),
    refetchInterval: (query) => (query.state.data?.some(isSettling) ? SETTLING_REFETCH_MS : false),
  });
}

export function usePlugin(ref: string) {
  return useQuery({
    ...pluginQuery(ref),
    refetchInterval: (query) =>
      query.state.data && isSettling(query.state.data) ? SETTLING_REFETCH_MS : false,
  });
}

export function usePluginHealth(ref: string) {
  return useQuery({
    queryKey: queryKeys.plugins.health(ref),
    queryFn: ({ signal }) => api.get<PluginHealthReport>(`/plugins/${seg(ref)}/health`, undefined, signal),
    refetchInterval: 15_000,
  });
}

/** Worker pid, uptime, restarts, stderr tail and the health report in one answer. */
export function usePluginDashboard(ref: string, options: { settling?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.plugins.dashboard(ref),
    queryFn: ({ signal }) => api.get<PluginDashboard>(`/plugins/${seg(ref)}/dashboard`, undefined, signal),
    refetchInterval: options.settling ? SETTLING_REFETCH_MS : false,
  });
}

export function usePluginExamples() {
  return useQuery({
    queryKey: queryKeys.plugins.examples(),
    queryFn: ({ signal }) => api.get<PluginExample[]>("/plugins/examples", undefined, signal),
    staleTime: 5 * 60_000,
  });
}

// ── install / upgrade with progress ───────────────────────────────────────────────────────────────────

type ProgressEvent =
  | { type: "progress"; line: string }
  | { type: "result"; status: number; plugin: unknown }
  | { type: "error"; status: number; error: string; details?: unknown };

/**
 * POST an install or upgrade asking for the host's NDJSON progress stream (`Accept: application/x-ndjson`,
 * plugins/http/progress-stream.ts): `onLine` hears every progress line as it comes; resolves with the record,
 * or throws an ApiError carrying the host's exact message and details.
 */
export async function postWithProgress<T>(
  path: string,
  body: unknown,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path), {
      method: "POST",
      signal,
      headers: { Accept: "application/x-ndjson", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "Cannot reach the Paperclip host. Check that it is running, then retry.", {
      cause: errorMessage(error),
    });
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.includes("ndjson") || !response.body) {
    // Refused before the stream started (validation, auth): a plain JSON answer.
    const text = await response.text().catch(() => "");
    let data: Record<string, unknown> = {};
    try {
      data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      // not JSON
    }
    if (!response.ok) {
      throw new ApiError(
        response.status,
        (typeof data.error === "string" && data.error) ||
          (typeof data.message === "string" && data.message) ||
          `${response.status} ${response.statusText || "Request failed"}`,
        data.details,
        typeof data.code === "string" ? data.code : undefined,
      );
    }
    return data as T;
  }

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let outcome: ProgressEvent | null = null;
  const handle = (line: string) => {
    if (!line.trim()) return;
    let event: ProgressEvent;
    try {
      event = JSON.parse(line) as ProgressEvent;
    } catch {
      onLine(line);
      return;
    }
    if (event.type === "progress") onLine(event.line);
    else outcome = event;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) handle(line);
  }
  handle(buffered);
  const final = outcome as ProgressEvent | null;
  if (final?.type === "result") return final.plugin as T;
  if (final?.type === "error") throw new ApiError(final.status, final.error, final.details);
  throw new ApiError(
    0,
    "The host closed the progress stream before reporting a result. Check the plugin list.",
  );
}

export interface InstallInput {
  /** npm name (with @version or @tag), tarball path or local folder */
  packageName: string;
  version?: string;
  isLocalPath?: boolean;
  onProgress?: (line: string) => void;
  signal?: AbortSignal;
}

/** Install with progress; the dialog shows the lines and the error itself (silent by default). */
export function useInstallPlugin(options: MutationHookOptions = { silent: true }) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ onProgress, signal, ...input }: InstallInput) =>
      postWithProgress<PluginDetail>(
        "/plugins/install",
        {
          packageName: input.packageName,
          ...(input.version ? { version: input.version } : {}),
          ...(input.isLocalPath ? { isLocalPath: true } : {}),
        },
        onProgress ?? (() => {}),
        signal,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all }),
  });
}

export function useUpgradePlugin(options: MutationHookOptions = { silent: true }) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({
      pluginId,
      version,
      onProgress,
    }: {
      pluginId: string;
      version?: string;
      onProgress?: (line: string) => void;
    }) =>
      postWithProgress<PluginDetail>(
        `/plugins/${seg(pluginId)}/upgrade`,
        version ? { version } : {},
        onProgress ?? (() => {}),
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all }),
  });
}

/** enable / disable: `mutate({ pluginId, action: "disable", reason })`. */
export function usePluginLifecycle(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({
      pluginId,
      action,
      reason,
    }: {
      pluginId: string;
      action: "enable" | "disable";
      reason?: string;
    }) =>
      api.post<PluginDetail>(`/plugins/${seg(pluginId)}/${action}`, action === "disable" ? { reason } : {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all }),
  });
}

/** Soft uninstall keeps the plugin's data (install again to revive it); purge deletes it. */
export function useUninstallPlugin(options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ pluginId, purge }: { pluginId: string; purge: boolean }) =>
      api.delete<PluginDetail>(`/plugins/${seg(pluginId)}`, purge ? { purge: true } : undefined),
    onSuccess: (_record, { pluginId }) => {
      queryClient.removeQueries({ queryKey: queryKeys.plugins.detail(pluginId) });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all }),
  });
}

// ── config ────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A JSON request whose 400 answer carries `fieldErrors` beside `error` (the config routes): the ApiError's
 * `details` is `{ fieldErrors }` then, so forms can put each message on its field.
 */
async function sendConfig<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "Cannot reach the Paperclip host. Check that it is running, then retry.", {
      cause: errorMessage(error),
    });
  }
  const text = await response.text().catch(() => "");
  let data: Record<string, unknown> = {};
  try {
    data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // not JSON
  }
  if (!response.ok) {
    const message =
      (typeof data.error === "string" && data.error) ||
      (typeof data.message === "string" && data.message) ||
      `${response.status} ${response.statusText || "Request failed"}`;
    const details = Array.isArray(data.fieldErrors) ? { fieldErrors: data.fieldErrors } : data.details;
    throw new ApiError(
      response.status,
      message,
      details,
      typeof data.code === "string" ? data.code : undefined,
    );
  }
  return data as T;
}

/** The fieldErrors of a failed save or test, or []. */
export function configFieldErrors(error: unknown): ConfigFieldError[] {
  if (!(error instanceof ApiError)) return [];
  const list = (error.details as { fieldErrors?: unknown } | undefined)?.fieldErrors;
  return Array.isArray(list)
    ? list.filter(
        (item): item is ConfigFieldError =>
          typeof item === "object" && item !== null && typeof (item as ConfigFieldError).field === "string",
      )
    : [];
}

export function usePluginConfig(ref: string, companyId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.plugins.config(ref, companyId ?? ""),
    queryFn: ({ signal }) =>
      api.get<PluginConfig | null>(`/plugins/${seg(ref)}/config`, { companyId }, signal),
    enabled: Boolean(companyId),
  });
}

export function useSavePluginConfig(ref: string, options: MutationHookOptions = { silent: true }) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { companyId: string; configJson: Record<string, unknown> }) =>
      sendConfig<PluginConfig>(`/plugins/${seg(ref)}/config`, input),
    onSuccess: (saved, { companyId }) => {
      queryClient.setQueryData(queryKeys.plugins.config(ref, companyId), saved);
      return queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all });
    },
  });
}

export function useTestPluginConfig(ref: string, options: MutationHookOptions = { silent: true }) {
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { companyId: string; configJson: Record<string, unknown> }) =>
      sendConfig<ConfigTestResult>(`/plugins/${seg(ref)}/config/test`, input),
  });
}

export function useDeletePluginConfig(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ companyId }: { companyId: string }) =>
      api.delete<PluginConfig>(`/plugins/${seg(ref)}/config`, { companyId }),
    onSuccess: (_removed, { companyId }) => {
      queryClient.setQueryData(queryKeys.plugins.config(ref, companyId), null);
      return queryClient.invalidateQueries({ queryKey: queryKeys.plugins.all });
    },
  });
}

// ── company secrets (the config's secret picker) ───────────────────────────────────────────────────────

export function useCompanySecrets(companyId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.secrets.list(companyId ?? ""),
    queryFn: ({ signal }) =>
      api.get<CompanySecret[]>(`/companies/${seg(companyId ?? "")}/secrets`, undefined, signal),
    enabled: Boolean(companyId),
  });
}

export function useCreateSecret(companyId: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: (input: { name: string; value: string }) =>
      api.post<CompanySecret>(`/companies/${seg(companyId)}/secrets`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.secrets.list(companyId) }),
  });
}

// ── logs ──────────────────────────────────────────────────────────────────────────────────────────────

export const MAX_LOG_LIMIT = 500;

export function fetchPluginLogs(
  ref: string,
  query: { level?: string; limit?: number; since?: string },
  signal?: AbortSignal,
) {
  return api.get<PluginLogEntry[]>(`/plugins/${seg(ref)}/logs`, query, signal);
}

/** Newest first, as the host answers. */
export function usePluginLogs(ref: string, filters: { level?: string; limit?: number }) {
  return useQuery({
    queryKey: queryKeys.plugins.logs(ref, filters),
    queryFn: ({ signal }) => fetchPluginLogs(ref, filters, signal),
    placeholderData: (previous) => previous,
  });
}

// ── jobs ──────────────────────────────────────────────────────────────────────────────────────────────

/** Refetch while something is running so a run started here shows its outcome. */
const ACTIVE_RUN = new Set(["pending", "queued", "running"]);

export function usePluginJobs(ref: string) {
  return useQuery({
    queryKey: queryKeys.plugins.jobs(ref),
    queryFn: ({ signal }) => api.get<PluginJob[]>(`/plugins/${seg(ref)}/jobs`, undefined, signal),
  });
}

export function usePluginJobRuns(ref: string, jobId: string, limit = 25) {
  return useQuery({
    queryKey: queryKeys.plugins.jobRuns(ref, jobId),
    queryFn: ({ signal }) =>
      api.get<PluginJobRun[]>(`/plugins/${seg(ref)}/jobs/${seg(jobId)}/runs`, { limit }, signal),
    refetchInterval: (query) => (query.state.data?.some((run) => ACTIVE_RUN.has(run.status)) ? 1_500 : false),
  });
}

export function useTriggerJob(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ jobId }: { jobId: string }) =>
      api.post<{ runId: string; jobId: string }>(`/plugins/${seg(ref)}/jobs/${seg(jobId)}/trigger`),
    onSuccess: (_result, { jobId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.plugins.jobRuns(ref, jobId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.plugins.jobs(ref) }),
      ]),
  });
}

export function useRetryJobRun(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ jobId, runId }: { jobId: string; runId: string }) =>
      api.post<unknown>(`/plugins/${seg(ref)}/jobs/${seg(jobId)}/runs/${seg(runId)}/retry`),
    onSuccess: (_result, { jobId }) =>
      queryClient.invalidateQueries({ queryKey: queryKeys.plugins.jobRuns(ref, jobId) }),
  });
}

/** Pause or resume a job (PATCH …/jobs/:jobId `{status}`). */
export function useSetJobStatus(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ jobId, status }: { jobId: string; status: "active" | "paused" }) =>
      api.patch<PluginJob>(`/plugins/${seg(ref)}/jobs/${seg(jobId)}`, { status }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.plugins.jobs(ref) }),
  });
}

// ── webhooks ──────────────────────────────────────────────────────────────────────────────────────────

export function useWebhookDeliveries(ref: string, filters: { status?: string } = {}) {
  return useQuery({
    queryKey: queryKeys.plugins.deliveries(ref, filters),
    queryFn: ({ signal }) =>
      api.get<WebhookDelivery[]>(
        `/plugins/${seg(ref)}/webhooks/deliveries`,
        { ...filters, limit: 100 },
        signal,
      ),
    placeholderData: (previous) => previous,
  });
}

export function useWebhookDelivery(ref: string, deliveryId: string | null) {
  return useQuery({
    queryKey: queryKeys.plugins.delivery(ref, deliveryId ?? ""),
    queryFn: ({ signal }) =>
      api.get<WebhookDeliveryDetail>(
        `/plugins/${seg(ref)}/webhooks/deliveries/${seg(deliveryId ?? "")}`,
        undefined,
        signal,
      ),
    enabled: Boolean(deliveryId),
  });
}

export function useReplayDelivery(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ deliveryId }: { deliveryId: string }) =>
      api.post<unknown>(`/plugins/${seg(ref)}/webhooks/deliveries/${seg(deliveryId)}/replay`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["plugins", "deliveries", ref] }),
  });
}

// ── events ────────────────────────────────────────────────────────────────────────────────────────────

export function usePluginEventStatus(ref: string) {
  return useQuery({
    queryKey: queryKeys.plugins.eventStatus(ref),
    queryFn: ({ signal }) =>
      api.get<PluginEventStatus>(`/plugins/${seg(ref)}/events/status`, undefined, signal),
  });
}

export function useDeadLetters(ref: string, filters: { status?: DeadLetterStatus } = {}) {
  return useQuery({
    queryKey: queryKeys.plugins.deadLetters(ref, filters),
    queryFn: ({ signal }) =>
      api.get<DeadLetter[]>(`/plugins/${seg(ref)}/events/dead-letters`, { ...filters, limit: 200 }, signal),
    placeholderData: (previous) => previous,
  });
}

export function useReplayDeadLetter(ref: string, options?: MutationHookOptions) {
  const queryClient = useQueryClient();
  return useMutation({
    meta: mutationMeta(options),
    mutationFn: ({ id }: { id: string }) =>
      api.post<DeadLetter>(`/plugins/${seg(ref)}/events/dead-letters/${seg(id)}/replay`),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["plugins", "deadLetters", ref] }),
        queryClient.invalidateQueries({ queryKey: queryKeys.plugins.eventStatus(ref) }),
      ]),
  });
}
