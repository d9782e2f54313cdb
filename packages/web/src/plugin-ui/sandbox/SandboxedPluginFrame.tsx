// `<SandboxedPluginFrame>`: mounts one export of a plugin whose UI isolation is `sandboxed` (docs/plugin-ui-sandbox.md)
// in an opaque-origin iframe (`sandbox` without allow-same-origin; the host's CSP allows no connection), instead
// of importing the bundle into the board. The frame's runtime renders the export and reaches the host only by
// postMessage: messages are accepted from this iframe's window alone, with the token of the document this
// component loaded, and every request is checked (frame-requests.ts: this plugin, this company, an allowed
// method and path) before it runs with the user's session (frame-host.ts). The frame sizes itself to its
// content, follows the board's theme, location and host context, and shows the same loading spinner and
// "failed to render" box with Retry as a same-origin mount.
import type { PluginLauncherDeclaration, PluginUiSlotDeclaration } from "@paperclipai/plugin-sdk/types";
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { type ReactNode, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { type Location, useLocation, useNavigate } from "react-router";
import { copyTextToClipboard } from "../clipboard.js";
import { Spinner } from "../components/basic.js";
import { type PluginUiContribution, uiBuildOf } from "../contributions-select.js";
import { callPluginBridge, getJson } from "../http.js";
import { RenderFailure } from "../render-failure.js";
import { pluginToasts } from "../toast-store.js";
import { FrameHost } from "./frame-host.js";
import {
  type BoardMessage,
  FRAME_PROTOCOL,
  FRAME_SANDBOX,
  type FrameHostContext,
  type FrameLocation,
  type FrameMount,
  type FrameTheme,
  frameDocumentUrl,
  newFrameToken,
  parseFrameMessage,
} from "./protocol.js";

export interface SandboxedPluginFrameProps {
  contribution: PluginUiContribution;
  exportName: string;
  props?: { slot?: PluginUiSlotDeclaration; launcher?: PluginLauncherDeclaration; [name: string]: unknown };
  hostContext: PluginHostContext;
  loadingFallback?: ReactNode;
}

/** A frame that has not rendered by then is reported as failed (it cannot start, or its bundle hangs). */
export const FRAME_START_TIMEOUT_MS = 30_000;
const MAX_FRAME_HEIGHT = 20_000;

type FrameStatus = { kind: "loading" } | { kind: "rendered" } | { kind: "failed"; error: Error };

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribeTheme(onChange: () => void): () => void {
  const query = globalThis.matchMedia?.(DARK_QUERY);
  query?.addEventListener("change", onChange);
  return () => query?.removeEventListener("change", onChange);
}

/** The board's theme (it follows the system's preference). */
function useBoardTheme(): FrameTheme {
  return useSyncExternalStore(
    subscribeTheme,
    () => (globalThis.matchMedia?.(DARK_QUERY).matches ? "dark" : "light"),
    () => "light",
  );
}

/** The host context as plain data; the frame rebuilds the overlay functions as calls back to the board. */
function frameHostContextOf(context: PluginHostContext): FrameHostContext {
  const environment = context.renderEnvironment;
  return {
    companyId: context.companyId ?? null,
    companyPrefix: context.companyPrefix ?? null,
    projectId: context.projectId ?? null,
    entityId: context.entityId ?? null,
    entityType: context.entityType ?? null,
    ...(context.parentEntityId !== undefined ? { parentEntityId: context.parentEntityId } : {}),
    userId: context.userId ?? null,
    renderEnvironment: environment
      ? {
          environment: environment.environment ?? null,
          launcherId: environment.launcherId ?? null,
          bounds: environment.bounds ?? null,
          canRequestModalBounds: typeof environment.requestModalBounds === "function",
          hasCloseLifecycle: Boolean(environment.closeLifecycle),
        }
      : null,
  };
}

/** Router state crosses postMessage only when it is plain data. */
function frameLocationOf(location: Location): FrameLocation {
  let state: unknown = null;
  try {
    state = location.state === undefined ? null : JSON.parse(JSON.stringify(location.state));
  } catch {
    state = null;
  }
  return { pathname: location.pathname, search: location.search, hash: location.hash, state };
}

async function fetchPluginFile(url: string): Promise<string> {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Loading ${new URL(url).pathname} failed with HTTP ${response.status}`);
  return response.text();
}

export function SandboxedPluginFrame({
  contribution,
  exportName,
  props,
  hostContext,
  loadingFallback,
}: SandboxedPluginFrameProps) {
  const { pluginId, pluginKey, displayName, uiEntryFile } = contribution;
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<FrameStatus>({ kind: "loading" });
  const [height, setHeight] = useState(0);
  const iframeRef = useRef<HTMLIFrameElement | null>(null);
  const navigate = useNavigate();
  const routerLocation = useLocation();
  const theme = useBoardTheme();
  const frameContext = useMemo(() => frameHostContextOf(hostContext), [hostContext]);
  const frameLocation = useMemo(() => frameLocationOf(routerLocation), [routerLocation]);
  const bundleVersion = uiBuildOf(contribution);
  // One token per frame document: a new one (and a new iframe) on Retry or a new bundle.
  const frameKey = `${attempt}\u0000${pluginId}\u0000${bundleVersion}`;
  const token = useMemo(() => {
    void frameKey;
    return newFrameToken();
  }, [frameKey]);

  // What the long-lived message handler reads: always the latest render's values.
  const latest = useRef({ hostContext, frameContext, frameLocation, theme, props, navigate });
  latest.current = { hostContext, frameContext, frameLocation, theme, props, navigate };
  const session = useRef<{ token: string; post(message: BoardMessage): void; ready: boolean } | null>(null);

  useEffect(() => {
    const iframe = iframeRef.current;
    if (!iframe) return;
    setStatus({ kind: "loading" });
    setHeight(0);
    let active = true;
    let loads = 0;
    const post = (message: BoardMessage) => {
      try {
        iframe.contentWindow?.postMessage(message, "*");
      } catch (error) {
        fail(`The board could not send the frame a message: ${(error as Error).message}`);
      }
    };
    const current = { token, post, ready: false };
    session.current = current;
    const host = new FrameHost({
      scope: () => ({
        pluginId,
        companyId: latest.current.hostContext.companyId ?? null,
        origin: globalThis.location.origin,
      }),
      renderEnvironment: () => latest.current.hostContext.renderEnvironment,
      post,
      fetchText: fetchPluginFile,
      callBridge: (id, kind, key, body) => callPluginBridge(id, kind, key, body),
      getJson: (path) => getJson(path),
      openEventSource: (url) => new EventSource(url, { withCredentials: true }),
      showToast: (input, id) => pluginToasts.show(input, id),
      navigate: (href, options) => latest.current.navigate(href, options),
      copyText: copyTextToClipboard,
    });
    const fail = (message: string) => {
      if (!active) return;
      active = false;
      host.dispose();
      setStatus({ kind: "failed", error: new Error(message) });
    };
    const onMessage = (event: MessageEvent) => {
      // Only this iframe's window, and only the document this effect loaded into it (its token).
      if (!active || event.source !== iframe.contentWindow) return;
      const message = parseFrameMessage(event.data);
      if (!message || message.token !== token) return;
      switch (message.type) {
        case "ready": {
          const {
            frameContext: context,
            frameLocation: location,
            theme: board,
            props: mountProps,
          } = latest.current;
          const mount: FrameMount = {
            pluginId,
            pluginKey,
            displayName,
            version: bundleVersion,
            entryFile: uiEntryFile || "index.js",
            exportName,
            props: { ...(mountProps ?? {}) },
            hostContext: context,
            location,
            theme: board,
          };
          current.ready = true;
          post({ protocol: FRAME_PROTOCOL, type: "mount", mount });
          return;
        }
        case "request":
          void host.handleRequest(message.id, message.method, message.params);
          return;
        case "reply":
          host.handleReply(message.id, message.ok ? { ok: true, result: message.result } : message);
          return;
        case "rendered":
          clearTimeout(timer);
          setStatus({ kind: "rendered" });
          return;
        case "failed":
          fail(message.message);
          return;
        case "size":
          setHeight(Math.max(0, Math.min(MAX_FRAME_HEIGHT, Math.ceil(message.height))));
          return;
        case "escape":
          // Keys pressed in the frame never reach the board: an overlay around it still closes on Escape.
          iframe.dispatchEvent(
            new KeyboardEvent("keydown", { key: "Escape", code: "Escape", bubbles: true, cancelable: true }),
          );
          return;
      }
    };
    // The first load is the frame document; another one means the frame navigated away from it.
    const onLoad = () => {
      loads++;
      if (loads > 1) fail("The plugin's frame navigated away from its page");
    };
    const timer = setTimeout(() => {
      const seconds = FRAME_START_TIMEOUT_MS / 1000;
      fail(
        current.ready
          ? `The sandboxed frame did not render within ${seconds} s`
          : `The sandboxed frame did not start within ${seconds} s: its runtime (/plugin-frame/runtime.js, built ` +
              "with the board) did not load",
      );
    }, FRAME_START_TIMEOUT_MS);
    globalThis.addEventListener("message", onMessage);
    iframe.addEventListener("load", onLoad);
    iframe.src = frameDocumentUrl(pluginId, bundleVersion, token);
    return () => {
      active = false;
      clearTimeout(timer);
      globalThis.removeEventListener("message", onMessage);
      iframe.removeEventListener("load", onLoad);
      host.dispose();
      if (session.current === current) session.current = null;
    };
  }, [token, pluginId, pluginKey, displayName, bundleVersion, uiEntryFile, exportName]);

  // The board's context, location and theme follow the frame while it lives.
  useEffect(() => {
    const current = session.current;
    if (!current?.ready) return;
    current.post({
      protocol: FRAME_PROTOCOL,
      type: "update",
      hostContext: frameContext,
      location: frameLocation,
      theme,
    });
  }, [frameContext, frameLocation, theme]);

  const failed = status.kind === "failed" ? status.error : null;
  if (failed) {
    return (
      <RenderFailure
        name={displayName}
        error={failed}
        onRetry={() => {
          setAttempt((value) => value + 1);
          setStatus({ kind: "loading" });
        }}
      />
    );
  }
  const rendered = status.kind === "rendered";
  return (
    <>
      {rendered ? null : (loadingFallback ?? <Spinner size="sm" label={`Loading ${displayName}`} />)}
      <iframe
        key={token}
        ref={iframeRef}
        title={`${displayName} (sandboxed)`}
        sandbox={FRAME_SANDBOX}
        referrerPolicy="no-referrer"
        data-plugin-sandbox={pluginKey}
        aria-hidden={rendered ? undefined : true}
        tabIndex={rendered ? undefined : -1}
        className="block w-full border-0 bg-transparent"
        style={{ height: rendered ? height : 0, visibility: rendered ? "visible" : "hidden" }}
      />
    </>
  );
}
