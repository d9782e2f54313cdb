/**
 * Inputs and results of the optional `PluginDefinition` hooks (`onHealth`,
 * `onValidateConfig`, `onWebhook`, `onApiRequest`, `onConfigChanged`). They double as the
 * params/results of the matching host→worker methods in ../protocol/methods.ts.
 */

export interface PluginHealthDiagnostics {
  status: "ok" | "degraded" | "error";
  message?: string;
  details?: Record<string, unknown>;
}

export interface PluginConfigValidationResult {
  ok: boolean;
  warnings?: string[];
  errors?: string[];
}

/** A webhook delivery as passed to `onWebhook`. */
export interface PluginWebhookInput {
  endpointKey: string;
  headers: Record<string, string | string[]>;
  rawBody: string;
  parsedBody?: unknown;
  requestId: string;
}

/** A call to a manifest-declared scoped API route, as passed to `onApiRequest`. */
export interface PluginApiRequestInput {
  routeKey: string;
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  actor: {
    actorType: "user" | "agent";
    actorId: string;
    agentId?: string | null;
    userId?: string | null;
    runId?: string | null;
  };
  companyId: string;
  headers: Record<string, string>;
}

export interface PluginApiResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Second argument of `onConfigChanged`: which company's config changed (null = instance). */
export interface PluginConfigChangeContext {
  companyId: string | null;
}
