// The one place the SDK's UI subpath touches the host: hooks and shared components look up their
// implementation on `globalThis.__paperclipPluginBridge__.sdkUi` at call/render time, so a plugin bundle
// never imports React (or anything else) at runtime and always shares the host's copy.

/** What the host board puts on `globalThis.__paperclipPluginBridge__` before loading plugin bundles. */
export interface PaperclipPluginBridgeRegistry {
  react?: unknown;
  reactJsxRuntime?: unknown;
  reactDom?: unknown;
  sdkUi?: Record<string, unknown>;
}

interface CreateElementHost {
  createElement?: (type: unknown, props: unknown) => unknown;
}

function bridgeRegistry(): PaperclipPluginBridgeRegistry | undefined {
  return (globalThis as { __paperclipPluginBridge__?: PaperclipPluginBridgeRegistry })
    .__paperclipPluginBridge__;
}

function notInitialized(name: string): Error {
  return new Error(
    `Paperclip plugin UI runtime is not initialized for "${name}". ` +
      "Ensure the host loaded the plugin bridge before rendering this UI module.",
  );
}

/** The host's implementation of `name`; throws when the host has not installed the bridge (or lacks it). */
export function getSdkUiRuntimeValue<T>(name: string): T {
  const value = bridgeRegistry()?.sdkUi?.[name];
  if (value === undefined) throw notInitialized(name);
  return value as T;
}

/** Render the host's component `name` with `props` through the host's React (a plain call without one). */
export function renderSdkUiComponent<TProps>(name: string, props: TProps): unknown {
  const registry = bridgeRegistry();
  const component = registry?.sdkUi?.[name];
  if (component === undefined) throw notInitialized(name);
  const createElement = (registry?.react as CreateElementHost | undefined)?.createElement;
  if (typeof createElement === "function") return createElement(component, props);
  if (typeof component === "function") return (component as (props: TProps) => unknown)(props);
  throw new Error(`Paperclip plugin UI component "${name}" is not callable`);
}
