// `<PluginComponent>`: renders one export of a plugin's UI bundle (reference §10.2) inside the plugin's mount
// context and its own error boundary. Functions render as React components with the given props plus
// `context`; strings as custom elements whose DOM properties `pluginSlot`/`pluginLauncher` and `pluginContext`
// are set. Load and render failures show "<displayName>: failed to render", the message and a Retry.
import type { PluginLauncherDeclaration, PluginUiSlotDeclaration } from "@paperclipai/plugin-sdk/types";
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { createElement, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { pluginModuleLoader } from "./browser-loader.js";
import { Spinner } from "./components/basic.js";
import { ErrorBoundary } from "./components/error-boundary.js";
import type { PluginUiContribution } from "./contributions-select.js";
import type { PluginExport, PluginModuleExports } from "./module-exports.js";
import { PluginMountContext, type PluginMountValue } from "./mount-context.js";

type LoadState =
  | { status: "loading" }
  | { status: "ready"; exports: PluginModuleExports }
  | { status: "error"; error: Error };

/** The exports of a contribution's bundle (cached per plugin and version); `retry` loads again after a failure. */
export function usePluginModule(contribution: PluginUiContribution): LoadState & { retry(): void } {
  const [state, setState] = useState<LoadState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const { pluginId, updatedAt, version, uiEntryFile } = contribution;
  useEffect(() => {
    void attempt;
    let active = true;
    setState({ status: "loading" });
    pluginModuleLoader.load({ pluginId, version: updatedAt || version, entryFile: uiEntryFile }).then(
      (exports) => active && setState({ status: "ready", exports }),
      (error: unknown) =>
        active &&
        setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      active = false;
    };
  }, [pluginId, updatedAt, version, uiEntryFile, attempt]);
  return { ...state, retry: () => setAttempt((value) => value + 1) };
}

export interface PluginComponentProps {
  contribution: PluginUiContribution;
  exportName: string;
  /** Props for the export; slots pass `{slot}`, launchers `{launcher}` (the context is added). */
  props?: { slot?: PluginUiSlotDeclaration; launcher?: PluginLauncherDeclaration; [name: string]: unknown };
  hostContext: PluginHostContext;
  /** Shown while the bundle loads; a small spinner by default. */
  loadingFallback?: ReactNode;
}

export function PluginComponent({
  contribution,
  exportName,
  props,
  hostContext,
  loadingFallback,
}: PluginComponentProps) {
  const module = usePluginModule(contribution);
  const mount = useMemo<PluginMountValue>(
    () => ({
      pluginId: contribution.pluginId,
      pluginKey: contribution.pluginKey,
      displayName: contribution.displayName,
      hostContext,
    }),
    [contribution.pluginId, contribution.pluginKey, contribution.displayName, hostContext],
  );
  const [boundaryKey, setBoundaryKey] = useState(0);
  const retry = () => {
    if (module.status === "error") module.retry();
    setBoundaryKey((value) => value + 1);
  };

  let content: ReactNode;
  if (module.status === "loading") {
    content = loadingFallback ?? <Spinner size="sm" label={`Loading ${contribution.displayName}`} />;
  } else if (module.status === "error") {
    content = <RenderFailure name={contribution.displayName} error={module.error} onRetry={retry} />;
  } else {
    const found = module.exports.get(exportName);
    content = found ? (
      <PluginExportView target={found} props={props ?? {}} hostContext={hostContext} />
    ) : (
      <RenderFailure
        name={contribution.displayName}
        error={new Error(`The UI bundle has no export named "${exportName}"`)}
        onRetry={retry}
      />
    );
  }
  return (
    <PluginMountContext.Provider value={mount}>
      <ErrorBoundary
        key={boundaryKey}
        fallback={(error) => <RenderFailure name={contribution.displayName} error={error} onRetry={retry} />}
      >
        {content}
      </ErrorBoundary>
    </PluginMountContext.Provider>
  );
}

function PluginExportView({
  target,
  props,
  hostContext,
}: {
  target: PluginExport;
  props: Record<string, unknown>;
  hostContext: PluginHostContext;
}) {
  if (target.kind === "component") {
    const component = target.component as unknown as (props: Record<string, unknown>) => ReactNode;
    return createElement(component, { ...props, context: props.context ?? hostContext });
  }
  return <CustomElementView tagName={target.tagName} props={props} hostContext={hostContext} />;
}

function CustomElementView({
  tagName,
  props,
  hostContext,
}: {
  tagName: string;
  props: Record<string, unknown>;
  hostContext: PluginHostContext;
}) {
  const ref = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const element = ref.current as (HTMLElement & Record<string, unknown>) | null;
    if (!element) return;
    if (props.launcher !== undefined) element.pluginLauncher = props.launcher;
    else element.pluginSlot = props.slot;
    element.pluginContext = props.context ?? hostContext;
  }, [props.slot, props.launcher, props.context, hostContext]);
  return createElement(tagName, { ref });
}

function RenderFailure({ name, error, onRetry }: { name: string; error: Error; onRetry(): void }) {
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800 text-sm dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
    >
      <div className="font-medium">{name}: failed to render</div>
      <div className="mt-1 break-words font-mono text-xs opacity-80">{error.message}</div>
      <button
        type="button"
        onClick={onRetry}
        className="mt-2 rounded border border-red-300 px-2 py-0.5 text-xs hover:bg-red-100 dark:border-red-800 dark:hover:bg-red-900/40"
      >
        Retry
      </button>
    </div>
  );
}
