// The one way the board talks to the host. Paths are relative to /api; bodies are JSON; every failure is an
// ApiError built from the host's `{error, details?, code?}` body, so pages can always show a message.

export class ApiError extends Error {
  override readonly name = "ApiError";
  /** HTTP status; 0 when the host could not be reached at all. */
  readonly status: number;
  readonly details: unknown;
  readonly code: string | undefined;

  constructor(status: number, message: string, details?: unknown, code?: string) {
    super(message);
    this.status = status;
    this.details = details;
    this.code = code;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }

  /** Network failure or a 5xx: worth retrying. */
  get isRetryable(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** A message fit for a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || "Something went wrong";
  if (typeof error === "string") return error;
  return "Something went wrong";
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Serialised as JSON. */
  body?: unknown;
  /** Appended as a query string; undefined, null and empty arrays are left out, arrays are comma-joined. */
  query?: QueryParams;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Sees the successful response before its body is returned (to read headers such as X-Total-Count). */
  onResponse?: (response: Response) => void;
}

export const API_BASE = "/api";

/**
 * Called whenever the host answers 401 (authenticated mode: the session ended or never began). The sign-in gate
 * (app/AuthGate.tsx) listens and shows the sign-in page; nothing listens in local trusted mode.
 */
let unauthorizedListener: (() => void) | null = null;
export function onUnauthorized(listener: (() => void) | null): void {
  unauthorizedListener = listener;
}

/** "/companies/x/issues" + {status: ["todo","done"], limit: 50} → "/api/companies/x/issues?status=todo%2Cdone&limit=50" */
export function apiUrl(path: string, query?: QueryParams): string {
  const url = `${API_BASE}${path.startsWith("/") ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(","));
    } else {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", body, query, signal, headers, onResponse } = options;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      signal,
      // The session cookie of authenticated mode goes with every call (and only to this host).
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "Cannot reach the Paperclip host. Check that it is running, then retry.", {
      cause: errorMessage(error),
    });
  }

  const text = await response.text().catch(() => "");
  let data: unknown;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (response.status === 401) unauthorizedListener?.();
  if (!response.ok) {
    const payload = (data && typeof data === "object" ? data : {}) as {
      error?: unknown;
      message?: unknown;
      details?: unknown;
      code?: unknown;
    };
    const message =
      (typeof payload.error === "string" && payload.error) ||
      (typeof payload.message === "string" && payload.message) ||
      (data === undefined && response.status >= 500
        ? // not the host's JSON: a proxy or gateway answered because the host is down or restarting
          `The Paperclip host did not answer (HTTP ${response.status}). Check that it is running, then retry.`
        : `${response.status} ${response.statusText || "Request failed"}`.trim());
    throw new ApiError(
      response.status,
      message,
      payload.details,
      typeof payload.code === "string" ? payload.code : undefined,
    );
  }
  if (text && data === undefined) {
    throw new ApiError(response.status, "The host answered with something that is not JSON", {
      body: text.slice(0, 200),
    });
  }
  onResponse?.(response);
  return data as T;
}

/** Shorthands: `api.get<Issue[]>("/companies/x/issues", {limit: 50})`, `api.post<Issue>(path, body)`. */
export const api = {
  get: <T>(path: string, query?: QueryParams, signal?: AbortSignal) => request<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>(path, { method: "POST", body: body ?? {} }),
  put: <T>(path: string, body?: unknown) => request<T>(path, { method: "PUT", body }),
  patch: <T>(path: string, body?: unknown) => request<T>(path, { method: "PATCH", body }),
  delete: <T = unknown>(path: string, query?: QueryParams) => request<T>(path, { method: "DELETE", query }),
};

/** Encodes one path segment: `path("/issues", ref)` style joins stay readable and safe. */
export const seg = (value: string): string => encodeURIComponent(value);
