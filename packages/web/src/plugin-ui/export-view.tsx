// How one export of a plugin's UI bundle renders (reference §10.2): a function is a React component given the
// props plus `context`; a string is a custom element whose DOM properties `pluginSlot`/`pluginLauncher` and
// `pluginContext` are set. Used by `<PluginComponent>` in the board and by the sandboxed frame's runtime.
import type { PluginHostContext } from "@paperclipai/plugin-sdk/ui/types";
import { createElement, type ReactNode, useEffect, useRef } from "react";
import type { PluginExport } from "./module-exports.js";

export function PluginExportView({
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
