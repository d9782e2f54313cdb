// The dev proxy of plugin UI files (reference §10.2): a request for `/_plugins/:id/ui/*?companyId=…` whose company
// config sets `devUiUrl` (only an instance admin can set it) is answered from that URL — the author's
// `paperclip-plugin-dev-server` — instead of the installed files, so a rebuilt UI shows without reinstalling.
// Outside production only, and only to a loopback address: the host never becomes a proxy to anywhere else.
import { isLoopbackHost } from "../../config.js";
import { badRequest } from "../../errors.js";

const PROXY_TIMEOUT_MS = 10_000;

/** Reads the effective config of a plugin for a company (the config store's `get`). */
export type DevUiConfigSource = (
  pluginId: string,
  companyId: string,
) => Promise<Record<string, unknown> | null>;

export interface DevUiAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** The loopback URL to proxy `requested` to, or null when this request is served from the installed files. */
export function devUiTarget(devUiUrl: unknown, requested: string, env = process.env): URL | null {
  if (env.NODE_ENV === "production" || typeof devUiUrl !== "string" || devUiUrl === "") return null;
  let base: URL;
  try {
    base = new URL(devUiUrl.endsWith("/") ? devUiUrl : `${devUiUrl}/`);
  } catch {
    return null;
  }
  const hostname = base.hostname.replace(/^\[|\]$/g, "");
  if (!/^https?:$/.test(base.protocol) || !isLoopbackHost(hostname)) return null;
  const target = new URL(requested, base);
  // `requested` is a path inside the UI folder: it may not climb out of the dev server's base path.
  if (target.origin !== base.origin || !target.pathname.startsWith(base.pathname)) {
    throw badRequest(`The UI file path "${requested}" leaves the dev server's folder`);
  }
  return target;
}

/** Fetch the file from the dev server; a dev server that is down or slow is a 502 naming it. */
export async function fetchDevUiFile(target: URL): Promise<DevUiAnswer> {
  try {
    const response = await fetch(target, {
      signal: AbortSignal.timeout(PROXY_TIMEOUT_MS),
      redirect: "manual",
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError" ? "did not answer within 10 s" : (error as Error).message;
    return {
      status: 502,
      contentType: "application/json; charset=utf-8",
      body: Buffer.from(
        JSON.stringify({ error: `The plugin's dev UI server at ${target.origin} failed: ${reason}` }),
      ),
    };
  }
}
