// The document of a sandboxed plugin UI frame (`GET /_plugins/:pluginId/ui-frame`, docs/plugin-ui-sandbox.md):
// an empty page that loads the board's frame runtime, served with a Content-Security-Policy that
//   - makes the document opaque-origin whoever frames it (`sandbox` without allow-same-origin), so it can read no
//     cookie, storage or DOM of the board, and its requests carry `Origin: null` (refused by the host guard);
//   - lets scripts come only from the frame runtime, the board's built assets, the plugin's own UI folder and
//     blob: (the runtime imports the plugin's modules from rewritten blob URLs); no eval, no inline script;
//   - allows no connection at all (`connect-src 'none'`): fetch, XHR, EventSource and WebSocket fail, so every
//     call goes through the board's postMessage bridge, which checks it;
//   - may be framed only by the board (`frame-ancestors 'self'`).
// Sources are absolute (`http://host:port/path/`): in an opaque-origin document `'self'` would match nothing.

/** Where the board's build puts the frame runtime (packages/web/vite.config.ts: the `plugin-frame` entry). */
export const FRAME_RUNTIME_PATH = "/plugin-frame/runtime.js";
/** The board's hashed build assets (the runtime's chunks, its stylesheet and fonts). */
export const BOARD_ASSETS_PATH = "/assets/";

/** Sandbox flags of the document itself; the board's iframe element sets the same ones. */
export const FRAME_SANDBOX_FLAGS = [
  "allow-scripts",
  "allow-forms",
  "allow-modals",
  "allow-popups",
  "allow-popups-to-escape-sandbox",
] as const;

/** `http(s)://host[:port]`, as the (already host-guarded) request names this instance. */
const ORIGIN_RE = /^https?:\/\/(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function isFrameOrigin(origin: string): boolean {
  return ORIGIN_RE.test(origin);
}

/** The CSP header of the frame of plugin `pluginId` served from `origin`. */
export function frameContentSecurityPolicy(origin: string, pluginId: string): string {
  if (!isFrameOrigin(origin)) throw new TypeError(`not an origin: ${origin}`);
  const pluginUi = `${origin}/_plugins/${encodeURIComponent(pluginId)}/ui/`;
  const assets = `${origin}${BOARD_ASSETS_PATH}`;
  const runtime = `${origin}${FRAME_RUNTIME_PATH}`;
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'none'"],
    ["script-src", runtime, assets, pluginUi, "blob:"],
    // Inline styles: React style props are CSSOM (always allowed), but plugins' CSS-in-JS injects <style>.
    // Styles cannot run code, and every way out (url() loads) is held by img-src, font-src and connect-src.
    ["style-src", assets, pluginUi, "'unsafe-inline'"],
    ["img-src", assets, pluginUi, "data:", "blob:"],
    ["font-src", assets, pluginUi, "data:"],
    ["media-src", pluginUi, "data:", "blob:"],
    ["connect-src", "'none'"],
    ["frame-src", "'none'"],
    ["worker-src", "'none'"],
    ["object-src", "'none'"],
    ["manifest-src", "'none'"],
    ["frame-ancestors", "'self'"],
    ["base-uri", "'none'"],
    ["form-action", "'none'"],
    ["sandbox", ...FRAME_SANDBOX_FLAGS],
  ];
  return directives.map((parts) => parts.join(" ")).join("; ");
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** The frame's HTML: the runtime does the rest once the board sends it the mount (plugin, export, context). */
export function frameDocument(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="color-scheme" content="light dark">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<script type="module" src="${FRAME_RUNTIME_PATH}"></script>
</head>
<body>
<div id="plugin-root"></div>
</body>
</html>
`;
}
