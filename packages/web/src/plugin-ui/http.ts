// The HTTP calls of the plugin UI runtime: the bridge (`POST /api/plugins/:pluginId/data/:key` and
// `/actions/:key`, reference §10.4) and plain JSON reads of the board API for the shared components.
// Same-origin requests with the board session's cookies.
import { bridgeErrorFromResponse, type PluginBridgeError } from "./bridge-errors.js";
import { pluginUiTransport } from "./transport.js";

export interface BridgeCallBody {
  companyId: string | null;
  params: Record<string, unknown>;
  renderEnvironment: Record<string, unknown> | null;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POST a bridge call; resolves with `data` of the answer, rejects with a PluginBridgeError. */
export async function callPluginBridge(
  pluginId: string,
  kind: "data" | "actions",
  key: string,
  body: BridgeCallBody,
  signal?: AbortSignal,
): Promise<unknown> {
  // In a sandboxed plugin frame the call goes to the board over postMessage (transport.ts).
  const transport = pluginUiTransport();
  if (transport) return transport.callBridge(pluginId, kind, key, body, signal);
  let response: Response;
  try {
    response = await fetch(
      `/api/plugins/${encodeURIComponent(pluginId)}/${kind}/${encodeURIComponent(key)}`,
      {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
        ...(signal ? { signal } : {}),
      },
    );
  } catch (error) {
    if (signal?.aborted) throw error;
    const failure: PluginBridgeError = {
      code: "UNKNOWN",
      message: `Network error: ${error instanceof Error ? error.message : String(error)}`,
    };
    throw failure;
  }
  const parsed = await readBody(response);
  if (!response.ok) throw bridgeErrorFromResponse(response.status, parsed);
  return (parsed as { data?: unknown } | null)?.data ?? null;
}

/** GET JSON from the board API; rejects with an Error naming the status and the server's message. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const transport = pluginUiTransport();
  if (transport) return (await transport.getJson(path, signal)) as T;
  const response = await fetch(path, {
    headers: { accept: "application/json" },
    credentials: "same-origin",
    ...(signal ? { signal } : {}),
  });
  const parsed = await readBody(response);
  if (!response.ok) {
    const message = (parsed as { error?: unknown } | null)?.error;
    throw new Error(
      typeof message === "string" ? message : `GET ${path} failed with status ${response.status}`,
    );
  }
  return parsed as T;
}
