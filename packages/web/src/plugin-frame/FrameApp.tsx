// What a sandboxed frame renders once the board has sent its mount: the plugin's bundle (loaded with the board's
// own module loader, each file's text fetched by the board), then the requested export inside the same mount
// context, router and query client the board gives a same-origin mount — so the board's hooks and shared
// components work unchanged, their host calls carried by the frame transport. The router's location is the
// board's, and navigating asks the board's router. The board hears "rendered" after the first commit, "failed"
// when the bundle does not load or the export throws, and the content's height whenever it changes.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, Suspense, useEffect, useMemo, useState } from "react";
import { createPath, type Navigator, Router } from "react-router";
import { ErrorBoundary } from "../plugin-ui/components/error-boundary.js";
import { PluginExportView } from "../plugin-ui/export-view.js";
import type { PluginModuleExports } from "../plugin-ui/module-exports.js";
import type { PluginModuleLoader } from "../plugin-ui/module-loader.js";
import { PluginMountContext, type PluginMountValue } from "../plugin-ui/mount-context.js";
import type { FrameHostContext, FrameLocation, FrameMount } from "../plugin-ui/sandbox/protocol.js";
import { frameCloseLifecycle, pluginHostContextOf } from "./frame-context.js";
import type { FrameLink } from "./frame-link.js";

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" ? message : String(error);
}

/** The router's navigator: every navigation is a request to the board's router (board paths only). */
function boardNavigator(link: FrameLink): Navigator {
  const href = (to: Parameters<Navigator["push"]>[0]) => (typeof to === "string" ? to : createPath(to));
  const go = (to: Parameters<Navigator["push"]>[0], state: unknown, replace: boolean) =>
    void link.request("navigate", { href: href(to), replace, state: state ?? null }).catch((error) => {
      console.warn(`Paperclip: the board refused a navigation: ${messageOf(error)}`);
    });
  return {
    createHref: href,
    go: () => undefined,
    push: (to, state) => go(to, state, false),
    replace: (to, state) => go(to, state, true),
  };
}

/**
 * Tell the board once, after the first commit of the export — with the content's height first, so the board
 * shows the frame at its full height instead of a zero-height frame that grows a moment later.
 */
function Rendered({ link }: { link: FrameLink }) {
  useEffect(() => {
    link.send({ type: "size", height: Math.ceil(document.body.getBoundingClientRect().height) });
    link.send({ type: "rendered" });
  }, [link]);
  return null;
}

function Failed({ link, error }: { link: FrameLink; error: unknown }) {
  useEffect(() => link.send({ type: "failed", message: messageOf(error) }), [link, error]);
  return null;
}

export function FrameApp({
  link,
  mount,
  loader,
}: {
  link: FrameLink;
  mount: FrameMount;
  loader: PluginModuleLoader;
}) {
  const [context, setContext] = useState<FrameHostContext>(mount.hostContext);
  const [location, setLocation] = useState<FrameLocation>(mount.location);
  const [module, setModule] = useState<
    | { status: "loading" }
    | { status: "ready"; exports: PluginModuleExports }
    | { status: "error"; error: unknown }
  >({ status: "loading" });
  const queryClient = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry: 1 } } }), []);
  const navigator = useMemo(() => boardNavigator(link), [link]);
  const closeLifecycle = useMemo(() => frameCloseLifecycle(link), [link]);

  useEffect(
    () =>
      link.onUpdate((update) => {
        if (update.hostContext) setContext(update.hostContext);
        if (update.location) setLocation(update.location);
      }),
    [link],
  );

  useEffect(() => {
    let active = true;
    loader.load({ pluginId: mount.pluginId, version: mount.version, entryFile: mount.entryFile }).then(
      (exports) => active && setModule({ status: "ready", exports }),
      (error: unknown) => active && setModule({ status: "error", error }),
    );
    return () => {
      active = false;
    };
  }, [loader, mount.pluginId, mount.version, mount.entryFile]);

  const hostContext = useMemo<PluginHostContext>(
    () => pluginHostContextOf(context, link, closeLifecycle),
    [context, link, closeLifecycle],
  );
  const mountValue = useMemo<PluginMountValue>(
    () => ({
      pluginId: mount.pluginId,
      pluginKey: mount.pluginKey,
      displayName: mount.displayName,
      hostContext,
    }),
    [mount.pluginId, mount.pluginKey, mount.displayName, hostContext],
  );
  const routerLocation = useMemo(() => ({ ...location, key: "board" }), [location]);

  let content: ReactNode = null;
  if (module.status === "error") {
    content = <Failed link={link} error={module.error} />;
  } else if (module.status === "ready") {
    const target = module.exports.get(mount.exportName);
    content = target ? (
      <>
        <PluginExportView target={target} props={mount.props} hostContext={hostContext} />
        <Rendered link={link} />
      </>
    ) : (
      <Failed link={link} error={new Error(`The UI bundle has no export named "${mount.exportName}"`)} />
    );
  }
  return (
    <QueryClientProvider client={queryClient}>
      <Router location={routerLocation} navigator={navigator}>
        <PluginMountContext.Provider value={mountValue}>
          <ErrorBoundary fallback={(error) => <Failed link={link} error={error} />}>
            <Suspense fallback={null}>{content}</Suspense>
          </ErrorBoundary>
        </PluginMountContext.Provider>
      </Router>
    </QueryClientProvider>
  );
}
