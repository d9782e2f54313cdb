// `useHostContext()` (reference §10.3): the mount's host context, with `projectId` falling back to
// `entityId` when the entity is a project; plus the render-environment snapshot sent with bridge calls.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { useMemo } from "react";
import { usePluginMount } from "../mount-context.js";

export function withProjectFallback(context: PluginHostContext): PluginHostContext {
  if (context.projectId || context.entityType !== "project" || !context.entityId) return context;
  return { ...context, projectId: context.entityId };
}

export function useHostContext(): PluginHostContext {
  const { hostContext } = usePluginMount("useHostContext");
  return useMemo(() => withProjectFallback(hostContext), [hostContext]);
}

/** `{environment, launcherId, bounds}` of the render environment (functions dropped), or null. */
export function renderEnvironmentSnapshot(context: PluginHostContext): Record<string, unknown> | null {
  const environment = context.renderEnvironment;
  if (!environment) return null;
  return {
    environment: environment.environment ?? null,
    launcherId: environment.launcherId ?? null,
    bounds: environment.bounds ?? null,
  };
}
