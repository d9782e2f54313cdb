// `<PluginComponent>`: renders one export of a plugin's UI bundle (reference §10.2) inside the plugin's mount
// context and its own error boundary. Functions render as React components with the given props plus
// `context`; strings as custom elements whose DOM properties `pluginSlot`/`pluginLauncher` and `pluginContext`
// are set (export-view.tsx). Load and render failures show "<displayName>: failed to render", the message and a
// Retry. A plugin whose UI isolation is `sandboxed` renders in `<SandboxedPluginFrame>` instead.
import type { PluginLauncherDeclaration, PluginUiSlotDeclaration } from "@paperclipai/plugin-sdk/types";
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { pluginModuleLoader } from "./browser-loader.js";
import { Spinner } from "./components/basic.js";
import { ErrorBoundary } from "./components/error-boundary.js";
import { type PluginUiContribution, uiBuildOf } from "./contributions-select.js";
import { PluginExportView } from "./export-view.js";
import type { PluginModuleExports } from "./module-exports.js";
import { PluginMountContext, type PluginMountValue } from "./mount-context.js";
import { RenderFailure } from "./render-failure.js";
import { SandboxedPluginFrame } from "./sandbox/SandboxedPluginFrame.js";

type LoadState =
  | { status: "loading" }
  | { status: "ready"; exports: PluginModuleExports }
  | { status: "error"; error: Error };

/** The exports of a contribution's bundle (cached per plugin and version); `retry` loads again after a failure. */
export function usePluginModule(contribution: PluginUiContribution): LoadState & { retry(): void } {
  const [state, setState] = useState<LoadState>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const { pluginId, uiEntryFile } = contribution;
  const build = uiBuildOf(contribution);
  useEffect(() => {
    void attempt;
    let active = true;
    setState({ status: "loading" });
    pluginModuleLoader.load({ pluginId, version: build, entryFile: uiEntryFile }).then(
      (exports) => active && setState({ status: "ready", exports }),
      (error: unknown) =>
        active &&
        setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      active = false;
    };
  }, [pluginId, build, uiEntryFile, attempt]);
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

/** Mounts the export the way the plugin's UI isolation says: in the board, or in a sandboxed iframe. */
export function PluginComponent(props: PluginComponentProps) {
  if (props.contribution.uiIsolation === "sandboxed") return <SandboxedPluginFrame {...props} />;
  return <SameOriginPluginComponent {...props} />;
}

function SameOriginPluginComponent({
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
