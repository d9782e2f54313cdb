// The HTTP client behind `paperclip plugin …`: it talks to the running host's API, so the CLI and the board see
// the same registry and the same workers. Install and upgrade ask for NDJSON progress and pass each line on.

export class HostRequestError extends Error {
  override readonly name = "HostRequestError";
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class HostUnreachableError extends Error {
  override readonly name = "HostUnreachableError";
}

export interface PluginApiClient {
  readonly baseUrl: string;
  get<T = unknown>(path: string): Promise<T>;
  send<T = unknown>(method: "POST" | "DELETE" | "PATCH", path: string, body?: unknown): Promise<T>;
  /** POST with `Accept: application/x-ndjson`; progress lines go to `onProgress`, the result is returned. */
  stream<T = unknown>(path: string, body: unknown, onProgress: (line: string) => void): Promise<T>;
}

/** `apiKey`: sent as a Bearer token (a host in authenticated mode: PAPERCLIP_API_KEY, an instance admin's key). */
export function createPluginApiClient(
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
  apiKey: string | null = null,
): PluginApiClient {
  const url = (path: string) => `${baseUrl.replace(/\/+$/, "")}${path}`;

  async function call(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    try {
      return await fetchImpl(url(path), {
        method,
        headers: {
          accept,
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new HostUnreachableError(
        `no Paperclip host answers at ${baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message}); ` +
          "is `paperclip start` running? Point at it with --url or --port",
      );
    }
  }

  async function decode<T>(response: Response): Promise<T> {
    const text = await response.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new HostRequestError(
          response.status,
          `the host answered ${response.status} with non-JSON: ${text.slice(0, 200)}`,
        );
      }
    }
    if (!response.ok) {
      const body = parsed as { error?: unknown; details?: unknown } | null;
      const message = typeof body?.error === "string" ? body.error : `HTTP ${response.status}`;
      throw new HostRequestError(response.status, message, body?.details);
    }
    return parsed as T;
  }

  return {
    baseUrl,
    async get(path) {
      return decode(await call("GET", path, undefined, "application/json"));
    },
    async send(method, path, body) {
      return decode(await call(method, path, body, "application/json"));
    },
    async stream<T>(path: string, body: unknown, onProgress: (line: string) => void): Promise<T> {
      const response = await call("POST", path, body, "application/x-ndjson");
      if (!response.ok || !response.headers.get("content-type")?.includes("application/x-ndjson")) {
        return decode<T>(response);
      }
      let outcome: { result: T } | { error: HostRequestError } | null = null;
      const handle = (line: string) => {
        if (line.trim() === "") return;
        const event = JSON.parse(line) as {
          type: string;
          line?: string;
          plugin?: T;
          status?: number;
          error?: string;
          details?: unknown;
        };
        if (event.type === "progress" && typeof event.line === "string") onProgress(event.line);
        else if (event.type === "result") outcome = { result: event.plugin as T };
        else if (event.type === "error") {
          outcome = {
            error: new HostRequestError(event.status ?? 500, event.error ?? "failed", event.details),
          };
        }
      };
      // Print lines as they arrive, not when the body is complete.
      const decoder = new TextDecoder();
      let buffered = "";
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let newline = buffered.indexOf("\n");
        while (newline !== -1) {
          handle(buffered.slice(0, newline));
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf("\n");
        }
      }
      handle(buffered + decoder.decode());
      const settled = outcome as { result: T } | { error: HostRequestError } | null;
      if (!settled) throw new HostRequestError(502, "the host ended the progress stream without a result");
      if ("error" in settled) throw settled.error;
      return settled.result;
    },
  };
}
